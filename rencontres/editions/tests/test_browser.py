"""A visitor in Chromium: home, language switch, programme, filters, a session; axe everywhere."""

import json
import pathlib
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from rencontres.editions.demo import load_demo
from rencontres.editions.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = pathlib.Path(settings.BASE_DIR, "tests/vendor/axe.min.js")
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


# Every browser test runs under the site's Content Security Policy and fails on a violation:
# pages report them to the test through a binding, installed by an init script (which the
# policy does not cover) before any script of the page runs.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    page: location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: `${event.sourceFile}:${event.lineNumber}`,
    sample: event.sample,
  });
}, true);
"""


def watch_csp(context):
    """Record the policy violations of every page of `context` in context.csp_violations."""
    violations = []
    context.csp_violations = violations
    context.expose_binding(
        "reportCspViolation", lambda source, violation: violations.append(violation)
    )
    context.add_init_script(CSP_WATCH)

    def on_console(message):
        # Chromium also says so in the console, even where no page script could listen.
        if "Content Security Policy" in message.text:
            violations.append({"page": message.page and message.page.url, "console": message.text})

    context.on("console", on_console)
    return violations


def assert_no_csp_violations(page):
    violations = page.context.csp_violations  # AttributeError: the context was not watched
    # Violations are reported in a task of their own: let them arrive first.
    page.evaluate("() => new Promise((resolve) => setTimeout(() => setTimeout(resolve)))")
    assert not violations, "Content Security Policy violations:\n" + json.dumps(
        violations, indent=2
    )


def axe_violations(page):
    # Evaluated through the DevTools protocol, which the page's policy does not cover: an
    # inline <script> (add_script_tag) would be refused, and rightly so.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))",
        AXE_RULES,
    )
    return result


def assert_accessible(page):
    """axe-core finds nothing, and the page broke no rule of the Content Security Policy."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n{json.dumps(violations, indent=2)}"
    assert_no_csp_violations(page)


def assert_fits(page):
    """Nothing sticks out sideways: the page works on a narrow phone."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px too wide"


def check(page):
    """axe-core clean at desktop width and on a 360 px phone, where nothing sticks out."""
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_fits(page)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page, live_server, next_path, username="organiser"):
    """Log a new superuser in through the admin's login (the browser speaks French there)."""
    from django.contrib.auth.models import User

    User.objects.create_superuser(username, f"{username}@example.org", "a-long-password")
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("a-long-password")
    page.locator("input[type=submit]").click()


@pytest.fixture
def demo(live_server):
    edition, _ = load_demo()
    return edition


def public_paths(edition):
    session = Session.objects.filter(edition=edition).order_by("starts_at").first()
    return [
        "",
        f"editions/{edition.number}/programme/",
        f"editions/{edition.number}/programme/?kind=workshop",
        f"editions/{edition.number}/programme/print/",
        f"editions/{edition.number}/sessions/{session.pk}/",
        f"editions/{edition.number}/speakers/",
        "editions/",
        "editions/14/",
        "editions/14/programme/",
        "pages/practical-information/",
        "pages/about/",
        "pages/legal-notice/",
        "pages/privacy/",
        "pages/accessibility/",
        "pages/missing/",
    ]


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_public_page_passes_axe(browser_page, live_server, demo, language, width):
    browser_page.set_viewport_size({"width": width, "height": 800})
    for path in public_paths(demo):
        browser_page.goto(f"{live_server.url}/{language}/{path}")
        assert browser_page.locator("html").get_attribute("lang") == language
        assert_accessible(browser_page)
        assert_fits(browser_page)


def test_a_visitor_finds_a_workshop_in_the_other_language(browser_page, live_server, demo):
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.url.endswith("/fr/")  # the browser speaks French
    assert page.get_by_role("heading", level=1).inner_text().startswith("15es Rencontres")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    assert "Territorial diplomacy" in page.locator(".hero__theme").inner_text()

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Programme").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Programme"
    total = page.locator("article.session").count()
    assert total == Session.objects.filter(edition=demo).count()

    page.get_by_label("Day", exact=True).select_option(index=2)  # the second day
    page.get_by_label("Kind of session").select_option("workshop")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"kind=workshop"))
    cards = page.locator("article.session")
    expect(cards).to_have_count(3)  # counted once the filtered page is there, not while it loads
    assert all("Workshop" in text for text in cards.all_inner_texts())
    assert "3 sessions" in page.get_by_role("status").inner_text()

    first_title = cards.first.get_by_role("heading").inner_text()
    cards.first.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == first_title
    assert "places" in page.locator(".facts").inner_text()

    # Switching language keeps the page.
    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/editions/15/sessions/"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Atelier")


