"""What every page shows: the frame (branding, language switch) and the current edition."""

from rencontres.context_processors import site_without_database

from .selectors import current_edition_for


def site(request):
    return {**site_without_database(request), "current_edition": current_edition_for(request)}
