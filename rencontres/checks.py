"""System checks: readable branding colours, private files outside every served folder."""

from django.conf import settings
from django.core.checks import Error, register


def relative_luminance(hex_colour):
    """WCAG 2 relative luminance of an "#rrggbb" colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@register()
def check_brand_colours(app_configs, **kwargs):
    errors = []
    for key in ("PRIMARY", "ACCENT"):
        value = settings.BRAND[key]
        if not settings.HEX_COLOUR.match(value):
            errors.append(
                Error(
                    f"BRAND_{key}={value!r} is not a colour like #1f4e79.",
                    id="rencontres.E001",
                )
            )
        elif contrast_ratio(value, "#ffffff") < 4.5:
            errors.append(
                Error(
                    f"BRAND_{key}={value} is too light: white text on it has a contrast "
                    f"of {contrast_ratio(value, '#ffffff'):.2f}:1, below 4.5:1 (WCAG AA).",
                    hint="Choose a darker shade.",
                    id="rencontres.E002",
                )
            )
    return errors


def sqlite_file(name):
    """The file an SQLite NAME opens: a path, or a URI such as settings.sqlite_uri writes
    ("file:/srv/data/rencontres.sqlite3?mode=rw", quoted); None for a database in memory."""
    from urllib.parse import parse_qs, unquote, urlsplit

    name = str(name or "")
    if name.startswith("file:"):
        uri = urlsplit(name)
        if "memory" in parse_qs(uri.query).get("mode", []):
            return None
        name = unquote(uri.path)
    return None if name in ("", ":memory:") else name


def kept_out_of_served_folders():
    """What holds personal data or secrets on disk, by setting: none of it may be served."""
    from pathlib import Path

    kept = {"PRIVATE_ROOT": settings.PRIVATE_ROOT, "EMAIL_FILE_PATH": settings.EMAIL_FILE_PATH}
    database = settings.DATABASES["default"]
    if "sqlite" in database["ENGINE"]:
        kept["the SQLite database"] = sqlite_file(database["NAME"])
    kept["the demo's secret key"] = Path(settings.DATA_DIR) / "secret_key"
    return {name: Path(path).resolve() for name, path in kept.items() if path}


@register()
def check_private_root(app_configs, **kwargs):
    """Files with personal data (private files, the demo's mail and database) and secrets must
    not sit in a folder the proxy or the app serves."""
    from pathlib import Path

    served = {"MEDIA_ROOT": settings.MEDIA_ROOT, "STATIC_ROOT": settings.STATIC_ROOT}
    served.update({f"STATICFILES_DIRS[{i}]": d for i, d in enumerate(settings.STATICFILES_DIRS)})
    errors = []
    for kept, path in kept_out_of_served_folders().items():
        for name, folder in served.items():
            if folder and path.is_relative_to(Path(folder).resolve()):
                errors.append(
                    Error(
                        f"{kept} ({path}) is inside {name} ({folder}): personal data or "
                        "secrets would be served to anyone.",
                        hint=f"Move {name} or {kept} so that nothing private is under a "
                        "served folder (MEDIA_ROOT holds public uploads only).",
                        id="rencontres.E003",
                    )
                )
    return errors


@register()
def check_uploads_are_served(app_configs, **kwargs):
    """Uploads in a bucket (STORAGE_URL) have their addresses on the site, /media/, which only
    the app serves: no proxy folder can stand in for it."""
    from django.core.checks import Warning

    if settings.SERVE_MEDIA or "rencontres.s3" not in settings.STORAGES["default"]["BACKEND"]:
        return []
    return [
        Warning(
            "SERVE_MEDIA is off while uploads are in a bucket (STORAGE_URL): logos and photos "
            "will answer 404.",
            hint="Unset SERVE_MEDIA: the app serves /media/ from the bucket.",
            id="rencontres.W001",
        )
    ]
