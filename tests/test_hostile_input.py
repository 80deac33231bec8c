"""Hostile input against every form, filter and JSON endpoint of the site: SQL, markup,
header injection, Unicode edge cases, NUL bytes, oversized values and bodies, wrong content
types, junk JSON, missing CSRF tokens. Never a server error, nothing typed comes back as live
markup, and no e-mail sent afterwards carries a header that was typed in.

The state-changing URLs come from the access-control table (tests/test_access_control.py):
a new one is fuzzed with the fields of its row's data, plus those listed in FIELDS."""

import email
import email.policy
import json
import pathlib
import urllib.parse

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rencontres.registration.tests.factories import form_data, form_token

from . import hostile
from .cast import fingerprint
from .test_access_control import ROUTES, TEAM, client_for, payer_data, url_for

# The cast's elected officials are invoiced: the form asks who pays.
PAYER = {f"payer-{name}": value for name, value in payer_data().items()}

fuzz = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# More examples for the forms anyone can reach (the others: `fuzz`).
EXAMPLES = {"registration:start": 50, "registration:delegation": 20, "networking:profile": 20,
            "networking:post_new": 20, "networking:person": 20, "backoffice:login": 5}  # fmt: skip

# Fields to fuzz beyond those of a route's valid data (every field its forms read).
FIELDS = {
    "registration:start": ["website", "form_token", "days", "sessions", "privacy", "diet",
                           "directory_opt_in", "photo_opt_in", "organisation_identifier"],
    "registration:details": ["phone", "access_needs", "diet", "diet_details", "passport_name",
                             "directory_opt_in", "photo_opt_in"],
    "networking:profile": ["directory_opt_in", "themes", "countries", "regions", "show_about",
                           "show_job_title", "show_organisation", "show_country"],
    "networking:post_new": ["countries"],
    "networking:post_edit": ["countries"],
    "networking:person": ["with_delegation"],
    "networking:block": ["undo"],
    "networking:organiser": ["add_slots", "day", "start", "count", "minutes", "pause",
                             "set_tables", "location", "delete_slot"],
    "registration:letter": ["passport_name", "passport_number", "nationality", "date_of_birth",
                            "language"],
    "onsite:badges": ["categories", "country", "not_printed"],
    "onsite:desk_check_in": ["door"],
    "onsite:register": ["category", "language"],
    "backoffice:registration_action": ["query"],
    "backoffice:payment_new": ["overpayment", "nonce", "line"],
    "backoffice:statement": ["only"],
}  # fmt: skip
# Forms the access-control table does not POST (public, or with a token of their own).
PUBLIC_FORMS = {
    "registration:start": lambda cast: form_data(cast.edition, form_token=form_token()),
    "registration:delegation": lambda cast: {
        **form_data(cast.edition, form_token=form_token(), email="head@example.org"),
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
        "members-0-first_name": "Ana", "members-0-last_name": "Silva",
        "members-0-email": "ana@example.org", "members-0-job_title": "Adviser",
        "members-0-category": cast.edition.categories.first().pk, "members-0-language": "en",
    },
    "registration:link": lambda cast: {"email": cast.bob.email},
    "backoffice:login": lambda cast: {"username": "cast-organiser", "password": "pw"},
    "backoffice:two_factor": lambda cast: {"code": "123456"},
    "onsite:api_scan": lambda cast: {"token": cast.bob_token, "door": "A", "session": ""},
    "registration:confirm": lambda cast: {},
    "registration:sent": lambda cast: {},
    "backoffice:logout": lambda cast: {},
}  # fmt: skip
ACTOR = {"registration:start": "anonymous", "registration:delegation": "anonymous",
         "registration:link": "anonymous", "backoffice:login": "anonymous",
         "backoffice:two_factor": "organiser", "onsite:api_scan": "organiser",
         "registration:confirm": "registrant", "registration:sent": "anonymous",
         "backoffice:logout": "organiser"}  # fmt: skip
