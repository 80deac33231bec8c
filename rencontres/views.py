"""Site-wide endpoints: health check, language switch, brand stylesheet, demo uploads."""

import json
import logging
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from rencontres import ratelimit
from rencontres.privacy.logs import loggable

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure makes the instance unhealthy
        return JsonResponse({"status": "error", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def switch_language(request, language):
    """Remember the chosen language and go to the same page in it (a link, so no JS is needed)."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    # URLs resolve only in their own language: read `next` in the language of its prefix.
    with translation.override(translation.get_language_from_path(next_url) or language):
        target = translate_url(next_url, language) if next_url else ""
    if not translation.get_language_from_path(target):
        with translation.override(language):
            target = reverse("editions:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@require_GET
@cache_control(max_age=3600, public=True)
def brand_css(request):
    """The organiser's colours as CSS custom properties (checked at start-up, see checks.py)."""
    brand = settings.BRAND
    css = f":root{{--brand-primary:{brand['PRIMARY']};--brand-accent:{brand['ACCENT']};}}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


# What a public upload may be shown as in a page; anything else is only ever downloaded.
INLINE_MEDIA = {".jpg", ".jpeg", ".png", ".webp"}


@require_GET
def media(request, path):
    """Public uploads (partner logos, speaker photos), for the demo (SERVE_MEDIA); a deployment
    serves them from its proxy with the same headers (README, Operations). Only MEDIA_ROOT:
    files with personal data are in PRIVATE_ROOT, outside it, and `serve` refuses any path
    that leaves the folder. The type is never sniffed, and what is not an image we accept is
    sent as a download under a sandbox, so an uploaded page or PDF never runs on this site."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if Path(path).suffix.lower() not in INLINE_MEDIA:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = content_disposition_header(True, Path(path).name)
    return response


@csrf_exempt  # browsers send reports without a token
@require_POST
def csp_report(request):
    """What the Content Security Policy blocked, as a browser reports it: logged (the page's
    path, never its query; a few reports per address and hour) so that a page the policy
    breaks is noticed. Nothing in a report is trusted or stored."""
    if len(request.body) > 20_000 or not ratelimit.allow(
        "csp-report-ip", ratelimit.client_ip(request)
    ):
        return HttpResponse(status=204)
    try:
        report = json.loads(request.body)["csp-report"]
        directive = loggable(report.get("violated-directive", ""), 80)
        blocked = loggable(report.get("blocked-uri", ""), 200)
        page = loggable(urlsplit(str(report.get("document-uri", ""))).path, 200)
    except (ValueError, TypeError, KeyError, AttributeError):
        return HttpResponse(status=400)
    logger.warning("CSP violation: %s blocked %s on %s", directive, blocked, page)
    return HttpResponse(status=204)
