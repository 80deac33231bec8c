"""URLs: language-prefixed public pages (/fr/, /en/), the admin, and a few unprefixed endpoints."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from . import views
from .backoffice.security import AdminLockoutAuthenticationForm

# A database that cannot be reached outside a view (a middleware's query) gets the 503 page too.
handler500 = "rencontres.database.server_error"
admin.site.site_header = settings.BRAND["ORGANISER_NAME"]
admin.site.login_form = AdminLockoutAuthenticationForm
admin.site.site_title = "Rencontres"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("brand.css", views.brand_css, name="brand_css"),
    path("csp-report", views.csp_report, name="csp_report"),
    path("language/<str:language>/", views.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
    path("api/", include("rencontres.api.urls")),
]
if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
    ]
urlpatterns += i18n_patterns(
    path("", include("rencontres.editions.urls")),
    path("", include("rencontres.registration.urls")),
    path("", include("rencontres.networking.urls")),
    path("", include("rencontres.onsite.urls")),
    path("", include("rencontres.invoicing.urls")),
    path("", include("rencontres.followup.urls")),
    path("", include("rencontres.backoffice.urls")),
    path("", include("rencontres.privacy.urls")),
    path("", include("rencontres.api.page_urls")),
)
