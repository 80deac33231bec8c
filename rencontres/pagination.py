"""Lists in pages, with the query string their pagination links keep (the list's filters)."""

from django.core.paginator import Paginator


def page_of(request, items, per_page=50):
    """(page, query string without the page number): what templates/_pagination.html needs."""
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(items, per_page).get_page(request.GET.get("page")), query.urlencode()
