from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import docs, views

app_name = "api"
EDITION = "v1/editions/<int:number>/"
urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", docs.page, name="docs"),
    path("v1/editions/", views.EditionList.as_view(), name="editions"),
    path(EDITION, views.EditionDetail.as_view(), name="edition"),
    path(EDITION + "sessions/", views.SessionList.as_view(), name="sessions"),
    path(EDITION + "rooms/", views.RoomList.as_view(), name="rooms"),
    path(EDITION + "speakers/", views.SpeakerList.as_view(), name="speakers"),
    path(EDITION + "registrations/", views.RegistrationList.as_view(), name="registrations"),
    path(
        EDITION + "registrations/<uuid:id>/",
        views.RegistrationDetail.as_view(),
        name="registration",
    ),
    path(
        EDITION + "registrations/<uuid:id>/<str:action>/",
        views.RegistrationAction.as_view(),
        name="registration_action",
    ),
    path(EDITION + "erasures/", views.ErasureList.as_view(), name="erasures"),
    path(EDITION + "organisations/", views.OrganisationList.as_view(), name="organisations"),
    path(EDITION + "checkins/", views.CheckInList.as_view(), name="checkins"),
    path(EDITION + "meetings/", views.MeetingList.as_view(), name="meetings"),
    path(EDITION + "invoices/", views.InvoiceList.as_view(), name="invoices"),
    path(EDITION + "payments/", views.PaymentList.as_view(), name="payments"),
]