# Query parameters the site's pages read.
QUERY = ["q", "page", "day", "kind", "status", "category", "country", "session", "sort", "show",
         "theme", "language", "members", "next", "checked_in", "s"]  # fmt: skip
# The headers an e-mail of ours may carry; anything else was typed in by someone.
MAIL_HEADERS = {"content-type", "mime-version", "content-transfer-encoding", "subject", "from",
                "to", "date", "message-id", "auto-submitted"}  # fmt: skip


def allowed_actor(name):
    row = ROUTES.get(name)
    if name in ACTOR or row is None:
        return ACTOR.get(name, "anonymous")
    for actor in ("registrant", "organiser", "anonymous"):
        answer = (row.post or row.get)[actor]
        if answer not in (403, 404, 405, "login"):
            return actor
    raise AssertionError(f"nobody may use {name}")


def form_routes():
    names = {name for name, row in ROUTES.items() if row.post is not None and not row.json}
    return sorted(names | PUBLIC_FORMS.keys())


def valid_data(name, cast):
    if name in PUBLIC_FORMS:
        return PUBLIC_FORMS[name](cast)
    data = ROUTES[name].data
    return dict(data(cast) if callable(data) else (data or {}))


def urlencoded(data):
    """Form encoding as a browser would send it; a lone surrogate goes out as the invalid
    UTF-8 bytes an attacker can always send."""
    return urllib.parse.urlencode(data, doseq=True, encoding="utf-8", errors="surrogatepass")


def assert_safe(response, what):
    assert response.status_code < 500, (what, response.status_code)
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not hostile.shown_unescaped(html), (what, hostile.shown_unescaped(html))


def unsent_emails():
    from rencontres.mail.models import OutgoingEmail

    return OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT)


def assert_mail_carries_no_typed_header(already_unsent=()):
    """Send what the requests queued, and read every message as a mail server would (the
    cast's e-mail that failed on purpose, `already_unsent`, aside)."""
    from rencontres.mail.services import send_due_emails

    while send_due_emails() != (0, 0):  # a hundred at a time
        pass
    unsent = unsent_emails().exclude(pk__in=already_unsent)
    assert not unsent.exists(), list(unsent.values_list("subject", "last_error"))
    for message in mail.outbox:
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.SMTP)
        headers = {key.lower() for key in parsed}
        assert headers <= MAIL_HEADERS, headers - MAIL_HEADERS
        assert [str(address) for address in parsed["To"].addresses] == message.to
    mail.outbox.clear()


def rolled_back(request):
    """Each example starts from the cast as built: its changes are undone afterwards."""
    with transaction.atomic():
        already_unsent = list(unsent_emails().values_list("pk", flat=True))
        response = request()
        assert_mail_carries_no_typed_header(already_unsent)
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("name", form_routes())
def test_any_form_input_gets_a_page_never_an_error(cast, name):
    actor = allowed_actor(name)

    @settings(fuzz, max_examples=EXAMPLES.get(name, fuzz.max_examples))
    @given(data=st.data())
    def example(data):
        base = valid_data(name, cast)
        changes = data.draw(hostile.form([*base, *FIELDS.get(name, [])]), label="changes")
        client = client_for(cast, actor)
        url = url_for(name, ROUTES[name], cast, actor) if name in ROUTES else reverse(name)
        body = urlencoded({**base, **changes})
        response = rolled_back(
            lambda: client.post(url, body, content_type="application/x-www-form-urlencoded")
        )
        assert_safe(response, f"POST {name} as {actor}")

    example()


def page_reader(row):
    """Who opens a page with GET (None: nobody)."""
    return next((a for a in ("organiser", "registrant", "anonymous") if row.get[a] == 200), None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name, row in ROUTES.items() if page_reader(row)))