def test_the_skip_link_takes_keyboard_users_to_the_content(browser_page, live_server, demo):
    page = browser_page
    page.goto(live_server.url + "/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_pages_work_without_javascript(chromium, live_server, demo):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/en/editions/15/programme/")
    page.get_by_label("Kind of session").select_option("country_group")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("article.session")).to_have_count(6)
    context.close()


def test_the_browser_tests_fail_on_an_inline_script_or_style(browser_page, live_server, demo):
    """The policy check of every browser test can fail: what an attacker would inject into a
    page (a script, a style attribute) is refused by the browser and reported to the test."""
    page = browser_page
    page.goto(live_server.url + "/en/")
    assert_no_csp_violations(page)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: red">x</p>');
        }"""
    )
    with pytest.raises(AssertionError, match="Content Security Policy violations") as failure:
        assert_no_csp_violations(page)
    assert "script-src-elem" in str(failure.value)
    assert "style-src-attr" in str(failure.value)
    assert page.evaluate("() => window.injected") is None  # refused, not only reported
    assert page.locator("#styled").evaluate("p => getComputedStyle(p).color") != "rgb(255, 0, 0)"
    page.context.csp_violations.clear()  # caught on purpose: the fixture must not fail the test


def speaker_photo(width, height):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#4a7").save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name=f"photo-{width}x{height}.jpg")


@pytest.mark.parametrize("width", [360, 1280])
def test_speaker_photos_and_initials_stay_round(browser_page, live_server, demo, width):
    """A portrait photo, a landscape one and a speaker without a photo (initials): each is a
    circle, on the speakers page and on a session's page, on a phone as on a desktop."""
    session = Session.objects.filter(edition=demo).order_by("starts_at").first()
    portrait, landscape, initials = [a.speaker for a in session.appearances.all()[:3]]
    portrait.photo = speaker_photo(300, 450)
    portrait.save()
    landscape.photo = speaker_photo(480, 270)
    landscape.save()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 800})
    speakers = f"{live_server.url}/en/editions/{demo.number}/speakers/"
    for url in (speakers, f"{live_server.url}/en/editions/{demo.number}/sessions/{session.pk}/"):
        page.goto(url)
        for speaker in (portrait, landscape, initials):
            if url == speakers:
                person = page.locator(f"#speaker-{speaker.pk}")
            else:
                person = page.locator(".people li").filter(has_text=speaker.full_name)
            picture = person.locator(".speaker__photo, .speaker__initials")
            assert picture.count() == 1, f"{url}: no picture for {speaker.full_name}"
            picture.scroll_into_view_if_needed()
            box = picture.bounding_box()
            assert box["width"] >= 40 and abs(box["width"] - box["height"]) < 1, (url, box)
            radius = picture.evaluate("element => getComputedStyle(element).borderRadius")
            assert radius == "50%", (url, radius)
            if speaker.photo:  # loaded (scrolled into view, it may still be on its way)
                page.wait_for_function(
                    "image => image.complete && image.naturalWidth > 0",
                    arg=picture.element_handle(),
                )
        assert_fits(page)
        assert_accessible(page)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_visitor_stars_sessions_and_gets_their_calendar(
    browser_page, live_server, demo, language
):
    """A star on each session (a toggle button), kept in the browser across visits, and the
    calendar link carrying the starred ids; axe-clean at 1280 and 360 px, under the CSP."""
    page = browser_page
    url = f"{live_server.url}/{language}/editions/{demo.number}/programme/"
    page.goto(url)
    link = page.locator("[data-starred-link]")
    expect(link).to_be_hidden()
    stars = page.locator("article.session button.star")
    assert stars.count() == page.locator("article.session").count()
    first, third = stars.nth(0), stars.nth(2)
    expect(first).to_have_attribute("aria-pressed", "false")
    first.click()
    third.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    expect(link).to_be_visible()
    ids = sorted(
        int(page.locator("article.session").nth(i).get_attribute("data-session")) for i in (0, 2)
    )
    href = link.get_attribute("href")
    assert href.endswith(f"/{language}/editions/{demo.number}/starred.ics?s={ids[0]},{ids[1]}")
    check(page)

    page.reload()  # kept in localStorage
    expect(stars.nth(0)).to_have_attribute("aria-pressed", "true")
    stars.nth(2).click()
    expect(stars.nth(2)).to_have_attribute("aria-pressed", "false")
    assert link.get_attribute("href").endswith(f"starred.ics?s={ids[0]}")
    feed = page.request.get(live_server.url + link.get_attribute("href"))
    assert feed.ok and feed.text().count("BEGIN:VEVENT") == 1
