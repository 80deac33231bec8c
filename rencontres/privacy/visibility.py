"""Who sees the sensitive fields: access needs and diet for the roles that welcome and feed
people (organiser, staff), what invitation letters need (name as in the passport, passport
number, nationality, date of birth) for organisers."""

from rencontres import roles
from rencontres.models import Membership

SENSITIVE_FIELDS = {
    "access_needs": roles.NEEDS,
    "diet": roles.NEEDS,
    "diet_details": roles.NEEDS,
    "passport_name": roles.PASSPORT,
    "passport_number": roles.PASSPORT,
    "nationality": roles.PASSPORT,
    "date_of_birth": roles.PASSPORT,
}


def hidden_fields(user, edition):
    """Sensitive fields `user` may not see for `edition` (None: any edition they work on)."""
    if user.is_superuser:
        return set()
    if edition is None:
        editions = [
            m.edition for m in Membership.objects.filter(user=user).select_related("edition")
        ]
    else:
        editions = [edition]
    allowed = set()
    for one in editions:
        allowed |= roles.capabilities(user, one)
    return {field for field, capability in SENSITIVE_FIELDS.items() if capability not in allowed}
