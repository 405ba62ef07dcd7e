"""Text search as candidates type it, in French and Dutch.

Offers and queries go through the same normalisation, so that accents are
optional (secretaire finds Secrétaire), case is ignored, and the inclusive
forms of a word (chargée, chargé·e, chargé.e, chargé-e, chargé(e)) and its
plural all come down to one key. The keys of an offer are stored in
`Offer.search_text`. PostgreSQL searches them with its full-text engine, in
`Offer.search_vector`, the same keys as a tsvector that the database keeps
(the "simple" configuration: the normalisation here does what a language's
stemmer would, for both languages at once), under a GIN index. Turning the
text into a tsvector at each search cost 0.1 ms an offer: half a second for
a common word. SQLite searches them with its FTS5 engine, in a table of its
own that triggers keep in step (`ensure_sqlite_index`), with the same results.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Func
from django.db.models.expressions import RawSQL

# What follows a word's stem in inclusive writing: chargé·e, élu·es, coordinateur·trice.
INCLUSIVE_ENDING = re.compile(r"(?<=\w)(?:[·•.\-/]|\()(e|es|fe|ve|ne|le|te|se|trice|rice|euse|ice)\)?(?=\W|$)")
WORD = re.compile(r"\w+")
MAX_QUERY_WORDS = 10


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def keys(text: str) -> list[str]:
    """The search keys of a text: lower case, no accents, no inclusive or plural endings."""
    text = INCLUSIVE_ENDING.sub("", strip_accents(text or "").lower())
    return [stem(word) for word in WORD.findall(text)]


def stem(word: str) -> str:
    # The feminine and plural endings of French (and Dutch -e/-s), so that
    # chargee, charge, charges all key to "charg".
    stripped = word.rstrip("es") if len(word) > 3 else word
    return stripped if len(stripped) >= 2 else word


def search_text(*parts: str) -> str:
    """The keys of all `parts`, space-separated, with a space at each end so that
    a substring search for " key" is a prefix search, as on PostgreSQL."""
    return f" {' '.join(key for part in parts for key in keys(part))} "


def matching(queryset, query: str):
    """Offers whose keys contain every word of `query` (as a prefix on PostgreSQL)."""
    words = keys(query)[:MAX_QUERY_WORDS]
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        terms = " & ".join(f"{word}:*" for word in words)
        return queryset.filter(search_vector=SearchQuery(terms, config="simple", search_type="raw"))
    # Each word quoted (keys are letters, digits and _), as a prefix: "communic"* AND "charg"*
    terms = " AND ".join(f'"{word}"*' for word in words)
    found = RawSQL(f"SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s", [terms])
    return queryset.with_ids_in(found)


# SQLite's full-text index of Offer.search_text: an FTS5 table that reads the offers' own column
# (external content), kept in step by triggers. Keys keep their underscores, as \w does.
SQLITE_INDEX = "offers_offer_search"
SQLITE_INDEX_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_INDEX} USING fts5(search_text, content='offers_offer',"
    " content_rowid='id', tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")"
)
FORGET_OLD = (
    f"INSERT INTO {SQLITE_INDEX}({SQLITE_INDEX}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
)
INDEX_NEW = f"INSERT INTO {SQLITE_INDEX}(rowid, search_text) VALUES (new.id, new.search_text);"
SQLITE_TRIGGERS = {
    f"{SQLITE_INDEX}_insert": f"AFTER INSERT ON offers_offer BEGIN {INDEX_NEW} END",
    f"{SQLITE_INDEX}_delete": f"AFTER DELETE ON offers_offer BEGIN {FORGET_OLD} END",
    f"{SQLITE_INDEX}_update": f"AFTER UPDATE OF search_text ON offers_offer BEGIN {FORGET_OLD} {INDEX_NEW} END",
}


def ensure_sqlite_index(connection):
    """Make SQLite's search index and its triggers where they are missing, and fill it.

    Run after every `migrate` (offers.apps): on SQLite, a migration that alters offers_offer
    copies it to a new table and drops the old one with its triggers, which would leave the
    index behind the offers without a word."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'offers_offer'")
        if SQLITE_TRIGGERS.keys() <= {name for (name,) in cursor.fetchall()}:
            return
        cursor.execute(SQLITE_INDEX_TABLE)
        for name, definition in SQLITE_TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"CREATE TRIGGER {name} {definition}")
        cursor.execute(f"INSERT INTO {SQLITE_INDEX}({SQLITE_INDEX}) VALUES ('rebuild')")


class KeysVector(Func):
    """The expression of `Offer.search_vector`, a column the database computes: the keys as a
    tsvector on PostgreSQL; on SQLite, which has no such type and searches the text, nothing."""

    template = "NULL"
    output_field = SearchVectorField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # Stripped of positions, which nothing here uses: half the size, kept in the row (see
        # migration 0008), where testing a few thousand rows for a common word takes milliseconds.
        template = "strip(to_tsvector('simple'::regconfig, COALESCE(%(expressions)s, '')))"
        return self.as_sql(compiler, connection, template=template, **extra_context)
