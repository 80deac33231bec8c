from django.urls import path

from . import certificate_views, views

app_name = "onsite"

urlpatterns = [
    path("r/<uuid:public_id>/<str:secret>/badge.pdf", views.own_badge, name="own_badge"),
    path(
        "r/<uuid:public_id>/<str:secret>/certificate.pdf",
        certificate_views.own_certificate,
        name="own_certificate",
    ),
    # The public check of a certificate's reference (its QR code leads here).
    path(
        "certificates/<str:reference>/",
        certificate_views.certificate_check,
        name="certificate_check",
    ),
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
    path(
        "organiser/<int:number>/certificates/",
        certificate_views.organiser_certificates,
        name="certificates",
    ),
    path(
        "organiser/<int:number>/certificates/batches/",
        certificate_views.certificate_batch_new,
        name="certificate_batch_new",
    ),
    path(
        "organiser/<int:number>/certificates/batches/<int:pk>/",
        certificate_views.certificate_batch,
        name="certificate_batch",
    ),
    path(
        "organiser/<int:number>/certificates/batches/<int:pk>/status.json",
        certificate_views.certificate_batch_status,
        name="certificate_batch_status",
    ),
    path(
        "organiser/<int:number>/certificates/batches/<int:pk>/certificates.pdf",
        certificate_views.certificate_batch_file,
        name="certificate_batch_file",
    ),
    path(
        "organiser/<int:number>/certificates/email/",
        certificate_views.certificates_email,
        name="certificates_email",
    ),
    path(
        "organiser/<int:number>/certificates/<int:pk>/reissue/",
        certificate_views.certificate_reissue,
        name="certificate_reissue",
    ),
    path(
        "organiser/<int:number>/certificates/<int:pk>/certificate.pdf",
        certificate_views.certificate_pdf,
        name="certificate_pdf",
    ),
]
