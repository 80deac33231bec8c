from django.urls import path

from . import views

app_name = "invoicing"

private = "r/<uuid:public_id>/<str:secret>/"

urlpatterns = [
    path(f"{private}payer/", views.payer, name="payer"),
    path(f"{private}invoices/<str:number>.pdf", views.own_document, name="own_document"),
]
