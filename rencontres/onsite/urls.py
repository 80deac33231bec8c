from django.urls import path

from . import views

app_name = "onsite"

urlpatterns = [
    path("r/<uuid:public_id>/<str:secret>/badge.pdf", views.own_badge, name="own_badge"),
    path("organiser/<int:number>/badges/", views.badges, name="badges"),
    path("organiser/<int:number>/badges/<int:pk>/", views.batch, name="batch"),
    path(
        "organiser/<int:number>/badges/<int:pk>/status.json",
        views.batch_status,
        name="batch_status",
    ),
    path("organiser/<int:number>/badges/<int:pk>/badges.pdf", views.batch_file, name="batch_file"),
    path("checkin/<int:number>/", views.desk, name="desk"),
    path("checkin/<int:number>/people/<int:pk>/", views.desk_check_in, name="desk_check_in"),
    path("checkin/<int:number>/days/", views.check_in_days, name="check_in_days"),
    path("checkin/<int:number>/badge/<uuid:public_id>.pdf", views.one_badge, name="one_badge"),
    path("checkin/<int:number>/api/scan", views.api_scan, name="api_scan"),
    path("checkin/<int:number>/api/sync", views.api_sync, name="api_sync"),
    path("checkin/<int:number>/api/list", views.api_list, name="api_list"),
    path("checkin/<int:number>/figures/", views.live_figures, name="figures"),
    path("checkin/<int:number>/register/", views.register_at_the_door, name="register"),
]
