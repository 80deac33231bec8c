"""Text search in a few columns of a table: full-text on PostgreSQL (each word of the search
the start of a word in the columns, found through a GIN index on them, see `index`), a plain
case-insensitive substring elsewhere (SQLite: the demo and the tests)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q

# 'simple': no stemming and no stop words, for names, places and posts in French, English and
# other languages, in every script. Accents count (no unaccent: it is an extension, and not
# immutable, so no index could hold it), as they do in the substring search.
CONFIG = "simple"
MAX_WORDS = 6


def words(query):
    """The words of a search box's text that can match anything: at most six, and none made
    of punctuation alone (it holds no word to look for)."""
    return [word for word in query.split() if any(c.isalnum() for c in word)][:MAX_WORDS]


def document(*fields):
    """What `index` stores and `matching` compares: the two must be the same expression for
    PostgreSQL to use the index."""
    return SearchVector(*fields, config=CONFIG)


def starting_with(word):
    # A raw query, the word quoted so that none of its characters is an operator: 'word':*
    # finds the words that start with it, the way a search box is typed.
    quoted = word.replace("\\", "\\\\").replace("'", "''")
    return SearchQuery(f"'{quoted}':*", search_type="raw", config=CONFIG)


def matching(queryset, fields, word):
    """The rows of `queryset` with `word` in one of `fields` (columns of its own table)."""
    if connections[queryset.db].vendor == "postgresql":
        return queryset.annotate(search_document=document(*fields)).filter(
            search_document=starting_with(word)
        )
    found = Q()
    for field in fields:
        found |= Q(**{f"{field}__icontains": word})
    return queryset.filter(found)


def index(fields, name):
    """The PostgreSQL index that `matching(queryset, fields, word)` uses. Created by migrations
    on PostgreSQL only (see rencontres/networking/migrations/0005_search_indexes.py): it is not
    in the models' Meta, where SQLite would have to build it too."""
    return GinIndex(document(*fields), name=name)
