"""Requests per minute, per token (or per address without one): past the limit, 429 with
`Retry-After`. The rates are read at each request (settings.API_RATES), so a test or an
operator can change them."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from rencontres.ratelimit import client_ip

from .models import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return None  # read in allow_request: settings may change while the process runs

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        self.scope = "token" if token else "anonymous"
        self.rate = settings.API_RATES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        ident = f"token-{token.pk}" if token else client_ip(request._request)
        return f"api-throttle-{self.scope}-{ident}"
