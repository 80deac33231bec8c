"""What every page shows: branding, the language switch, the current edition and its status."""

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


def site(request):
    from rencontres.editions.selectors import current_edition_for

    return {**site_without_database(request), "current_edition": current_edition_for(request)}


def site_without_database(request):
    """What the page's frame needs that the database does not hold (the 503 page has no more)."""
    brand = dict(settings.BRAND)
    logo = brand["LOGO"]
    brand["LOGO_URL"] = logo if logo.startswith(("http://", "https://", "/")) else static(logo)
    return {"brand": brand, "language_links": language_links(request), "current_edition": None}
