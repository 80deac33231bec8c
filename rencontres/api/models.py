"""The API's tokens (a team member's, hashed, with scopes, an expiry and one edition or all)
and the answers kept for idempotency keys (a retried POST creates nothing twice)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a token may reach, each read or write; the owner's role decides on top (RESOURCES).
RESOURCES = ["registrations", "organisations", "checkins", "meetings", "invoices"]
# Those an endpoint reads or writes (organisations, meetings and invoices are read-only: an
# invoice is issued, paid and credited in the back-office, where the law's checks are).
SCOPES = ["registrations:read", "registrations:write", "organisations:read", "checkins:read",
          "checkins:write", "meetings:read", "invoices:read"]  # fmt: skip
PREFIX = "rct_"


def hashed(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters, to tell tokens apart in lists and logs; the rest is never kept.
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("edition"),
        help_text=_("Empty: every edition its owner works on."),
    )
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name, scopes, expires_at, edition=None):
        """A new token and its key, shown once: only its hash is kept."""
        key = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[:12], key_hash=hashed(key), scopes=sorted(scopes),
            expires_at=expires_at, edition=edition,
        )  # fmt: skip
        return token, key

    def is_valid(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at and self.user.is_active

    def allows(self, resource, write):
        return f"{resource}:{'write' if write else 'read'}" in self.scopes


class IdempotentRequest(models.Model):
    """A POST sent with an `Idempotency-Key`: recorded in the transaction of its write, with
    its answer, so that the same key (a retry) gets the same answer and creates nothing."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="requests")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_per_token")
        ]

    def __str__(self):
        return f"{self.token_id}: {self.key}"


# Webhooks -------------------------------------------------------------------------------------

# What a subscription may listen to, as (type, label): the type is the payload's "type".
EVENTS = [
    ("registration.created", _("Registration created")),
    ("registration.confirmed", _("Registration confirmed")),
    ("registration.changed", _("Registration changed")),
    ("registration.cancelled", _("Registration cancelled")),
    ("waitlist.promoted", _("Promoted from a waiting list")),
    ("checkin.created", _("Person checked in at the door")),
    ("meeting.accepted", _("Bilateral meeting accepted")),
    ("invoice.issued", _("Invoice issued")),
    ("invoice.paid", _("Invoice paid")),
]
SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, no secret)


def new_secret():
    """A Standard Webhooks secret: `whsec_` and 24 random bytes in base64."""
    import base64

    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


class WebhookSubscription(models.Model):
    """An HTTPS address that receives the edition's events, signed with its secret. A rotated
    secret keeps signing beside the new one for a while (`previous_secret_until`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("owner"),
    )
    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("edition"),
    )
    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    previous_secret = models.CharField(max_length=80, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Since when every delivery fails (None: the last one went through).
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at"]

    def __str__(self):
        return self.url

    @property
    def is_active(self):
        return self.disabled_at is None

    def signing_secrets(self, now=None):
        """The secrets a delivery is signed with now: the current one, and the previous one
        during the overlap after a rotation."""
        now = now or timezone.now()
        found = [self.secret]
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            found.append(self.previous_secret)
        return found


class WebhookDelivery(models.Model):
    """One event for one subscription: written in the transaction of the change, sent after
    commit by the worker, retried with backoff; its `message_id` stays the same on every
    attempt (and on a replay), so a receiver can tell a duplicate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(max_length=40)
    # For an event several changes report (an invoice naming three registrations): sent once.
    key = models.CharField(max_length=80, blank=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "key"], condition=~models.Q(key=""), name="event_once"
            )
        ]

    def __str__(self):
        return self.message_id


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.delivery_id}: {self.status_code or self.error}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
