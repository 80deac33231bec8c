from django.urls import path

from . import backoffice, outcome_views, views

app_name = "networking"

network = "r/<uuid:public_id>/<str:secret>/network/"

urlpatterns = [
    path(network, views.home, name="home"),
    path(f"{network}profile/", views.profile, name="profile"),
    path(f"{network}posts/new/", views.post_form, name="post_new"),
    path(f"{network}posts/<int:pk>/", views.post_form, name="post_edit"),
    path(f"{network}posts/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path(f"{network}directory/", views.directory, name="directory"),
    path(f"{network}people/<int:pk>/", views.person, name="person"),
    path(f"{network}people/<int:pk>/block/", views.block, name="block"),
    path(f"{network}requests/<int:pk>/", views.request_action, name="request_action"),
    path(f"{network}meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(f"{network}meetings/<int:pk>/rate/", outcome_views.rate, name="rate"),
    # One-click links of the e-mails: the signed token is the key (services.outcomes).
    path("meetings/rate/<str:token>/", outcome_views.rate_link, name="rate_link"),
    path("meetings/follow-up/<str:token>/", outcome_views.follow_up_link, name="follow_up_link"),
    path(f"{network}availability/", views.availability, name="availability"),
    path(f"{network}agenda/", views.agenda, name="agenda"),
    path(f"{network}agenda.pdf", views.agenda_download, {"kind": "pdf"}, name="agenda_pdf"),
    path(f"{network}agenda.ics", views.agenda_download, {"kind": "ics"}, name="agenda_ics"),
    # Read-only address for calendar apps, which keep it (see Registration.feed_token).
    path("r/<uuid:public_id>/feed/<str:token>/agenda.ics", views.agenda_feed, name="agenda_feed"),
    path("organiser/<int:number>/meetings/", backoffice.overview, name="organiser"),
    path("organiser/<int:number>/meetings/runs/<int:pk>/", backoffice.run, name="run"),
    path(
        "organiser/<int:number>/meetings/runs/<int:pk>/status.json",
        backoffice.run_status,
        name="run_status",
    ),
    path(
        "organiser/<int:number>/meetings/runs/<int:pk>/publish/", backoffice.publish, name="publish"
    ),
    path("organiser/<int:number>/meetings/plan/", backoffice.table_plan, name="table_plan"),
]
