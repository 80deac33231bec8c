"""Settings, read from the environment, with safe defaults for the demo (see README)."""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from rencontres import country_names

BASE_DIR = Path(__file__).resolve().parent.parent
# Where the demo keeps its data (SQLite database, uploads, generated secret key).
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def sqlite_uri(path, create):
    """The SQLite file as a URI (Django opens SQLite with uri=True)."""
    from urllib.parse import quote

    return f"file:{quote(str(path))}" + ("" if create else "?mode=rw")


def demo_secret_key():
    """A random key kept in DATA_DIR, so the demo needs no set-up and never ships a known key.

    Production sets SECRET_KEY in the environment: every app server must share it.
    """
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or demo_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Behind HTTPS (production): secure cookies, HSTS, redirect. Off for the demo on plain HTTP.
HTTPS = env_bool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", True)
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
# Pages opened from another site cannot reach this window (Django's default, said out loud).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "rencontres.apps.RencontresConfig",
    "rencontres.editions",
    "rencontres.registration",
    "rencontres.fees",
    "rencontres.mail",
    "rencontres.networking",
    "rencontres.onsite",
    "rencontres.invoicing",
    "rencontres.followup",
    "rencontres.api",
    "rencontres.backoffice",
    "rencontres.privacy",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the session and CSRF middleware (see its docstring); its 503 page for views
    # that cannot reach the database is reached from wherever it sits.
    "rencontres.database.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "rencontres.headers.ContentSecurityPolicyMiddleware",
    "rencontres.headers.PermissionsPolicyMiddleware",
    "rencontres.headers.ClearSiteDataMiddleware",
    "rencontres.database.SessionMiddleware",  # Django's, with a 503 for a database gone
    "corsheaders.middleware.CorsMiddleware",  # the public API, read from partners' sites
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rencontres.backoffice.security.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rencontres.ratelimit.TooManyRequestsMiddleware",
]

ROOT_URLCONF = "rencontres.urls"
FORM_RENDERER = "rencontres.forms.FormRenderer"
WSGI_APPLICATION = "rencontres.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rencontres.editions.context_processors.site",
            ],
        },
    },
]

# SQLite by default (WAL, immediate transactions so that writers queue instead of failing);
# PostgreSQL when DATABASE_URL is set. A connection kept between requests is checked before
# its first use in a request, so the first request after a database restart reconnects.
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    SQLITE_FILE = DATA_DIR / "rencontres.sqlite3"
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # Once the file exists, open it without creating it: a file gone (moved, its disk
            # not mounted) is an unavailable database (503), not a new empty one.
            "NAME": sqlite_uri(SQLITE_FILE, create=not SQLITE_FILE.exists()),
            # Kept between requests by the app server (wsgi.py sets it; rencontres/database.py
            # closes one whose file was moved away); opened for each request otherwise.
            "CONN_MAX_AGE": int(os.environ.get("SQLITE_CONN_MAX_AGE", 0)),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French first (the organisers' language), English for everyone else.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["rencontres.formats"]
# Country names as people write them (see that module).
COUNTRIES_OVERRIDE = country_names.OVERRIDES
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Files built with personal data (badge and certificate batches, invoices): never under
# MEDIA_ROOT or STATIC_ROOT, never served by the proxy; only views that check who asks read
# them (rencontres/storage.py).
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", DATA_DIR / "private"))
# The app serves public uploads at /media/ (from the folder or the bucket); a deployment with
# folders may have its proxy serve MEDIA_ROOT instead, and set SERVE_MEDIA=0.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)


def storage_settings(storage_url, static_manifest=True):
    """STORAGES from STORAGE_URL: unset, folders on this machine (MEDIA_ROOT, PRIVATE_ROOT: a
    shared mount for several app servers); `s3://bucket/prefix?endpoint_url=...&region=...`, one
    S3-compatible bucket for both (prefix/media/, prefix/private/), which nothing makes public:
    the app serves both, /media/ as it does from the folder, private files through the views
    that check who asks (rencontres/s3.py). Keys come from AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, as boto3 reads them, never from the URL (it is printed in logs)."""
    from urllib.parse import parse_qs, urlsplit

    from django.core.exceptions import ImproperlyConfigured

    staticfiles = {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if static_manifest
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    if not storage_url:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "rencontres.storage.PrivateStorage"},
            "staticfiles": staticfiles,
        }
    wrong = ImproperlyConfigured(
        "STORAGE_URL is s3://bucket/prefix?endpoint_url=...&region=... (keys in "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, not in the URL)."
    )
    url = urlsplit(storage_url)
    if url.scheme != "s3" or not url.netloc or url.username or url.password:
        raise wrong
    names = {"endpoint_url": "endpoint_url", "region": "region_name",
             "addressing_style": "addressing_style"}  # fmt: skip
    try:
        query = parse_qs(url.query, strict_parsing=bool(url.query))
    except ValueError:
        raise wrong from None
    unknown = set(query) - set(names)
    if unknown:
        raise ImproperlyConfigured(f"STORAGE_URL: unknown option {', '.join(sorted(unknown))}.")
    options = {
        "bucket_name": url.netloc,
        **{names[key]: values[-1] for key, values in query.items()},
        # As in a folder: a second file of the same name gets a name of its own.
        "file_overwrite": False,
    }
    prefix = url.path.strip("/")
    return {
        "default": {
            "BACKEND": "rencontres.s3.PublicS3Storage",
            "OPTIONS": {**options, "location": "/".join(filter(None, [prefix, "media"]))},
        },
        "private": {
            "BACKEND": "rencontres.s3.PrivateS3Storage",
            "OPTIONS": {**options, "location": "/".join(filter(None, [prefix, "private"]))},
        },
        "staticfiles": staticfiles,
    }


