"""Site-wide endpoints: health check, language switch, brand stylesheet, demo uploads."""

import json
import logging
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Max, Min, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from rencontres import ratelimit
from rencontres.mail.models import OutgoingEmail
from rencontres.mail.services import CLAIM_TIMEOUT
from rencontres.models import WorkerHeartbeat
from rencontres.privacy.logs import loggable

logger = logging.getLogger(__name__)


# /healthz answers 503 when the worker has not written its heartbeat for this long, or when an
# e-mail has been due for this long without being sent.
HEARTBEAT_STALE_SECONDS = 60
MAIL_LATE_SECONDS = 300


@never_cache
@require_GET
def healthz(request):
    """Health for monitoring: the database answers, a worker is alive, e-mails go out. Plain
    text (first line "ok" or "error", then the reasons), JSON with ?format=json or Accept:
    application/json. ?scope=web checks this app server only (the database): for a load
    balancer, which should not drop every app server because the worker is down. Two small
    queries, counts and ages only: nothing personal."""
    detail = {"status": "ok", "database": "ok", "problems": []}
    try:
        if request.GET.get("scope") != "web":
            detail.update(background_health())
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as error:  # any database failure makes the instance unhealthy
        detail["database"] = type(error).__name__
        detail["problems"] = [f"database: {type(error).__name__}"]
    if detail["problems"]:
        detail["status"] = "error"
    wants_json = request.GET.get("format") == "json" or "application/json" in request.headers.get(
        "Accept", ""
    )
    status = 503 if detail["problems"] else 200
    if wants_json:
        return JsonResponse(detail, status=status)
    text = "\n".join([detail["status"], *detail["problems"]]) + "\n"
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def background_health():
    """The worker's last heartbeat and the oldest e-mail due, in seconds, with what is wrong."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    now = timezone.now()
    # Tasks run in the request (TASKS_IMMEDIATE, the tests): there is no worker to wait for,
    # and an e-mail left due waits for the next one queued or for cron (send_outbox).
    has_worker = isinstance(task_backends["default"], DatabaseBackend)
    seen_at = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
    Status = OutgoingEmail.Status
    # Due: waiting and its time has come, or claimed by a worker whose claim ran out.
    due = OutgoingEmail.objects.filter(
        Q(status=Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    ).aggregate(pending=Min("next_attempt_at"), claimed=Min("claimed_at"))
    due_since = [at for at in (due["pending"], due["claimed"] and due["claimed"] + CLAIM_TIMEOUT)]
    due_since = min((at for at in due_since if at), default=None)
    heartbeat_age = None if seen_at is None else max(0, (now - seen_at).total_seconds())
    mail_age = None if due_since is None else max(0, (now - due_since).total_seconds())
    problems = []
    if has_worker and heartbeat_age is None:
        problems.append("worker: no heartbeat (is the worker running?)")
    elif has_worker and heartbeat_age > HEARTBEAT_STALE_SECONDS:
        problems.append(f"worker: no heartbeat for {heartbeat_age:.0f} s")
    if has_worker and mail_age is not None and mail_age > MAIL_LATE_SECONDS:
        problems.append(f"mail: an e-mail has been due for {mail_age:.0f} s")
    return {
        "worker": {
            "expected": has_worker,
            "last_heartbeat_seconds": None if heartbeat_age is None else round(heartbeat_age),
        },
        "mail": {"oldest_due_seconds": None if mail_age is None else round(mail_age)},
        "problems": problems,
    }


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
PRIVATE_MEDIA_FOLDERS = {"badges"}  # built with names before PRIVATE_ROOT: never served


@require_GET
def media(request, path):
    """Public uploads (partner logos, speaker photos), read through the default storage: a
    folder (MEDIA_ROOT), or the bucket of STORAGE_URL, which is never public. With a folder, a
    deployment may have its proxy serve it instead, with the same headers (docs/deploy.md).
    Only the default storage: files with personal data are in the private one, which no name
    here reaches, and the storage refuses a name that leaves its folder. The type is never
    sniffed, and what is not an image we accept is sent as a download under a sandbox, so an
    uploaded page or PDF never runs on this site. Nothing under badges/ is served, whatever is
    left there: batches of badges were kept there before private storage, and a copy put back
    must not be public again."""
    name = posixpath.normpath(path).lstrip("/")
    if name in ("", ".") or name.split("/")[0].lower() in PRIVATE_MEDIA_FOLDERS:
        raise Http404
    try:
        content = default_storage.open(name, "rb")
    # No such file, a folder, a name leaving the folder or one no file can have (a NUL).
    except (OSError, ValueError, SuspiciousFileOperation):
        raise Http404 from None
    inline = Path(name).suffix.lower() in INLINE_MEDIA
    response = FileResponse(
        content,
        as_attachment=not inline,
        filename=Path(name).name,
        **({} if inline else {"content_type": "application/octet-stream"}),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
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
