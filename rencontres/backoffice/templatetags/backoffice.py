"""The back-office shell: the menu a team member's role opens, with the page they are on."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (capability, URL name, label, other paths of the same section after the edition's prefix)
MENU = [
    ("dashboard", "backoffice:home", _("Overview"), ()),
    ("registrations", "backoffice:registrations", _("Registrations"), ("mailings/",)),
    ("registrations", "backoffice:sessions", _("Sessions"), ()),
    ("invitations", "backoffice:invitations", _("Invitations"), ()),
    ("fees", "backoffice:fees", _("Fees"), ()),
    ("meetings", "networking:organiser", _("Bilateral meetings"), ()),
    ("badges", "onsite:badges", _("Badges"), ()),
    ("invoices", "backoffice:invoices", _("Invoices"), ()),
    ("check_in", "onsite:desk", _("Check-in"), ()),
    ("certificates", "onsite:certificates", _("Certificates"), ()),
    ("outcomes", "backoffice:outcomes", _("Outcomes"), ()),
    ("surveys", "followup:surveys", _("Surveys"), ()),
    ("privacy", "backoffice:privacy:requests", _("Personal data"), ()),
    ("audit", "backoffice:audit", _("Audit log"), ()),
    ("api_tokens", "api_pages:tokens", _("API tokens"), ()),
    ("webhooks", "api_pages:webhooks", _("Webhooks"), ()),
]


@register.simple_tag(takes_context=True)
def backoffice_menu(context, edition):
    """The menu's entries for this role, the one holding the current page marked: the entry
    whose address is the longest start of the page's (the overview's is the start of all)."""
    request = context["request"]
    allowed = getattr(request, "capabilities", set())
    home = reverse("backoffice:home", args=[edition.number])
    entries = []
    for capability, name, label, others in MENU:
        if capability not in allowed:
            continue
        url = reverse(name, args=[edition.number])
        prefixes = [url, *(home + other for other in others)]
        matched = max(
            (len(prefix) for prefix in prefixes if request.path.startswith(prefix)), default=0
        )
        if url == home and request.path != home:
            matched = 0
        entries.append({"url": url, "label": label, "matched": matched})
    best = max((entry["matched"] for entry in entries), default=0)
    for entry in entries:
        entry["current"] = best > 0 and entry["matched"] == best
    return entries