STORAGES = storage_settings(os.environ.get("STORAGE_URL"), env_bool("STATIC_MANIFEST", True))


def cache_settings(url):
    """CACHES from CACHE_URL: unset, a memory cache per process (one machine, zero set-up);
    redis://host:6379/0 (or rediss:// with TLS), one Redis shared by every app server and
    worker; db, a table of the database (`manage.py createcachetable`), shared without Redis.
    Nothing the site needs to be true is kept only there (rate limits and locks are in the
    database; cached pages are keyed by what they show), so any of the three is safe with
    several servers: a shared one renders each page once for all of them."""
    if not url or url.startswith("locmem:"):
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "default": {
                "BACKEND": "rencontres.cache.ForgivingRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "rencontres",
                # A Redis that is down slows nothing for long: the cache misses (see that
                # module), pages are rendered.
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            }
        }
    if url == "db" or url.startswith("db://"):
        table = url.removeprefix("db").removeprefix("://").strip("/")
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": table or "rencontres_cache",
            }
        }
    raise ImproperlyConfigured(f"CACHE_URL: {url!r} is neither redis://…, db nor locmem://")


CACHES = cache_settings(os.environ.get("CACHE_URL", ""))
PROGRAMME_CACHE_SECONDS = int(os.environ.get("PROGRAMME_CACHE_SECONDS", 300))
# Recommendations, keyed by Edition.networking_version: the timeout only bounds what a bulk
# update (which sends no signal) can leave stale.
NETWORKING_CACHE_SECONDS = int(os.environ.get("NETWORKING_CACHE_SECONDS", 900))

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE")
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# E-mail: the demo writes messages as files in var/mail; production sets SMTP in the environment.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rencontres <noreply@example.org>")
# A message claimed by a worker that died is sent by another after this long: keep it far above
# the time one message takes to send (see rencontres/mail/services.py).
MAIL_CLAIM_SECONDS = int(os.environ.get("MAIL_CLAIM_SECONDS", 600))
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address in e-mails (links must work outside the request that queued them).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Registration
REGISTRATION_CONFIRMATION_HOURS = int(os.environ.get("REGISTRATION_CONFIRMATION_HOURS", 72))
# Delegations: each member confirms their own address; from their head's confirmation, a
# member's place is held this long (0: none held), then goes to the waiting list. Keep it
# below REGISTRATION_CONFIRMATION_HOURS, the life of the member's link.
DELEGATION_HOLD_HOURS = int(os.environ.get("DELEGATION_HOLD_HOURS", 48))
# Parts other apps add to the registration form (each a class with a template, its checks and
# what it saves with the registration; see registration/parts.py): the registration app names
# them here instead of importing the apps above it.
REGISTRATION_FORM_PARTS = [
    "rencontres.invoicing.forms.PayerPart",
    "rencontres.networking.forms.ProfileCarryOverPart",
]
# The blank registration form is rendered once per state of what it shows (registration/
# form_page.py); the places and seats it shows are read again at most this often.
REGISTRATION_FORM_STATE_SECONDS = float(os.environ.get("REGISTRATION_FORM_STATE_SECONDS", 2))
# Members one head may register (each also counts in the "register-*" rate limits).
DELEGATION_MAX_MEMBERS = int(os.environ.get("DELEGATION_MAX_MEMBERS", 15))
# A form sent back faster than this was not filled in by a person.
REGISTRATION_MIN_SECONDS = float(os.environ.get("REGISTRATION_MIN_SECONDS", 3))
# Bump when the privacy notice's wording changes: each registration keeps the version it saw.
PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2027-1")
RATE_LIMIT_SCALE = float(os.environ.get("RATE_LIMIT_SCALE", 1))
RATE_LIMITS = {  # action: (uses, seconds)
    "register-ip": (int(30 * RATE_LIMIT_SCALE), 3600),
    "register-email": (int(5 * RATE_LIMIT_SCALE), 3600),
    "link-ip": (int(20 * RATE_LIMIT_SCALE), 3600),
    "link-email": (int(3 * RATE_LIMIT_SCALE), 3600),
    # Wrong private links from one address: a person mistypes a few, a scanner thousands.
    "link-guess-ip": (int(30 * RATE_LIMIT_SCALE), 3600),
    # Meeting requests per person: generous for real use, a wall for a script spamming people.
    "meeting-request": (int(40 * RATE_LIMIT_SCALE), 3600),
    # Failed logins: an account locks for 15 minutes after 5, an address after 20.
    "login-user": (5, 900),
    "login-ip": (20, 900),
    # Reports of what the Content Security Policy blocked: enough to notice, not to flood logs.
    "csp-report-ip": (int(20 * RATE_LIMIT_SCALE), 3600),
}
# Letters for visa applications: a signature image (static path), who signs, and their title
# in each language of the letters.
INVITATION_SIGNATURE = os.environ.get("INVITATION_SIGNATURE", "img/signature.png")
INVITATION_SIGNATORY = os.environ.get("INVITATION_SIGNATORY", "Claire Moreau")
INVITATION_SIGNATORY_TITLE = {
    "fr": os.environ.get("INVITATION_SIGNATORY_TITLE_FR", "Présidente"),
    "en": os.environ.get("INVITATION_SIGNATORY_TITLE_EN", "President"),
}
# Attendance certificates: who signs them (the letters' signatory unless told otherwise).
CERTIFICATE_SIGNATURE = os.environ.get("CERTIFICATE_SIGNATURE", INVITATION_SIGNATURE)
CERTIFICATE_SIGNATORY = os.environ.get("CERTIFICATE_SIGNATORY", INVITATION_SIGNATORY)
CERTIFICATE_SIGNATORY_TITLE = {
    "fr": os.environ.get("CERTIFICATE_SIGNATORY_TITLE_FR", INVITATION_SIGNATORY_TITLE["fr"]),
    "en": os.environ.get("CERTIFICATE_SIGNATORY_TITLE_EN", INVITATION_SIGNATORY_TITLE["en"]),
}

