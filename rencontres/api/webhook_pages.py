"""The organisers' webhooks: subscribe an address to events (its secret shown once), rotate the
secret with an overlap, disable or enable, and each subscription's log of deliveries and
attempts, with a replay by hand."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rencontres import audit, roles
from rencontres.forms import with_errors

from . import webhooks
from .models import EVENTS, WebhookDelivery, WebhookSubscription

page = roles.edition_page(roles.WEBHOOKS)


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Address"), max_length=500, assume_scheme="https",
        help_text=gettext_lazy("HTTPS. Each event is POSTed there as JSON, signed."),
    )  # fmt: skip
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=200, required=False,
        help_text=gettext_lazy("What receives it: “CRM”, “Partner's lead app”…"),
    )  # fmt: skip
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"), choices=EVENTS, widget=forms.CheckboxSelectMultiple
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        problem = webhooks.address_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url


def shown_once(request, subscription, secret):
    """The secret, for the subscription's next page only (never in a URL)."""
    request.session[f"webhook_secret_{subscription.pk}"] = secret


@page
def subscriptions(request, edition):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subscription = WebhookSubscription.objects.create(
            user=request.user, edition=edition, url=data["url"],
            description=data["description"], events=sorted(data["events"]),
        )  # fmt: skip
        audit.log(request, edition, "webhook_created", subscription=subscription.pk,
                  events=subscription.events)  # fmt: skip
        shown_once(request, subscription, subscription.secret)
        return redirect("api_pages:webhook", edition.number, subscription.pk)
    found = WebhookSubscription.objects.filter(edition=edition).select_related("user")
    return render(request, "api/webhooks.html", {
        "edition": edition, "form": form, "subscriptions": found,
        "error_forms": with_errors(form),
    })  # fmt: skip


@page
def subscription(request, edition, pk):
    found = get_object_or_404(WebhookSubscription, pk=pk, edition=edition)
    deliveries = WebhookDelivery.objects.filter(subscription=found).prefetch_related("log")[:100]
    labels = dict(EVENTS)
    return render(request, "api/webhook.html", {
        "edition": edition, "subscription": found, "deliveries": deliveries,
        "events": [labels.get(event, event) for event in found.events],
        "secret": request.session.pop(f"webhook_secret_{found.pk}", None), "now": timezone.now(),
    })  # fmt: skip


@require_POST
@page
def rotate(request, edition, pk):
    found = get_object_or_404(WebhookSubscription, pk=pk, edition=edition)
    with transaction.atomic():
        secret = webhooks.rotate_secret(found)
        audit.log(request, edition, "webhook_secret_rotated", subscription=found.pk)
    shown_once(request, found, secret)
    messages.success(request, _("A new secret: the old one keeps signing beside it for 24 hours."))
    return redirect("api_pages:webhook", edition.number, found.pk)


@require_POST
@page
def switch(request, edition, pk):
    found = get_object_or_404(WebhookSubscription, pk=pk, edition=edition)
    if found.is_active:
        WebhookSubscription.objects.filter(pk=found.pk).update(
            disabled_at=timezone.now(), disabled_reason="by_hand"
        )
        audit.log(request, edition, "webhook_disabled", subscription=found.pk)
        messages.success(request, _("The subscription is disabled: nothing is sent to it."))
    else:
        webhooks.enable(found)
        audit.log(request, edition, "webhook_enabled", subscription=found.pk)
        messages.success(request, _("The subscription is enabled again."))
    return redirect("api_pages:webhook", edition.number, found.pk)


@require_POST
@page
def replay(request, edition, pk, delivery):
    found = get_object_or_404(
        WebhookDelivery, pk=delivery, subscription__pk=pk, subscription__edition=edition
    )
    webhooks.replay(found)
    audit.log(request, edition, "webhook_replayed", subscription=pk, message=found.message_id)
    messages.success(request, _("It is sent again, with the same id."))
    return redirect("api_pages:webhook", edition.number, pk)
