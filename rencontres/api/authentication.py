"""`Authorization: Bearer rct_…`: the token's hash is looked up; a revoked, expired or unknown
token, or one whose owner left, is refused with 401."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken, hashed

# Writing the time of use on every request would make each read a write.
LAST_USED_EVERY = datetime.timedelta(minutes=5)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header is malformed."))
        try:
            key = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("The token is malformed.")) from error
        token = (
            ApiToken.objects.select_related("user", "edition").filter(key_hash=hashed(key)).first()
        )
        now = timezone.now()
        if token is None or not token.is_valid(now):
            raise exceptions.AuthenticationFailed(_("Unknown, expired or revoked token."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    """The token, as the OpenAPI schema tells tools to send it."""

    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "rct_…"}
