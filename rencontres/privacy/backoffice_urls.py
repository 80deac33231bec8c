"""The organisers' privacy pages, under organiser/<number>/privacy/ (included by the
back-office's urls)."""

from django.urls import path

from . import backoffice

app_name = "privacy"

urlpatterns = [
    path("", backoffice.requests, name="requests"),
    path("people/<int:pk>/", backoffice.person, name="person"),
    path("people/<int:pk>/data.json", backoffice.person_data, {"kind": "json"}, name="data_json"),
    path("people/<int:pk>/data/", backoffice.person_data, {"kind": "html"}, name="data"),
    path("requests/<int:pk>/decide/", backoffice.decide, name="decide"),
]
