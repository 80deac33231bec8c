"""The blank registration form as most people get it (a GET, nobody logged in, no invitation),
rendered once per state of what it shows and kept in the cache: rendering its 25 fields (a
country list of 250 options, the sessions with their places) costs far more than reading the
rows it shows. The key is a digest of those rows (the edition, places left, categories,
fees, extras and their seats), of the language and address, and of the code, templates and
catalogues that render them: a change gives a new key, whichever server or process made it,
so nothing needs invalidating. What differs per visitor (the CSRF token, the form token) is
put in at each request in place of markers."""

import functools
import hashlib
import importlib.metadata
import pathlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

from rencontres.fees.models import Extra, Fee
from rencontres.fees.selectors import seats_left

from .forms import new_form_token
from .models import Category
from .selectors import places_left

# Markers the page is rendered with (letters and digits only: no template escapes them),
# replaced by each visitor's own tokens.
CSRF_MARK = "csrfmark" + "0" * 56
FORM_TOKEN_MARK = "formtokenmark" + "0" * 51
# The edition's columns the form does not show (the directory's version changes with every
# profile: the form would be rendered again for nothing).
NOT_SHOWN = {"networking_version"}


def applies(request, invitation):
    """Whether this request gets the shared page: a plain GET of a blank form, by nobody
    logged in (an organiser's page has their menu), without a message waiting to be shown."""
    return (
        request.method == "GET"
        and invitation is None
        and not request.GET
        and not request.user.is_authenticated
        and not messages.get_messages(request)
    )


def key(request, edition, status):
    """The cache key of the page for this state of what it shows. The rows that change
    with each registration (places, seats) are read at most every
    REGISTRATION_FORM_STATE_SECONDS (places shown for a few seconds: the capacity lock, not
    the page, decides); the edition itself, its registration window included, on every
    request."""
    first = digest("registration-form-state:", [
        code_version(), request.scheme, request.get_host(), request.path,
        translation.get_language(),
        [getattr(edition, field.attname) for field in edition._meta.concrete_fields
         if field.attname not in NOT_SHOWN], status,
    ])  # fmt: skip
    seconds = settings.REGISTRATION_FORM_STATE_SECONDS
    found = cache.get(first) if seconds else None
    if found is not None:
        return found
    rows = [
        sorted(places_left(edition).items()),
        list(Category.objects.filter(edition=edition).order_by("pk").values_list()),
        list(Fee.objects.filter(category__edition=edition).order_by("pk").values_list()),
    ]
    extras = list(Extra.objects.filter(edition=edition).order_by("pk").values_list())
    if extras:
        rows += [extras, sorted(seats_left(edition).items())]
    page_key = digest("registration-form:", [first, rows])
    if seconds:
        cache.set(first, page_key, seconds)
    return page_key


def digest(prefix, values):
    return prefix + hashlib.sha256(repr(values).encode()).hexdigest()


@functools.cache
def code_version():
    """A digest of what renders the page and could change with a deployment: the Python
    code, the templates, the compiled catalogues and the static files' names. Read once per
    process; it keeps servers running different versions from sharing each other's pages."""
    root = pathlib.Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder, pattern in (("rencontres", "*.py"), ("templates", "*"), ("locale", "*.mo")):
        for path in sorted((root / folder).rglob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    manifest = pathlib.Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    # The settings the page shows, and the libraries' versions (country names, Django's own
    # messages): a change there is a new page too.
    shown = [settings.BRAND, getattr(settings, "PRIVACY", None), settings.DELEGATION_MAX_MEMBERS,
             settings.PRIVACY_NOTICE_VERSION, settings.LANGUAGES]  # fmt: skip
    libraries = sorted(
        (found.metadata["Name"] or "", found.version)
        for found in importlib.metadata.distributions()
    )
    digest.update(repr([shown, libraries]).encode())
    return digest.hexdigest()


def context_marks():
    """What the page's context holds in place of the visitor's tokens."""
    return {"csrf_token": CSRF_MARK}


def respond(request, html, client):
    """The cached page with this visitor's tokens put in."""
    from django.middleware.csrf import get_token

    html = html.replace(CSRF_MARK, get_token(request)).replace(
        FORM_TOKEN_MARK, new_form_token(client)
    )
    return HttpResponse(html)


def keep(page_key, response):
    """Store a page rendered with the markers, for as long as the programme's pages: a new
    state has a new key, so an entry no request asks for goes soon (a shared Redis does not
    fill up with them in a rush), and a bulk update, which bumps no version, shows by then."""
    cache.set(page_key, response.content.decode(), settings.PROGRAMME_CACHE_SECONDS)
