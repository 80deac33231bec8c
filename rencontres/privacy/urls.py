from django.urls import path

from . import views

app_name = "privacy"

private = "r/<uuid:public_id>/<str:secret>/privacy/"

urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path(private, views.private, name="private"),
    path(f"{private}consent/", views.consent, name="consent"),
    path(f"{private}data.json", views.data, {"kind": "json"}, name="data_json"),
    path(f"{private}data/", views.data, {"kind": "html"}, name="data"),
    path(f"{private}erase/", views.erasure, name="erasure"),
]
