"""How the forms look in Chromium, where a person would mind: boxes to tick on the first line
of their label (not 44 px tall and a line below it), each label a target 32 px tall at least;
filter fields that line up at the top whatever a tall country list beside them, a group's
title set like the other labels; the privacy details shown as something that opens. Profile,
post, registration, badge and filter forms, at 360 and 1280 px."""

import pytest

from rencontres.editions.demo import load_demo
from rencontres.editions.tests.test_browser import check, log_in
from rencontres.networking.demo import load_networking_demo
from rencontres.registration.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server, settings):
    settings.SITE_URL = live_server.url
    edition, _ = load_demo()
    load_networking_demo(edition)
    return edition


# For each box to tick (or radio button) shown: its size, and how far its middle is from the
# middle of the first line of its label's text.
BOXES = """() => [...document.querySelectorAll("main input[type=checkbox], main input[type=radio]")]
  .filter(input => input.offsetParent && input.labels.length)
  .map(input => {
    const label = input.labels[0];
    const {FILTER_ACCEPT, FILTER_SKIP} = NodeFilter;
    const words = (node) => node.textContent.trim() ? FILTER_ACCEPT : FILTER_SKIP;
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT, {acceptNode: words});
    const range = document.createRange();
    range.selectNodeContents(walker.nextNode());
    const line = range.getClientRects()[0];
    const box = input.getBoundingClientRect();
    return {name: input.name + "=" + input.value, height: box.height,
            target: label.getBoundingClientRect().height,
            offset: (box.top + box.bottom) / 2 - (line.top + line.bottom) / 2};
  })"""


def form_paths(edition):
    someone = Registration.objects.filter(edition=edition, profile__isnull=False).first()
    network = f"r/{someone.public_id}/{someone.secret}/network/"
    return [
        f"{network}profile/",
        f"{network}posts/new/",
        f"{network}directory/",
        "register/",
        f"organiser/{edition.number}/badges/",
        f"organiser/{edition.number}/registrations/",
    ]


@pytest.mark.parametrize("width", [360, 1280])
def test_boxes_to_tick_sit_on_the_first_line_of_their_label(browser_page, live_server, demo,
                                                            width):  # fmt: skip
    page = browser_page
    log_in(page, live_server, f"/fr/organiser/{demo.number}/")
    page.set_viewport_size({"width": width, "height": 800})
    for path in form_paths(demo):
        page.goto(f"{live_server.url}/fr/{path}")
        boxes = page.evaluate(BOXES)
        assert len(boxes) >= 3, path
        wrong = [
            box for box in boxes
            if box["height"] > 28 or abs(box["offset"]) > 3 or box["target"] < 32
        ]  # fmt: skip
        assert not wrong, f"{path}: {wrong[:3]} ({len(wrong)} of {len(boxes)})"


# The top of each field of the filter form's first row, the look of a group's title (legend)
# and of a field's label, and the group's frame.
FILTER_ROW = """form => {
  const fields = [...form.querySelectorAll(":scope > .field")];
  const end = fields[0].getBoundingClientRect().bottom;
  const row = fields.filter(field => field.getBoundingClientRect().top < end);
  const legend = form.querySelector(".field legend");
  const label = form.querySelector(".field > label");
  return {
    tops: row.map(field => Math.round(field.getBoundingClientRect().top)),
    legend: [getComputedStyle(legend).fontWeight, getComputedStyle(legend).paddingLeft],
    label: [getComputedStyle(label).fontWeight, "0px"],
    frame: getComputedStyle(legend.parentElement).borderTopStyle,
  };
}"""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_filter_fields_line_up_beside_a_country_list(browser_page, live_server, demo, language):
    page = browser_page
    log_in(page, live_server, f"/{language}/organiser/{demo.number}/")
    for path in form_paths(demo)[2::3]:  # the directory's filters and the registrations'
        page.goto(f"{live_server.url}/{language}/{path}")
        row = page.locator("form.filters").first.evaluate(FILTER_ROW)
        assert len(row["tops"]) >= 4 and len(set(row["tops"])) == 1, (path, row)
        assert row["legend"] == row["label"] and row["frame"] == "none", (path, row)
        check(page)


def test_the_privacy_details_show_they_open(browser_page, live_server, demo):
    page = browser_page
    page.goto(f"{live_server.url}/fr/register/")
    summary = page.locator(".privacy-summary__details summary")
    # A disclosure marker (a list-item summary draws its triangle), not text like a link.
    assert summary.evaluate("summary => getComputedStyle(summary).display") == "list-item"
    assert summary.bounding_box()["height"] >= 24
    summary.click()
    assert page.locator(".privacy-summary__details").get_attribute("open") is not None
    check(page)


def test_a_link_beside_a_button_sits_on_its_middle(browser_page, live_server, demo):
    page = browser_page
    page.goto(f"{live_server.url}/en/{form_paths(demo)[1]}")
    actions = page.locator("p.actions").last
    button = actions.get_by_role("button").bounding_box()
    link = actions.get_by_role("link", name="Back without saving").evaluate(
        "link => { const text = document.createRange(); text.selectNodeContents(link);"
        " const line = text.getClientRects()[0]; return {y: line.y, height: line.height}; }"
    )
    middle = lambda box: box["y"] + box["height"] / 2  # noqa: E731
    assert abs(middle(button) - middle(link)) <= 2, (button, link)
