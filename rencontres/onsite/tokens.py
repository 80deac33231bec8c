"""The token in a badge's QR code: the registration's random public id, signed with the site's
secret. It carries no database id and no personal data; a forged or altered token fails the
signature; the hash of a token is what offline devices hold."""

import hashlib
import uuid

from django.core import signing

SALT = "onsite.badge"


def badge_token(registration):
    return signing.Signer(salt=SALT).sign(registration.public_id.hex)


def public_id_from_token(token):
    """The registration's public id, or None when the token is not one we signed."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        value = signing.Signer(salt=SALT).unsign(token.strip())
        return uuid.UUID(hex=value)
    except (signing.BadSignature, ValueError):
        return None


def token_hash(token):
    return hashlib.sha256(token.strip().encode()).hexdigest()
