from django.urls import path

from . import views

app_name = "registration"

private = "r/<uuid:public_id>/<str:secret>/"

urlpatterns = [
    path("register/", views.register, name="start"),
    path("register/delegation/", views.register, {"delegation": True}, name="delegation"),
    path("register/sent/", views.sent, name="sent"),
    path("register/confirm/<str:token>/", views.confirm, name="confirm"),
    path("register/link/", views.request_link, name="link"),
    path("invitation/<uuid:public_id>/<str:secret>/", views.invited, name="invited"),
    path(private, views.private, name="private"),
    path(f"{private}details/", views.details, name="details"),
    path(f"{private}sessions/", views.sessions, name="sessions"),
    path(f"{private}cancel/", views.cancel, name="cancel"),
    path(f"{private}calendar.ics", views.calendar, name="calendar"),
    # Read-only addresses for calendar apps, which keep them (see Registration.feed_token).
    path(
        "r/<uuid:public_id>/feed/<str:token>/sessions.ics",
        views.calendar_feed,
        name="calendar_feed",
    ),
    path(f"{private}invitation/", views.letter, name="letter"),
    path(f"{private}invitation.pdf", views.invitation, name="invitation"),
    # The public check of an invitation letter's reference (its QR code leads here).
    path("letters/<str:reference>/", views.letter_check, name="letter_check"),
]