def test_any_query_string_gets_a_page_never_an_error(cast, name):
    row = ROUTES[name]
    actor = page_reader(row)

    @settings(max_examples=5, deadline=None)
    @given(query=hostile.form(QUERY))
    def example(query):
        client = client_for(cast, actor)
        url = f"{url_for(name, row, cast, actor)}?{urlencoded(query)}"
        assert_safe(rolled_back(lambda: client.get(url)), f"GET {name}?{query} as {actor}")

    example()


def desk_post(cast, name, body, content_type="application/json"):
    client = client_for(cast, "check_in")
    url = reverse(f"onsite:{name}", args=[cast.edition.number])
    return rolled_back(lambda: client.post(url, body, content_type=content_type))


@pytest.mark.django_db
@fuzz
@given(scan=st.one_of(hostile.json_object(["token", "door", "device", "session", "id"]),
                      hostile.json_values))  # fmt: skip
def test_any_json_scan_gets_an_answer_never_an_error(cast, scan):
    response = desk_post(cast, "api_scan", json.dumps(scan))
    assert response.status_code in (200, 400), response.status_code
    assert "status" in response.json() or "error" in response.json()


ITEM_KEYS = ["token", "door", "device", "session", "id", "at"]


@pytest.mark.django_db
@fuzz
@given(
    sync=st.one_of(
        st.fixed_dictionaries(
            {
                "items": st.lists(
                    st.one_of(hostile.json_object(ITEM_KEYS), hostile.json_values), max_size=5
                )
            }
        ),
        hostile.json_values,
    )
)
def test_any_offline_queue_gets_an_answer_never_an_error(cast, sync):
    response = desk_post(cast, "api_sync", json.dumps(sync))
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        assert len(response.json()["results"]) == len(sync["items"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[1, 2]",
        '"a string"',
        "null",
        '{"token": "\\ud800"}',
        '{"token": "\\ud800:abc", "door": "\\udfff", "id": "\\ud800"}',
        '{"items": [{"token": "a\\ud800:b", "at": "2027-11-04T10:00:00\\ud800"}]}',
        '{"token": "x", "door": "\\u0000", "device": "a\\u0000b"}',
        '{"token": 12, "door": {"a": 1}, "session": [1], "at": 3}',
        '{"token": "' + "x" * 100_000 + '"}',
    ],
)
def test_malformed_json_to_the_desk_is_refused_or_answered(cast, body):
    for name in ("api_scan", "api_sync"):
        response = desk_post(cast, name, body)
        assert response.status_code in (200, 400), (name, body[:40], response.status_code)


@pytest.mark.django_db
def test_invalid_utf8_json_to_the_desk_is_a_bad_request(cast):
    for name in ("api_scan", "api_sync"):
        assert desk_post(cast, name, b'{"token": "\xff\xfe"}').status_code == 400


@pytest.mark.django_db
def test_a_real_scan_with_nul_bytes_in_the_door_is_recorded_without_them(cast):
    """PostgreSQL refuses NUL in text: a broken scanner's NUL must not cost a check-in."""
    from rencontres.onsite.models import CheckIn

    client = client_for(cast, "check_in")
    url = reverse("onsite:api_scan", args=[cast.edition.number])
    scan = {"token": cast.bob_token, "door": "B\x00", "device": "\x00phone"}
    response = client.post(url, json.dumps(scan), content_type="application/json")
    assert response.json()["status"] == "ok"
    # Today's, at the venue's door (the cast checked Bob in on the edition's first day).
    check_in = CheckIn.objects.get(registration=cast.bob, day=localdate(), session=None)
    assert (check_in.door, check_in.device) == ("B", "phone")


