"""Security headers beside Django's own: the Content Security Policy of HTML pages (django-csp),
the Permissions-Policy that keeps the camera and other powerful features off but where a
page needs one, and Clear-Site-Data when someone logs out."""

import functools

from csp.middleware import CSPMiddleware
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, for HTML pages only.

    The policy protects documents that run scripts. Chromium's PDF viewer draws its page with
    inline styles under the PDF's own policy and shows a blank page when a strict policy comes
    with the PDF (chromium issue 271452); badges, agendas and letters are PDFs, and JSON, CSV
    or iCal answers have nothing a policy could protect.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


def permissions_policy(features):
    """The Permissions-Policy header: each feature with the origins that may use it."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in sorted(features.items())
    )


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY with every answer, unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def allow_features(**features):
    """A view whose page may use these features, e.g. `@allow_features(camera=["self"])`."""
    header = permissions_policy({**settings.PERMISSIONS_POLICY, **features})

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Permissions-Policy"] = header
            return response

        return wrapper

    return decorator


def note_logout(sender, request, user, **kwargs):
    """user_logged_out: the answer to this request will ask the browser to forget the site."""
    if request is not None:
        request.logged_out = True


class ClearSiteDataMiddleware:
    """The answer to a logout (the back-office's or the admin's, even once the session had
    ended) tells the browser to clear what this site stored (localStorage: the check-in
    desk's offline list and queue): whoever uses the device next finds no participant's name
    in it. Not "cache" (pages with personal data are never cached, and Chromium can take
    seconds to clear it) nor "cookies" (the session is over; the language is no secret)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "logged_out", False):
            response["Clear-Site-Data"] = '"storage"'
        return response