# Logs carry ids, never personal data: the filter masks e-mail addresses, phone numbers and
# the secrets of private links that a message or an exception might still contain.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "rencontres.privacy.logs.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The factur-x library says "XML validated", "PDF generated" for every invoice.
    "loggers": {"factur-x": {"level": "WARNING"}},
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "rencontres.privacy.logs.ErrorReportFilter"

# Branding: the organiser's name, logo and colours. Colours are checked at start-up
# (hex only, and white text on them must keep a 4.5:1 contrast: see rencontres/checks.py).
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
BRAND = {
    "ORGANISER_NAME": os.environ.get("BRAND_ORGANISER_NAME", "Rencontres AICT"),
    "ORGANISER_URL": os.environ.get("BRAND_ORGANISER_URL", ""),
    # A path under static/ or an absolute URL of an image.
    "LOGO": os.environ.get("BRAND_LOGO", "img/logo.svg"),
    "PRIMARY": os.environ.get("BRAND_PRIMARY", "#1f4e79"),
    "ACCENT": os.environ.get("BRAND_ACCENT", "#a4262c"),
    "CONTACT_EMAIL": os.environ.get("BRAND_CONTACT_EMAIL", "contact@example.org"),
    # The letterhead of the letters (invitations, certificates): postal address, one line
    # each separated by " / ", and a PNG or JPEG logo (static path) as PDFs cannot take SVG.
    "POSTAL_ADDRESS": os.environ.get(
        "BRAND_POSTAL_ADDRESS", "1 rue de l'Exemple / 75007 Paris / France"
    ),
    "PRINT_LOGO": os.environ.get("BRAND_PRINT_LOGO", "img/logo.png"),
}
# Invoices and credit notes (rencontres/invoicing/): the organising association sells, and each
# invoice keeps these details as they were when it was issued (a later change never alters an
# invoice). The seller's SIRET and VAT number are checked with python-stdnum, the IBAN and BIC
# with schwifty, at start-up (rencontres/invoicing/checks.py). Without a VAT number the invoices
# charge no VAT and carry VAT_EXEMPTION, the wording of the association's exemption.
INVOICING = {
    "SELLER_NAME": os.environ.get("INVOICE_SELLER_NAME", BRAND["ORGANISER_NAME"]),
    # Street lines separated by " / ", as BRAND_POSTAL_ADDRESS.
    "SELLER_ADDRESS": os.environ.get("INVOICE_SELLER_ADDRESS", "1 rue de l'Exemple"),
    "SELLER_POSTCODE": os.environ.get("INVOICE_SELLER_POSTCODE", "75007"),
    "SELLER_CITY": os.environ.get("INVOICE_SELLER_CITY", "Paris"),
    "SELLER_COUNTRY": os.environ.get("INVOICE_SELLER_COUNTRY", "FR"),
    "SELLER_SIRET": os.environ.get("INVOICE_SELLER_SIRET", "12345678200010"),
    "SELLER_VAT_NUMBER": os.environ.get("INVOICE_SELLER_VAT_NUMBER", ""),
    "SELLER_EMAIL": os.environ.get("INVOICE_SELLER_EMAIL", BRAND["CONTACT_EMAIL"]),
    "VAT_EXEMPTION": {
        "fr": os.environ.get("INVOICE_VAT_EXEMPTION_FR", "TVA non applicable, art. 293 B du CGI"),
        "en": os.environ.get(
            "INVOICE_VAT_EXEMPTION_EN", "VAT not applicable, article 293 B of the French tax code"
        ),
    },
    # The code of that exemption in electronic invoices (EN 16931, BT-121).
    "VAT_EXEMPTION_CODE": os.environ.get("INVOICE_VAT_EXEMPTION_CODE", "VATEX-FR-FRANCHISE"),
    "IBAN": os.environ.get("INVOICE_IBAN", "FR7630006000011234567890189"),
    "BIC": os.environ.get("INVOICE_BIC", "AGRIFRPP"),
    "PAYMENT_TERMS_DAYS": int(os.environ.get("INVOICE_PAYMENT_TERMS_DAYS", 30)),
    # Late-payment penalties (Code de commerce, L441-10): their rate, in words, in each language.
    "LATE_PENALTY": {
        "fr": os.environ.get(
            "INVOICE_LATE_PENALTY_FR",
            "pénalités de retard au taux de trois fois le taux d'intérêt légal",
        ),
        "en": os.environ.get(
            "INVOICE_LATE_PENALTY_EN", "late-payment interest at three times the legal rate"
        ),
    },
    # The fixed indemnity for recovery costs owed by a business or public payer (D441-5).
    "RECOVERY_INDEMNITY_CENTS": int(os.environ.get("INVOICE_RECOVERY_INDEMNITY_CENTS", 4000)),
    "CURRENCY": "EUR",
    # Where invoices to French public payers are deposited (rencontres/invoicing/deposit.py):
    # the ZIP for Chorus Pro's manual deposit, or a connector written later for its API.
    "DEPOSIT_CONNECTOR": os.environ.get(
        "INVOICE_DEPOSIT_CONNECTOR", "rencontres.invoicing.deposit.ManualZipDeposit"
    ),
}