@pytest.mark.django_db
def test_a_form_posted_as_json_or_a_scan_posted_as_a_form_is_handled(cast):
    client = client_for(cast, "check_in")
    url = reverse("onsite:api_scan", args=[cast.edition.number])
    # Without JavaScript, the desk's form posts the scan: the answer is the desk page.
    response = client.post(url, {"token": cast.bob_token, "door": "A"})
    assert response.status_code == 302
    sync = reverse("onsite:api_sync", args=[cast.edition.number])
    assert client.post(sync, {"items": "1"}).status_code == 400
    assert client.post(sync, "items", content_type="text/plain").status_code == 400
    # A JSON body to a form is an empty form: the page again, nothing created.
    before = fingerprint()
    response = Client().post(
        reverse("registration:start"), json.dumps(form_data(cast.edition)),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200 and fingerprint() == before


TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content_type",
    [
        ("registration:start", "application/x-www-form-urlencoded"),
        ("onsite:api_scan", "application/json"),
        ("onsite:api_sync", "application/json"),
        ("backoffice:mailing_new", "application/x-www-form-urlencoded"),
    ],
)
def test_a_ten_megabyte_body_is_refused_with_a_bad_request(cast, name, content_type):
    actor = allowed_actor(name)
    client = client_for(cast, actor)
    url = url_for(name, ROUTES[name], cast, actor)
    if content_type == "application/json":
        body = json.dumps({"token": "x" * TEN_MEGABYTES})
    else:
        body = "first_name=" + "x" * TEN_MEGABYTES
    before = fingerprint()
    response = client.post(url, body, content_type=content_type)
    assert response.status_code in (400, 413), response.status_code
    assert "Cette requête ne peut pas être traitée" in response.content.decode()
    assert fingerprint() == before


def stored_files(settings):
    """{path: size} of every file in the places an upload could be kept: the storages'
    folders, MEDIA_ROOT and the folder of uploads being received."""
    roots = {settings.MEDIA_ROOT, settings.FILE_UPLOAD_TEMP_DIR}
    for storage in settings.STORAGES.values():
        roots.add(storage.get("OPTIONS", {}).get("location"))
    return {
        path: path.stat().st_size
        for root in roots
        if root
        for path in pathlib.Path(root).rglob("*")
        if path.is_file()
    }


