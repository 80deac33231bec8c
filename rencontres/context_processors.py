"""What every page's frame shows without the database: branding and the language switch (the
current edition is added by rencontres/editions/context_processors.py)."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode


def language_links(request):
    """One link per language, to this same page in that language (see views.switch_language)."""
    links = []
    current = translation.get_language()
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        query = urlencode({"next": request.get_full_path()})
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": f"{reverse('switch_language', args=[code])}?{query}",
                "active": code == current,
            }
        )
    return links


def site_without_database(request):
    """What the page's frame needs that the database does not hold (the 503 page has no more)."""
    brand = dict(settings.BRAND)
    logo = brand["LOGO"]
    brand["LOGO_URL"] = logo if logo.startswith(("http://", "https://", "/")) else static(logo)
    return {"brand": brand, "language_links": language_links(request), "current_edition": None}