LOGIN_URL = "backoffice:login"

# Content Security Policy (django-csp, on HTML pages: see rencontres/headers.py): scripts and
# styles come from our own files only, never inline, so injected markup cannot run or restyle
# the page; nothing may frame the site, and forms post to it only.
image_sources = ["'self'"]
if re.match(r"^https?://", BRAND["LOGO"]):
    # A logo given as an address is shown from its own site.
    image_sources.append("/".join(BRAND["LOGO"].split("/", 3)[:3]))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": image_sources,
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "upgrade-insecure-requests": HTTPS,
        # Browsers report what the policy blocked: a page it breaks shows in the logs.
        "report-uri": ["/csp-report"],
    }
}
# Powerful browser features, all off but where a page needs one (the check-in desk's camera).
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "bluetooth": [],
}

# Organisers (superusers and organiser roles) confirm their login with a code from an
# authenticator app (TOTP); the tests turn it off except where they test it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = BRAND["ORGANISER_NAME"]

# Personal data (GDPR). One source for the information given on every form that collects
# personal data and for the privacy notice page (rencontres/privacy/notice.py renders both).
# Personal data of an edition are erased at its retention date (Edition field; empty: this many
# months after its last day); access needs, diet and passport names go first, this many days
# after the last day. Counts for statistics (category, country, kind, attendance) stay.
PERSONAL_DATA_RETENTION_MONTHS = int(os.environ.get("PERSONAL_DATA_RETENTION_MONTHS", 12))
SENSITIVE_DATA_RETENTION_DAYS = int(os.environ.get("SENSITIVE_DATA_RETENTION_DAYS", 30))
PRIVACY = {
    "CONTROLLER_NAME": os.environ.get("PRIVACY_CONTROLLER_NAME", BRAND["ORGANISER_NAME"]),
    "CONTROLLER_ADDRESS": os.environ.get(
        "PRIVACY_CONTROLLER_ADDRESS", "1 rue de l'Exemple, 75007 Paris, France"
    ),
    "CONTROLLER_EMAIL": os.environ.get("PRIVACY_CONTROLLER_EMAIL", BRAND["CONTACT_EMAIL"]),
    "DPO_EMAIL": os.environ.get("PRIVACY_DPO_EMAIL", "dpo@example.org"),
    "AUTHORITY_NAME": _("Commission nationale de l'informatique et des libertés (CNIL)"),
    "AUTHORITY_ADDRESS": "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France",
    "AUTHORITY_URL": "https://www.cnil.fr/fr/plaintes",
    # What each purpose uses, why, and on which legal basis (GDPR art. 6 and 9).
    "PURPOSES": [
        {
            "code": "registration",
            # The first layer of the information on forms (privacy/_at_collection.html).
            "short": _("registering you and organising your participation"),
            "purpose": _(
                "Registering you and organising your participation: places, sessions, "
                "badge, check-in at the door, e-mails about your registration."
            ),
            "data": _(
                "Name, e-mail, phone, job title, organisation, category, language, days "
                "and sessions, check-ins."
            ),
            "basis": _("Performance of the registration you ask for (GDPR art. 6(1)(b))."),
        },
        {
            "code": "invoicing",
            "short": _("invoicing the fees, for the categories that pay"),
            "purpose": _(
                "Invoicing the fees, for the categories that pay, and keeping the invoices as "
                "the law requires."
            ),
            "data": _(
                "Who pays: name, postal address, e-mail for invoices, SIRET, service code and "
                "commitment number (French public bodies), VAT number; the invoices."
            ),
            "basis": _(
                "Performance of the registration you ask for (GDPR art. 6(1)(b)); keeping the "
                "invoices: our legal obligation (GDPR art. 6(1)(c))."
            ),
        },
        {
            "code": "needs",
            "short": _("welcome and catering, if you give your needs"),
            "purpose": _(
                "Welcoming you and catering: access needs and diet, only if you give them."
            ),
            "data": _("Access needs, diet."),
            "basis": _(
                "Your explicit consent, given by filling in these optional fields "
                "(GDPR art. 9(2)(a)); you can remove them at any time."
            ),
        },
        {
            "code": "invitation",
            "short": _("a visa invitation letter, if you ask for one"),
            "purpose": _("An invitation letter for your visa application, if you ask for one."),
            "data": _(
                "Name as written in the passport, passport number, nationality, date of birth."
            ),
            "basis": _("Performance of the registration you ask for (GDPR art. 6(1)(b))."),
        },
        {
            "code": "directory",
            "short": _("the directory and meetings, if you opt in"),
            "purpose": _("The participant directory and bilateral meetings, if you opt in."),
            "data": _("Name, job title, organisation, profile, posts, meeting requests."),
            "basis": _(
                "Your consent (GDPR art. 6(1)(a)), which you can withdraw at any time "
                "from your private page."
            ),
        },
        {
            "code": "photos",
            "short": _("photos of the event, if you agree"),
            "purpose": _("Photos and videos of the event, if you agree."),
            "data": _("Your image."),
            "basis": _(
                "Your consent (GDPR art. 6(1)(a)), which you can withdraw at any time "
                "from your private page."
            ),
        },
        {
            "code": "next_editions",
            "short": _("inviting you to the next editions, if you agree"),
            "purpose": _(
                "Inviting you to the next editions, if you agree: an e-mail when registration "
                "opens, with your form filled in from your last registration (never your "
                "needs, diet or passport details), and your networking profile if you bring "
                "it over."
            ),
            "data": _(
                "Name, e-mail, language, job title, phone, organisation, category, "
                "your networking profile."
            ),
            "basis": _(
                "Your consent (GDPR art. 6(1)(a)), which you can withdraw at any time "
                "from your private page."
            ),
        },
        {
            "code": "statistics",
            "short": _("statistics that identify nobody"),
            "purpose": _("Statistics across editions, kept after your data are erased."),
            "data": _(
                "Counts by category, country and kind of organisation, and attendance: "
                "nothing that identifies you."
            ),
            "basis": _("Our legitimate interest in reporting on the Meetings (GDPR art. 6(1)(f))."),
        },
    ],
    "RECIPIENTS": _(
        "The organising team, each member seeing only what their role needs (access "
        "needs and diet: welcome and catering staff; passport details: organisers); "
        "our hosting provider and e-mail service, as processors; other "
        "participants see your directory profile only if you opt in."
    ),
    "TRANSFERS": _(
        "Your data are stored in the European Union and are not transferred outside it."
    ),
}


