"""The retention purge: for each edition, sensitive fields (access needs, diet, what the
invitation letter needs) SENSITIVE_DATA_RETENTION_DAYS after its last day, then every personal
field at its retention date; and, whatever the edition, the records kept only for a while
(registrations never confirmed, rate-limit counters, sessions: registry.TIMED and
registry.NEVER_CONFIRMED). Run daily by the task (tasks.py) or `manage.py purge_personal_data`."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rencontres import ratelimit
from rencontres.editions.models import Edition
from rencontres.invoicing.services import delete_past_retention
from rencontres.registration.models import Registration, RegistrationEvent
from rencontres.registration.services import delete_never_confirmed

from ..registry import erased_value, personal_fields, scrub_sensitive_event_details
from .erasure import erase_invitations, erase_registrations


@dataclass
class Step:
    edition: Edition
    kind: str  # "sensitive" or "personal"
    due_on: object
    registrations: int


def plan(today=None):
    """What is due on `today`: [Step] in the order it runs."""
    today = today or timezone.localdate()
    steps = []
    for edition in Edition.objects.order_by("number"):
        count = Registration.objects.filter(edition=edition).count()
        if edition.personal_data_purged_at is None and edition.personal_data_purge_date <= today:
            if edition.sensitive_data_purged_at is None:
                steps.append(Step(edition, "sensitive", edition.sensitive_data_purge_date, count))
            steps.append(Step(edition, "personal", edition.personal_data_purge_date, count))
        elif (
            edition.sensitive_data_purged_at is None
            and edition.personal_data_purged_at is None
            and edition.sensitive_data_purge_date <= today
        ):
            steps.append(Step(edition, "sensitive", edition.sensitive_data_purge_date, count))
        elif edition.personal_data_purged_at is None and sensitive_data_left(edition):
            # Typed after the sensitive purge ran (the organiser in the admin, a form left
            # open): erased on the next run, as the first time.
            steps.append(Step(edition, "sensitive", edition.sensitive_data_purge_date, count))
    return steps


def sensitive_data_left(edition):
    """Whether a participant of `edition`, whose sensitive purge has run, holds a sensitive
    value again."""
    if edition.sensitive_data_purged_at is None:
        return False
    erased = {
        field.name: erased_value(field, action, None)
        for field, action in personal_fields(Registration, sensitive_only=True)
    }
    return Registration.objects.filter(edition=edition).exclude(**erased).exists()


def purge(today=None, dry_run=False):
    """Run (or, with `dry_run`, only list) what is due. Returns the steps."""
    steps = plan(today)
    if not dry_run:
        for step in steps:
            if step.kind == "sensitive":
                purge_sensitive(step.edition)
            else:
                purge_edition(step.edition)
    return steps


def purge_sensitive(edition, now=None):
    with transaction.atomic():
        people = Registration.objects.filter(edition=edition)
        count = people.update(**{
            field.name: erased_value(field, action, None)
            for field, action in personal_fields(Registration, sensitive_only=True)
        })  # fmt: skip
        events = list(
            RegistrationEvent.objects.filter(
                registration__edition=edition, action="details_changed"
            )
        )
        for event in events:
            event.details = scrub_sensitive_event_details(event)
        RegistrationEvent.objects.bulk_update(events, ["details"], batch_size=500)
        # The first run's time stays: the purge was due then, and ran then.
        Edition.objects.filter(pk=edition.pk, sensitive_data_purged_at=None).update(
            sensitive_data_purged_at=now or timezone.now()
        )
    return count


def purge_edition(edition, now=None):
    """Erase every participant's personal data; the counts the dashboards draw stay."""
    with transaction.atomic():
        changed = erase_registrations(Registration.objects.filter(edition=edition))
        for label, count in erase_invitations(edition).items():
            changed[label] = changed.get(label, 0) + count
        now = now or timezone.now()
        Edition.objects.filter(pk=edition.pk).update(
            personal_data_purged_at=now,
            sensitive_data_purged_at=edition.sensitive_data_purged_at or now,
        )
    return changed


def old_webhook_deliveries(now, dry_run):
    """Webhook deliveries delivered or given up WEBHOOK_DELIVERIES_DAYS ago (their payload
    names people) go, with their attempts. Read by label: the API sits beside privacy."""
    import datetime

    from django.apps import apps
    from django.conf import settings

    delivery = apps.get_model("api", "WebhookDelivery")
    before = now - datetime.timedelta(days=settings.WEBHOOK_DELIVERIES_DAYS)
    # Sent or given up; or, whatever its state (a disabled subscription's), past the three
    # days a delivery is tried.
    old = delivery.objects.filter(
        Q(status__in=["delivered", "failed"])
        | Q(created_at__lt=before - datetime.timedelta(days=3)),
        created_at__lt=before,
    )
    count = old.count()
    if not dry_run:
        old.delete()
    return count


def purge_timed(now=None, dry_run=False):
    """Delete the registrations never confirmed whose confirmation link has expired (the
    e-mail promises that nothing is kept), the rate-limit counters whose window is over and
    the sessions that expired (a registrant's session holds the address they registered
    with). Returns {"registration.Registration": n, "rencontres.Throttle": n,
    "sessions.Session": n, "invoicing.Invoice": n} deleted (or due, with `dry_run`)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    counts = {
        "registration.Registration": delete_never_confirmed(now, dry_run=dry_run),
        "rencontres.Throttle": ratelimit.purge_expired(now, dry_run=dry_run),
        # Invoices are kept ten years (registry.RETAINED_BY_LAW), then go.
        "invoicing.Invoice": delete_past_retention(timezone.localdate(now), dry_run=dry_run),
    }
    counts["api.WebhookDelivery"] = old_webhook_deliveries(now, dry_run)
    database_sessions = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    if database_sessions:
        counts["sessions.Session"] = Session.objects.filter(expire_date__lte=now).count()
    if not dry_run:
        # Each engine's own way (Django's clearsessions); other engines expire by themselves.
        import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return counts
