"""Requests per minute, per token (or per address without one): past the limit, 429 with
`Retry-After`. Counted like every other limit, in the database (rencontres/ratelimit.py), so
that all the app servers share them. The rates are read at each request (settings.API_RATES),
so a test or an operator can change them."""

import math

from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from rencontres import ratelimit

from .models import ApiToken


class ApiRateThrottle(BaseThrottle):
    retry_after = None

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        scope = "token" if token else "anonymous"
        allowed, period = SimpleRateThrottle.parse_rate(None, settings.API_RATES[scope])
        subject = f"token-{token.pk}" if token else ratelimit.client_ip(request._request)
        now = timezone.now()
        hits, started = ratelimit.count(ratelimit.throttle_key(f"api-{scope}", subject), now,
                                        period)  # fmt: skip
        if hits <= allowed:
            return True
        self.retry_after = max(1, math.ceil((started - now).total_seconds() + period))
        return False

    def wait(self):
        return self.retry_after
