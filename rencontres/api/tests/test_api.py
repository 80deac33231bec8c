"""The API: the public programme, tokens (hashed, scoped, one edition, never more than the
owner's role), registrations with the forms' checks, check-ins with the desk's rules, cursor
pages and `modified_since`, idempotency keys, 429, and JSON for every error."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from rencontres.api.models import ApiToken, IdempotentRequest, hashed
from rencontres.backoffice.tests.factories import member
from rencontres.editions.tests.factories import make_session
from rencontres.models import AuditEntry, Membership
from rencontres.onsite import services as onsite
from rencontres.onsite.tokens import badge_token
from rencontres.registration.models import Registration
from rencontres.registration.tests.factories import category, open_edition, registered

pytestmark = pytest.mark.django_db
ALL = [f"{r}:{a}" for r in ("registrations", "organisations", "checkins", "meetings")
       for a in ("read", "write")]  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def edition():
    return open_edition(number=15)


def token_for(edition, role="organiser", scopes=ALL, only_this=True, days=30, user=None):
    user = user or member(edition, role)
    token, key = ApiToken.issue(user, "CRM", scopes,
                                timezone.now() + datetime.timedelta(days=days),
                                edition=edition if only_this else None)  # fmt: skip
    return token, key


def api(client, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    class Caller:
        def get(self, path, data=None, **extra):
            return client.get(f"/api/v1/{path}", data, **headers, **extra)

        def post(self, path, data=None, **extra):
            return client.post(f"/api/v1/{path}", data or {}, content_type="application/json",
                               **headers, **extra)  # fmt: skip

    return Caller()


def test_the_schema_is_valid_openapi():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_docs_page_lists_every_endpoint(client):
    html = client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for path in ("/api/v1/editions/{number}/registrations/", "/api/v1/editions/{number}/checkins/",
                 "/api/v1/editions/{number}/sessions/"):  # fmt: skip
        assert path in html
    assert "Idempotency-Key" in html and "modified_since" in html


def test_the_programme_is_public_in_either_language_and_readable_from_other_sites(client, edition):
    make_session(edition)
    caller = api(client)
    english = caller.get("editions/15/sessions/?lang=en", HTTP_ORIGIN="https://partner.example")
    assert english.status_code == 200
    assert english.json()["results"][0]["title"] == "Water and sanitation workshop"
    assert english["Access-Control-Allow-Origin"] == "*"
    french = caller.get("editions/15/sessions/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.json()["results"][0]["title"] == "Atelier eau et assainissement"
    assert caller.get("editions/").json()["results"][0]["number"] == 15
    edition.is_published = False
    edition.save()
    hidden = caller.get("editions/15/sessions/")
    assert hidden.status_code == 404 and hidden.json()["error"] == "not_found"


def test_without_a_valid_token_nothing_personal_answers(client, edition):
    registered(edition)
    assert api(client).get("editions/15/registrations/").status_code == 401
    token, key = token_for(edition)
    assert ApiToken.objects.get().key_hash == hashed(key) and key not in str(
        ApiToken.objects.values().get())  # fmt: skip
    assert api(client, key + "x").get("editions/15/registrations/").status_code == 401
    assert api(client, key).get("editions/15/registrations/").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    refused = api(client, key).get("editions/15/registrations/")
    assert refused.status_code == 401 and refused.json()["error"] == "authentication_failed"
    _expired, old_key = token_for(edition, days=-1)
    assert api(client, old_key).get("editions/15/registrations/").status_code == 401
    # No CORS for what needs a token.
    answer = api(client, key).get("editions/15/registrations/", HTTP_ORIGIN="https://x.example")
    assert "Access-Control-Allow-Origin" not in answer


def test_a_token_never_does_more_than_its_scopes_its_edition_or_its_owners_role(client, edition):
    other = open_edition(number=16)
    _token, read_only = token_for(edition, scopes=["registrations:read"])
    caller = api(client, read_only)
    assert caller.get("editions/15/registrations/").status_code == 200
    assert caller.get("editions/15/checkins/").status_code == 403
    assert caller.post("editions/15/checkins/", {"badge": "x"}).status_code == 403
    assert caller.get("editions/16/registrations/").status_code == 403  # another edition
    # Every edition: still only those the owner works on.
    token, everywhere = token_for(edition, only_this=False)
    assert api(client, everywhere).get("editions/16/registrations/").status_code == 403
    Membership.objects.create(user=token.user, edition=other, role="organiser")
    assert api(client, everywhere).get("editions/16/registrations/").status_code == 200
    # A check-in agent's token with registration scopes reads no registration.
    _agent, agent_key = token_for(edition, role="check_in")
    assert api(client, agent_key).get("editions/15/registrations/").status_code == 403
    assert api(client, agent_key).get("editions/15/checkins/").status_code == 200
    # A role taken away takes the token's rights with it.
    Membership.objects.filter(user=token.user, edition=other).delete()
    assert api(client, everywhere).get("editions/16/registrations/").status_code == 403


def test_sensitive_fields_follow_the_role(client, edition):
    registered(edition, access_needs="Fauteuil", passport_name="DOE John")
    _staff, staff_key = token_for(edition, role="staff")
    person = api(client, staff_key).get("editions/15/registrations/").json()["results"][0]
    assert person["access_needs"] == "Fauteuil" and "passport_name" not in person
    _organiser, key = token_for(edition)
    person = api(client, key).get("editions/15/registrations/").json()["results"][0]
    assert person["passport_name"] == "DOE John"


def test_pages_of_at_most_a_hundred_and_an_incremental_sync(client, edition):
    for _ in range(105):
        registered(edition)
    _token, key = token_for(edition)
    caller = api(client, key)
    first = caller.get("editions/15/registrations/?page_size=500").json()
    assert len(first["results"]) == 100 and first["next"]
    rest = client.get(first["next"], HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert len(rest["results"]) == 5 and rest["next"] is None
    seen = {row["id"] for row in first["results"] + rest["results"]}
    assert len(seen) == 105
    last = max(row["updated_at"] for row in first["results"] + rest["results"])
    later = timezone.now() + datetime.timedelta(seconds=1)
    changed = Registration.objects.first()
    Registration.objects.filter(pk=changed.pk).update(job_title="Maire", updated_at=later)
    since = caller.get("editions/15/registrations/", {"modified_since": last}).json()
    assert [row["job_title"] for row in since["results"] if row["id"] == str(changed.public_id)]
    assert len(since["results"]) < 5
    bad = caller.get("editions/15/registrations/?modified_since=yesterday")
    assert bad.status_code == 400 and "modified_since" in bad.json()["fields"]
    impossible = caller.get("editions/15/registrations/?modified_since=2024-02-30T10:00:00")
    assert impossible.status_code == 400 and "modified_since" in impossible.json()["fields"]


def registration_body(edition, **fields):
    body = {
        "first_name": "Amina", "last_name": "Diallo", "email": "amina@example.sn",
        "job_title": "Adjointe au maire", "category": "elected", "language": "fr",
        "organisation_name": "Ville de Dakar", "organisation_kind": "foreign_authority",
        "organisation_country": "SN", "days": [day.isoformat() for day in edition.days],
        "send_email": False,
    }  # fmt: skip
    body.update(fields)
    return body


def test_a_registration_is_added_with_the_forms_checks_and_once_per_key(client, edition):
    _token, key = token_for(edition)
    caller = api(client, key)
    wrong = caller.post("editions/15/registrations/", registration_body(
        edition, email="not-an-address", job_title=""), HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert wrong.status_code == 400
    fields = wrong.json()["fields"]
    assert fields["email"] == ["Enter a valid email address."]
    assert fields["job_title"] == ["This field is required."]
    body = registration_body(edition)
    made = caller.post("editions/15/registrations/", body, HTTP_IDEMPOTENCY_KEY="crm-42")
    again = caller.post("editions/15/registrations/", body, HTTP_IDEMPOTENCY_KEY="crm-42")
    assert made.status_code == again.status_code == 201
    assert made.json()["id"] == again.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Registration.objects.filter(email="amina@example.sn").count() == 1
    assert made.json()["status"] == "confirmed"
    reused = caller.post("editions/15/registrations/", registration_body(
        edition, email="other@example.sn"), HTTP_IDEMPOTENCY_KEY="crm-42")  # fmt: skip
    assert reused.status_code == 422
    twice = caller.post("editions/15/registrations/?lang=en", body)
    french = caller.post("editions/15/registrations/", registration_body(edition, job_title=""))
    assert french.json()["fields"]["job_title"] == ["Ce champ est obligatoire."]
    assert twice.status_code == 400 and "already registered" in twice.json()["fields"]["email"][0]
    assert AuditEntry.objects.filter(action="api_registration_added").count() == 1


def test_a_failed_write_keeps_no_key_so_a_corrected_retry_succeeds(client, edition):
    _token, key = token_for(edition)
    caller = api(client, key)
    caller.post("editions/15/registrations/", registration_body(edition, job_title=""),
                HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip
    assert not IdempotentRequest.objects.exists()
    fixed = caller.post("editions/15/registrations/", registration_body(edition),
                        HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip
    assert fixed.status_code == 201


def test_status_changes_are_the_back_offices_actions(client, edition):
    waiting = registered(edition, category=category(edition, "press"))
    assert waiting.status == "awaiting_approval"
    _token, key = token_for(edition)
    caller = api(client, key)
    approved = caller.post(f"editions/15/registrations/{waiting.public_id}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "confirmed"
    again = caller.post(f"editions/15/registrations/{waiting.public_id}/approve/")
    assert again.status_code == 409 and again.json()["status"] == "confirmed"
    cancelled = caller.post(f"editions/15/registrations/{waiting.public_id}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert caller.post(f"editions/15/registrations/{waiting.public_id}/erase/").status_code == 404
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"registration_approve", "registration_cancel"} <= actions


def test_partners_scanners_check_people_in_with_the_desks_rules(client, edition):
    person = registered(edition)
    unconfirmed = registered(edition, confirm=False)
    onsite.accept_check_ins_on(edition, timezone.localdate(), None)
    _token, key = token_for(edition, role="check_in", scopes=["checkins:read", "checkins:write"])
    caller = api(client, key)
    first = caller.post("editions/15/checkins/", {"badge": badge_token(person), "door": "Hall"})
    assert first.status_code == 201 and first.json()["status"] == onsite.OK
    second = caller.post("editions/15/checkins/", {"registration": str(person.public_id)})
    assert second.status_code == 200 and second.json()["status"] == onsite.ALREADY
    refused = caller.post("editions/15/checkins/", {"registration": str(unconfirmed.public_id)})
    assert refused.status_code == 409
    forged = caller.post("editions/15/checkins/", {"badge": "forged:token"})
    assert forged.status_code == 409 and forged.json()["status"] == onsite.UNKNOWN
    empty = caller.post("editions/15/checkins/", {})
    assert empty.status_code == 400 and empty.json()["error"] == "invalid"
    listed = caller.get("editions/15/checkins/").json()["results"]
    assert [row["registration"] for row in listed] == [str(person.public_id)]


def test_too_many_requests_get_429_with_retry_after(client, edition, settings):
    settings.API_RATES = {"token": "3/min", "anonymous": "2/min"}
    caller = api(client)
    answers = [caller.get("editions/").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    limited = caller.get("editions/")
    assert int(limited["Retry-After"]) > 0 and limited.json()["error"] == "throttled"


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"badge": ["x"]}', '{"days": 5}',
                                  "\x00\x01", '{"first_name": {"a": 1}}'])  # fmt: skip
def test_hostile_bodies_get_json_errors_never_a_500(client, edition, body):
    _token, key = token_for(edition)
    for path in ("editions/15/registrations/", "editions/15/checkins/"):
        answer = client.post(f"/api/v1/{path}", body, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {key}")  # fmt: skip
        assert answer.status_code == 400, (path, body, answer.content)
        assert answer["Content-Type"] == "application/json"


def test_invoices_and_payments_are_read_with_their_scope_and_the_invoices_role(client, edition):
    from rencontres.invoicing import services as invoicing
    from rencontres.invoicing.payments import record_payment
    from rencontres.invoicing.tests.factories import fee, public_payer

    person = registered(edition)
    invoice = invoicing.issue_invoice(edition, public_payer(person), [person], [fee()], actor=None)
    record_payment(invoice, amount_cents=1000, method="transfer",
                   received_on=timezone.localdate(), actor=None)  # fmt: skip
    _token, key = token_for(edition, scopes=["invoices:read"])
    caller = api(client, key)
    rows = caller.get("editions/15/invoices/").json()["results"]
    assert [row["number"] for row in rows] == [invoice.number]
    assert rows[0]["paid_cents"] == 1000 and rows[0]["state"] == "partly_paid"
    assert rows[0]["registrations"] == [str(person.public_id)]
    payments = caller.get("editions/15/payments/").json()["results"]
    assert payments[0]["invoice"] == invoice.number and payments[0]["amount_cents"] == 1000
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert caller.get("editions/15/payments/", {"modified_since": later}).json()["results"] == []
    # Without the scope, or for a role that does not see invoices: refused.
    _token, other = token_for(edition, scopes=["registrations:read"])
    assert api(client, other).get("editions/15/invoices/").status_code == 403
    _token, staff = token_for(edition, role="staff", scopes=["invoices:read"])
    assert api(client, staff).get("editions/15/invoices/").status_code == 403


def test_an_erasure_reaches_an_incremental_sync(client, edition):
    """The erased registration leaves the list (as on the back-office's), and the id a
    partner's system knew is listed among the erasures since its last sync."""
    from rencontres.privacy.services.erasure import erase_registrations

    person = registered(edition, first_name="Ines")
    _token, key = token_for(edition)
    caller = api(client, key)
    last = caller.get("editions/15/registrations/").json()["results"][-1]["updated_at"]
    erase_registrations(Registration.objects.filter(pk=person.pk))
    since = caller.get("editions/15/registrations/", {"modified_since": last}).json()["results"]
    assert since == []
    erased = caller.get("editions/15/erasures/", {"modified_since": last}).json()["results"]
    assert [row["id"] for row in erased] == [str(person.public_id)]
