"""What a token may do: its scope for the resource (read for safe methods, write for the
others), its edition, and never more than its owner's role allows for that edition now (a
role taken away takes the token's rights with it)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from rencontres import roles

from .models import ApiToken

# The capability the owner's role needs, per resource, to read and to write.
CAPABILITIES = {
    "registrations": (roles.REGISTRATIONS, roles.REGISTRATIONS),
    "organisations": (roles.REGISTRATIONS, roles.REGISTRATIONS),
    "checkins": (roles.CHECK_IN, roles.CHECK_IN),
    "meetings": (roles.MEETINGS, roles.MEETINGS),
    "invoices": (roles.INVOICES, roles.INVOICES),
}


class TokenScope(permissions.BasePermission):
    message = _("This token may not do this.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        write = request.method not in permissions.SAFE_METHODS
        if not token.allows(view.resource, write):
            return False
        edition = view.edition
        if token.edition_id is not None and token.edition_id != edition.pk:
            return False
        read_capability, write_capability = CAPABILITIES[view.resource]
        return roles.can(request.user, edition, write_capability if write else read_capability)