# The API (rencontres/api): tokens only (no session, so no CSRF), JSON in and out, its errors
# as JSON, its schema generated by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rencontres.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rencontres.api.throttles.ApiRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rencontres.api.errors.handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rencontres API",
    "DESCRIPTION": "The programme (public) and, with a token, registrations, organisations, "
    "check-ins and meetings of an edition.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "rencontres.registration.models.Organisation.Kind",
        "SessionKindEnum": "rencontres.editions.models.Session.Kind",
    },
}
# Requests per minute and token (or address, without one); past them, 429 and Retry-After.
API_RATES = {
    "token": os.environ.get("API_RATE_TOKEN", "600/min"),
    "anonymous": os.environ.get("API_RATE_ANONYMOUS", "120/min"),
}
# Partners' sites read the public programme from their pages: only those addresses, only GET.
CORS_URLS_REGEX = r"^/api/v1/(schema/|editions/(\d+/((sessions|rooms|speakers)/)?)?)$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "OPTIONS"]
# Webhooks may call plain HTTP on this machine's own addresses (the bench's receiver on
# 127.0.0.1); otherwise HTTPS to public addresses only (rencontres.api.webhooks).
WEBHOOKS_ALLOW_LOCAL = env_bool("WEBHOOKS_ALLOW_LOCAL")
# A webhook delivery (its payload names people) is kept this long once sent or given up.
WEBHOOK_DELIVERIES_DAYS = int(os.environ.get("WEBHOOK_DELIVERIES_DAYS", "30"))
