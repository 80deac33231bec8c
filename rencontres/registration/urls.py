from django.urls import path

from . import delegation_views, views

app_name = "registration"

private = "r/<uuid:public_id>/<str:secret>/"
# A head of delegation's pages, one member at a time (the member's public id).
member = f"{private}delegation/<uuid:member>/"

urlpatterns = [
    path("register/", views.register, name="start"),
    path("register/delegation/", views.register, {"delegation": True}, name="delegation"),
    path("register/sent/", views.sent, name="sent"),
    # What the form's choices cost, asked by its script as the person fills it in.
    path("register/<int:number>/price/", views.price, name="price"),
    path("register/confirm/<str:token>/", views.confirm, name="confirm"),
    path("register/link/", views.request_link, name="link"),
    path("invitation/<uuid:public_id>/<str:secret>/", views.invited, name="invited"),
    path(private, views.private, name="private"),
    path(f"{private}details/", views.details, name="details"),
    path(f"{private}sessions/", views.sessions, name="sessions"),
    path(f"{private}cancel/", views.cancel, name="cancel"),
    path(f"{private}calendar.ics", views.calendar, name="calendar"),
    path(f"{private}stars/", views.stars, name="stars"),
    path(f"{private}delegation/add/", delegation_views.member_add, name="member_add"),
    path(member, delegation_views.member, name="member"),
    path(f"{member}sessions/", delegation_views.member_sessions, name="member_sessions"),
    path(f"{member}replace/", delegation_views.member_replace, name="member_replace"),
    path(f"{member}send-link/", delegation_views.member_send_link, name="member_send_link"),
    path(f"{member}remove/", delegation_views.member_remove, name="member_remove"),
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
