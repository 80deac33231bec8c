"""Security headers beside Django's own: the Content Security Policy of HTML pages (django-csp)
and the Permissions-Policy that keeps the camera and other powerful features off but where a
page needs one."""

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
