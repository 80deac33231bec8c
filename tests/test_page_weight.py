"""Page weight: the registration form, as a phone loads it (the page, its stylesheets, its
scripts, its fonts and images), stays under 100 KB gzip-compressed, whatever is added to it."""

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders

from rencontres.fees.models import Fee
from rencontres.registration.tests.factories import category, open_edition, workshop

pytestmark = pytest.mark.django_db
BUDGET = 100 * 1024
PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131 Mobile Safari"


class Resources(HTMLParser):
    """What a browser fetches for the page: stylesheets and preloads, scripts, images, icons."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "link" and {"stylesheet", "preload", "icon", "modulepreload"} & set(
            (attributes.get("rel") or "").split()
        ):
            self.urls.append(attributes.get("href"))
        elif tag in {"script", "img", "source"}:
            self.urls.append(attributes.get("src"))
            srcset = attributes.get("srcset") or ""
            self.urls.extend(part.split()[0] for part in srcset.split(",") if part.strip())


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def css_links(css):
    """What a stylesheet loads: its fonts (@font-face), images and imports."""
    found = (first or second for first, second in CSS_URL.findall(css))
    return [url for url in found if not url.startswith(("data:", "#"))]


def fetch(client, url):
    """A static file from its folder (the tests run without the manifest: names as written),
    anything else (the brand's stylesheet) from its view."""
    path = urlsplit(url).path
    if not path.startswith("/static/"):
        response = client.get(url, HTTP_USER_AGENT=PHONE)
        assert response.status_code == 200, f"{url} is linked from the page: {response}"
        return response.content
    found = finders.find(path.removeprefix("/static/"))
    assert found, f"{url} is linked from the page but no such static file exists"
    with open(found, "rb") as file:
        return file.read()


def page_and_resources(client, url):
    """The page and every file it loads (CSS urls and imports followed, fonts included), each
    once, by address."""
    response = client.get(url, HTTP_USER_AGENT=PHONE)
    assert response.status_code == 200
    files = {url: response.content}
    parser = Resources()
    parser.feed(response.content.decode())
    waiting = [urljoin(url, link) for link in parser.urls if link and not link.startswith("data:")]
    while waiting:
        address = waiting.pop()
        if address in files:
            continue
        files[address] = fetch(client, address)
        if urlsplit(address).path.endswith(".css"):
            waiting.extend(urljoin(address, link) for link in css_links(files[address].decode()))
    return files


def compressed(content):
    return len(gzip.compress(content, compresslevel=9))


@pytest.mark.parametrize(
    "url",
    [
        "/en/register/",
        # The heaviest form: members' rows and their script, and the price box and its own.
        "/en/register/delegation/",
    ],
)
def test_the_registration_form_weighs_under_100_kb_compressed_on_a_phone(client, url):
    edition = open_edition()
    Fee.objects.create(category=category(edition), amount_cents=15000)
    for hour in range(9, 18):
        workshop(edition, hour=hour, title_en=f"Workshop at {hour}")
    files = page_and_resources(client, url)
    sizes = {address: compressed(content) for address, content in files.items()}
    assert len(files) > 2, "the page loads its stylesheet and scripts: the parser found none"
    assert sum(sizes.values()) < BUDGET, sizes


def test_the_fonts_and_imports_of_a_stylesheet_are_counted():
    css = """@import "print.css";
    @font-face { font-family: Marianne; src: url("../fonts/marianne.woff2") format("woff2"),
      url(../fonts/marianne.woff) format("woff"); }
    .icon { background: url('data:image/svg+xml;utf8,<svg/>'); } .x { mask: url(#m); }"""
    assert css_links(css) == ["print.css", "../fonts/marianne.woff2", "../fonts/marianne.woff"]
