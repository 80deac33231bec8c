"""The admin keeps the content and settings, in names a French organiser reads; the machinery
underneath (two-factor devices, background task results) is for superusers only."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.utils import translation

from rencontres.internals import NAMES

pytestmark = pytest.mark.django_db


def test_every_table_of_the_admin_has_its_names_in_both_languages():
    for model in admin.site._registry:
        meta = model._meta
        names = {}
        for language in ("en", "fr"):
            with translation.override(language):
                names[language] = (
                    str(meta.app_config.verbose_name),
                    str(meta.verbose_name),
                    str(meta.verbose_name_plural),
                )
        label = f"{meta.app_label}.{meta.model_name}"
        # A plural Django made up by adding "s" ("badge batchs") is a name nobody wrote.
        written = "verbose_name_plural" in meta.original_attrs or meta.app_label in NAMES
        assert written or names["en"][2] != names["en"][1] + "s", label
        assert names["fr"] != names["en"], (label, names)  # translated


def test_the_names_of_the_tables_people_asked_about():
    with translation.override("fr"):
        from rencontres.onsite.models import BadgeBatch

        assert str(BadgeBatch._meta.verbose_name_plural) == "lots de badges"
        from django_otp.plugins.otp_totp.models import TOTPDevice

        assert str(TOTPDevice._meta.app_config.verbose_name) == "Double authentification"


def staff_with_every_permission():
    user = User.objects.create_user("camille", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.mark.parametrize(
    "path", ["/admin/otp_totp/totpdevice/", "/admin/django_tasks_database/dbtaskresult/"]
)
def test_internals_are_for_superusers_only(client, path):
    client.force_login(staff_with_every_permission())
    index = client.get("/admin/").content.decode()
    assert "otp_totp" not in index and "django_tasks_database" not in index
    assert "/admin/editions/edition/" in index  # the content and settings stay
    assert client.get(path).status_code == 403
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    assert client.get(path).status_code == 200
