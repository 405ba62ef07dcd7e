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
from django.db.models import Func, Q
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
    return queryset.with_ids_in(OFFER_INDEX.matching(terms))


class SqliteTextIndex:
    """An FTS5 table that indexes columns of `table` (external content, read from the table itself),
    kept in step by triggers. Made again where missing after every `migrate` (`ensure_sqlite_index`)."""

    def __init__(self, name: str, table: str, columns: list[str], tokenize: str):
        self.name = name
        listed = ", ".join(columns)
        old = ", ".join(f"old.{column}" for column in columns)
        new = ", ".join(f"new.{column}" for column in columns)
        self.create = (
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5({listed}, content='{table}',"
            f" content_rowid='id', tokenize=\"{tokenize}\")"
        )
        forget_old = f"INSERT INTO {name}({name}, rowid, {listed}) VALUES ('delete', old.id, {old});"
        index_new = f"INSERT INTO {name}(rowid, {listed}) VALUES (new.id, {new});"
        self.triggers = {
            f"{name}_insert": f"AFTER INSERT ON {table} BEGIN {index_new} END",
            f"{name}_delete": f"AFTER DELETE ON {table} BEGIN {forget_old} END",
            f"{name}_update": f"AFTER UPDATE OF {listed} ON {table} BEGIN {forget_old} {index_new} END",
        }

    def matching(self, query: str) -> RawSQL:
        """The ids of the rows that match an FTS5 query."""
        return RawSQL(f"SELECT rowid FROM {self.name} WHERE {self.name} MATCH %s", [query])

    def count(self, query: str) -> int:
        """How many rows match an FTS5 query (a plain query: no ORM to compile)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.name} WHERE {self.name} MATCH %s", [query])
            return cursor.fetchone()[0]

    def ensure(self, cursor, triggers_found: set[str]):
        if self.triggers.keys() <= triggers_found:
            return
        cursor.execute(self.create)
        for name, definition in self.triggers.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"CREATE TRIGGER {name} {definition}")
        cursor.execute(f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')")


# The search keys of the offers (Offer.search_text), as words. Keys keep their underscores, as \w does.
OFFER_INDEX = SqliteTextIndex(
    "offers_offer_search", "offers_offer", ["search_text"], "unicode61 remove_diacritics 0 tokenchars '_'"
)
# The places' cities and regions, as trigrams: any part of a name of three characters or more is found
# through the index, in any case (see `places_named`); compared row by row, the 12,000 places of the
# benchmark took 3 ms at each count and each page of the list.
PLACE_INDEX = SqliteTextIndex("offers_place_search", "offers_place", ["locality", "region"], "trigram")
SQLITE_INDEXES = [OFFER_INDEX, PLACE_INDEX]


def ensure_sqlite_index(connection):
    """Make SQLite's search indexes and their triggers where they are missing, and fill them.

    Run after every `migrate` (offers.apps): on SQLite, a migration that alters a table copies it
    to a new table and drops the old one with its triggers, which would leave the index behind."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers_found = {name for (name,) in cursor.fetchall()}
        for index in SQLITE_INDEXES:
            index.ensure(cursor, triggers_found)


def places_named(places, text: str):
    """The `places` whose city or region contains `text`, whatever its case."""
    if on_trigram_index(text):
        return places.filter(pk__in=PLACE_INDEX.matching(as_phrase(text)))
    return places.filter(Q(locality__icontains=text) | Q(region__icontains=text))


def on_trigram_index(text: str) -> bool:
    """Whether places are looked for in SQLite's trigram index: trigrams find no text shorter than three."""
    return connection.vendor == "sqlite" and len(text) >= 3


def as_phrase(text: str) -> str:
    """`text` as an FTS5 phrase: looked for as it is, nothing in it an operator."""
    return '"' + text.replace('"', '""') + '"'


def places_counted(text: str) -> int | None:
    """How many places `text` matches, where knowing it costs little: on SQLite's trigram index, 0.1 ms.
    None otherwise: a shorter text is looked for in every place, and PostgreSQL has no use for the answer.
    At most as many offers have those places (`OfferQuerySet.with_ids_in`)."""
    return PLACE_INDEX.count(as_phrase(text)) if on_trigram_index(text) else None


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