@pytest.mark.django_db
def test_a_ten_megabyte_file_in_a_form_is_not_kept(cast, settings, tmp_path):
    """Files do not count in DATA_UPLOAD_MAX_MEMORY_SIZE: no form takes one, so it is ignored
    (the registration goes through) and no copy of it is left anywhere."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    before = stored_files(settings)
    data = form_data(cast.edition, form_token=form_token(), email="uploader@example.org", **PAYER)
    data["photo"] = SimpleUploadedFile("big.bin", b"\0" * TEN_MEGABYTES)
    response = Client().post(reverse("registration:start"), data)
    assert response.status_code == 302, response.status_code
    assert cast.edition.registrations.filter(email="uploader@example.org").exists()
    assert stored_files(settings) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*form_routes(), "onsite:api_sync"])
def test_a_form_without_its_csrf_token_is_refused_with_our_page(cast, name):
    actor = allowed_actor(name)
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    if actor in TEAM:
        client.force_login(cast.team[actor])
    url = url_for(name, ROUTES[name], cast, actor) if name in ROUTES else reverse(name)
    before = fingerprint()
    response = client.post(url, urlencoded(valid_data(name, cast)),
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert response.status_code == 403, (name, response.status_code)
    assert "This form has expired" in response.content.decode()
    assert fingerprint() == before


# Each field alone (the others valid, so that the form goes through) with what breaks things
# most often: a NUL byte (PostgreSQL refuses it), then a header injection, a lone surrogate
# (sent as invalid UTF-8) and live markup in one value (none of them makes a text invalid).
SWEEP = ["a\x00b", 'x\rX-Injected: 1\ud800"><img src=x onerror="window.__pwned=1">']


@pytest.mark.django_db
@pytest.mark.parametrize("name", form_routes())
def test_each_field_alone_with_each_classic_payload_gets_a_page(cast, name):
    actor = allowed_actor(name)
    client = client_for(cast, actor)
    url = url_for(name, ROUTES[name], cast, actor) if name in ROUTES else reverse(name)
    fields = sorted({*valid_data(name, cast), *FIELDS.get(name, [])})
    if name == "registration:delegation":  # the head's fields are registration:start's
        fields = [field for field in fields if field.startswith("members-")]
    for field in fields:
        for payload in SWEEP:
            body = urlencoded({**valid_data(name, cast), field: payload})
            response = rolled_back(
                lambda body=body: client.post(
                    url, body, content_type="application/x-www-form-urlencoded"
                )
            )
            assert_safe(response, f"POST {name} with {field}={payload!r} as {actor}")


HOSTILE_PATHS = [
    "/media/%00", "/media/..%2f..%2fmanage.py", "/media/%C0%AE%C0%AE/x", "/%C0%AE",
    "/en/register/confirm/%00/", "/en/r/{bob.public_id}/%00/", "/en/r/{bob.public_id}/%ED%A0%80/",
    "/en/letters/%00/", "/en/letters/%ED%A0%80/", "/en/letters/" + "A" * 5000 + "/",
    "/en/letters/====/", "/en/letters/%C0%AE%C0%AE/", "/en/letters/7777777777777777777777777Q/",
    "/language/%00/?next=%00", "/language/en/?next=//evil.example", "/language/en/?next=/en/%C0",
    "/en/pages/%00/", "/admin/%00/", "/en/editions/99999999999999999999999/",
    "/en/editions/{number}/sessions/99999999999999999999999/",
    "/en/organiser/99999999999999999999999/", "/en/checkin/{number}/people/99999999999999999999/",
    "/en/r/{bob.public_id}/{bob.secret}/network/people/99999999999999999999999/",
    "/en/r/{bob.public_id}/{bob.secret}/network/directory/?page=99999999999999999999999",
    "/en/organiser/{number}/registrations/?page=-1&sort=%00",
    "/en/checkin/{number}/figures/?day=9999-12-31", "/en/checkin/{number}/figures/?day=0001-01-01",
    "/en/editions/{number}/programme/?day=9999-12-31", "/en/register/?members=-99999999999999",
    "/en/editions/{number}/starred.ics?s=%00", "/en/editions/{number}/starred.ics?s=-1,1e9,%EF%BC",
    "/en/editions/{number}/starred.ics?s=" + "9" * 5000, "/en/editions/{number}/starred.ics?s=1&s=",
    "/en/editions/{number}/starred.ics?s=" + ",".join(["2147483648"] * 300),
    "/en/editions/99999999999999999999999/schedule.xml", "/en/editions/{number}/schedule.json?%00",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_a_hostile_path_gets_a_page_never_an_error(cast, path):
    url = path.format(bob=cast.bob, number=cast.edition.number)
    for actor in ("anonymous", "organiser"):
        assert client_for(cast, actor).get(url).status_code < 500, (actor, url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "x" * 10_000},
        {"HTTP_ACCEPT_LANGUAGE": "fr;q=abc, en;q=99999999999999999999, *;q=-1"},
        {"HTTP_COOKIE": "django_language=%00; sessionid=' OR 1=1 --; csrftoken=<script>"},
        {"HTTP_X_FORWARDED_FOR": "<script>, \x00, 999.1.1.1"},
        {"HTTP_HOST": "evil.example"},
        {"HTTP_HOST": "127.0.0.1\r\nX-Injected: 1"},
        {"HTTP_REFERER": "javascript:alert(1)", "HTTP_USER_AGENT": "\x00" * 1000},
    ],
)
def test_hostile_headers_get_a_page_never_an_error(cast, headers):
    for url in ("/en/", reverse("registration:start"), f"{reverse('registration:start')}?x=1"):
        response = Client(**headers).get(url)
        assert response.status_code < 500, (headers, url)
        assert "X-Injected" not in response.headers


@pytest.mark.django_db
def test_a_header_typed_into_a_job_title_stays_inside_the_subject(cast):
    """The meeting request's subject carries the sender's job: a CRLF typed there must not
    start a header of its own."""
    client = client_for(cast, "registrant")
    details = url_for("registration:details", ROUTES["registration:details"], cast, "registrant")
    data = {**valid_data("registration:details", cast),
            "job_title": "Mayor\r\nBcc: victim@example.org\r\nX-Injected: 1"}  # fmt: skip
    response = client.post(
        details, urlencoded(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    person = url_for("networking:person", ROUTES["networking:person"], cast, "registrant")
    assert client.post(person, {"message": "Hello\r\nBcc: victim@example.org"}).status_code == 302
    from rencontres.mail.services import send_due_emails

    send_due_emails()
    requested = [m for m in mail.outbox if m.to == [cast.eve.email] and "Mayor" in m.subject]
    assert len(requested) == 1
    raw = requested[0].message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.SMTP)
    assert "Mayor Bcc: victim@example.org X-Injected: 1" in parsed["Subject"]
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None


@pytest.mark.django_db
def test_hostile_values_stored_through_the_forms_are_shown_everywhere_without_error(cast, settings):
    """What the forms accepted, every page, export, badge and list then reads back."""
    from rencontres.networking.services import save_profile
    from rencontres.registration.models import Registration
    from rencontres.registration.services import confirm_address

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register-ip": (1000, 3600)}
    texts = ["first_name", "last_name", "job_title", "organisation_name", "access_needs",
             "diet_details", "passport_name"]  # fmt: skip
    for index, payload in enumerate(hostile.PAYLOADS):
        data = form_data(cast.edition, form_token=form_token(), email=f"hostile{index}@example.org",
                         **dict.fromkeys(texts, payload[:100]), **PAYER)  # fmt: skip
        Client().post(reverse("registration:start"), urlencoded(data),
                      content_type="application/x-www-form-urlencoded")  # fmt: skip
    stored = Registration.objects.filter(email__startswith="hostile")
    assert stored.count() > len(hostile.PAYLOADS) // 2  # most of them are names one may have
    for registration in stored:
        registration = confirm_address(registration)
        profile = {"themes": [], "countries": [], "languages": ["fr"], "show_about": True}
        save_profile(registration, {**profile, "about": registration.job_title})
    for name, row in ROUTES.items():
        for actor in ("organiser", "registrant"):
            if row.get[actor] == 200:
                url = url_for(name, row, cast, actor)
                assert_safe(client_for(cast, actor).get(url), f"GET {name} as {actor}")
    # Their own pages and badges, and the desk's search for each.
    desk = client_for(cast, "check_in")
    for registration in stored:
        letter = reverse("registration:letter", args=[registration.public_id, registration.secret])
        Client().post(letter, urlencoded({"passport_name": registration.passport_name or "X",
                                          "passport_number": "XK7736021", "nationality": "SN",
                                          "date_of_birth": "1984-03-09", "language": "fr"}),
                      content_type="application/x-www-form-urlencoded")  # fmt: skip
        for name in ("registration:private", "networking:directory", "onsite:own_badge",
                     "registration:invitation", "registration:calendar",
                     "networking:agenda_pdf"):  # fmt: skip
            url = reverse(name, args=[registration.public_id, registration.secret])
            assert_safe(Client().get(url), f"GET {name} of {registration.first_name!r}")
        query = {"q": registration.last_name[:100]}
        assert_safe(desk.get(reverse("onsite:desk", args=[cast.edition.number]), query), query)
    # All their badges in one batch, and an e-mail to each with their name in the subject.
    from rencontres.backoffice import mailings
    from rencontres.backoffice.models import Mailing
    from rencontres.onsite import services as onsite

    batch = onsite.start_batch(cast.edition, None, "a4")
    assert onsite.build_batch(batch).status == "done"
    mailing = Mailing(edition=cast.edition, subject_fr="{name}", subject_en="{name}",
                      body_fr="{name} {organisation}", body_en="{name} {organisation}")  # fmt: skip
    already_unsent = list(unsent_emails().values_list("pk", flat=True))
    for registration in stored:
        mailings.queue_one(mailing, registration)
    assert_mail_carries_no_typed_header(already_unsent)
