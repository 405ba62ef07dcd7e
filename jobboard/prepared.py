"""Querysets built and compiled to SQL once per process, then only run.

Building and compiling the query of an offer's page costs about a millisecond, eight times what
running its SQL costs, and it is the same query for every offer but for the slug. A `PreparedQuery`
builds the queryset once per database with stand-in values for what changes, compiles it, and finds
where the stand-ins went among the SQL's parameters; each call then runs that SQL with its own
values. The rows become objects through the queryset's own iterable (select_related, annotations,
a custom `_iterable_class`), so a call gives what `list(queryset)` would have given. On PostgreSQL the
SQL is also a prepared statement, planned once per connection (`PreparingConnection`).
"""

import copy
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.db.models import Model, QuerySet
from psycopg import Cursor
from psycopg.postgres import types
from psycopg.pq import Format

TIMESTAMPTZ_OID = types.get("timestamptz").oid


class PreparedQuery:
    """`build(**values)` gives the queryset; `parameters` names each value's type (str, int or an aware
    datetime). The queryset may filter, order, slice and annotate on them, but must use each value
    as a parameter of the SQL as it is (not `slug__upper=`, not `now - timedelta(days=7)`)."""

    def __init__(self, build: Callable[..., QuerySet], **parameters: type):
        self.build = build
        self.stand_ins = {name: stand_in(kind, position) for position, (name, kind) in enumerate(parameters.items())}
        self._compiled: dict[str, _CompiledQuery] = {}
        self._lock = threading.Lock()

    def __call__(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[Model]:
        if values.keys() != self.stand_ins.keys():
            raise TypeError(f"expected the values {sorted(self.stand_ins)}, got {sorted(values)}")
        compiled = self._compiled.get(using) or self._compile(using)
        queryset = QuerySet(model=compiled.template.model, query=compiled.with_values(values), using=using)
        queryset._iterable_class = compiled.template._iterable_class
        queryset._prefetch_related_lookups = compiled.template._prefetch_related_lookups
        return list(queryset)

    def _compile(self, using: str) -> "_CompiledQuery":
        with self._lock:
            if using not in self._compiled:
                template = self.build(**self.stand_ins)
                compiler = template.query.get_compiler(using=using)
                sql, params = compiler.as_sql()
                adapt = _adapter(connections[using])
                wanted = {adapt(value): name for name, value in self.stand_ins.items()}
                names = [wanted.get(param) for param in params]
                missing = set(self.stand_ins) - set(names)
                if missing:
                    raise ValueError(f"the query does not use {sorted(missing)} as parameters of its SQL")
                self._compiled[using] = _CompiledQuery(template, compiler, sql, params, names)
            return self._compiled[using]


def stand_in(kind: type, position: int):
    """A value no real query parameter would have, of the type `kind`."""
    if kind is str:
        return f"\x00prepared-query-parameter-{position}\x00"
    if kind is int:
        return -(2**31) + 7 + position
    if kind is datetime:
        return datetime(1001, 1, 1, tzinfo=UTC) + timedelta(microseconds=7 + position)
    raise TypeError(f"a prepared query takes str, int and datetime values, not {kind.__name__}")


def _adapter(connection):
    """A value as Django passes it to the database driver."""

    def adapt(value):
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value

    return adapt


class _CompiledQuery:
    """The SQL made once, and where each value goes among its parameters (None: a constant)."""

    def __init__(self, template, compiler, sql, params, names):
        self.template, self.compiler, self.sql = template, compiler, sql
        self.params, self.names = tuple(params), names
        self.converters = compiler.get_converters([column for column, _, _ in compiler.select[: compiler.col_count]])

    def with_values(self, values: dict) -> "_BoundQuery":
        adapt = _adapter(connections[self.compiler.using])
        params = tuple(
            param if name is None else adapt(values[name]) for name, param in zip(self.names, self.params, strict=True)
        )
        return _BoundQuery(self, params)


class _BoundQuery:
    """Stands for the queryset's query when it runs: its compiler gives back the SQL made once."""

    def __init__(self, compiled: _CompiledQuery, params: tuple):
        self.compiled, self.params = compiled, params

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = copy.copy(self.compiled.compiler)  # select, klass_info, col_count… as as_sql() left them
        compiler.connection = connections[using]  # this thread's connection
        if compiler.connection.vendor == "postgresql":
            compiler.connection = PreparingConnection(compiler.connection)
        elif compiler.connection.vendor == "sqlite":
            compiler.connection = ConvertingOnceConnection(compiler.connection)
        sql, params = self.compiled.sql, self.params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        # The columns' converters, found again for each query otherwise (their database's type conversions
        # depend on its vendor and settings, the same for every connection to it).
        converters = self.compiled.converters
        compiler.get_converters = lambda expressions: converters
        return compiler

    def __getattr__(self, name):  # what else the queryset reads of its query
        return getattr(self.compiled.template.query, name)


class PreparingCursor(Cursor):
    """A psycopg cursor that binds on the server and prepares each statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class ConvertingOnceCursor(SQLiteCursorWrapper):
    """A SQLite cursor that turns the prepared queries' SQL into SQLite's placeholders once per process.
    Django's cursor does it at each run with a regular expression over the whole SQL: 70 µs for the
    offer page's 6 kB, more than SQLite takes to run it. Only the prepared queries use it: a few SQLs,
    each the same string object at each run, whose hash is computed once."""

    converted: dict[str, str] = {}

    def convert_query(self, query, *, param_names=None):
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        converted = self.converted.get(query)
        if converted is None:
            converted = self.converted[query] = super().convert_query(query)
        return converted


class OwnCursorConnection:
    """A connection whose cursors the prepared queries make themselves (`make_cursor`), checked, opened and
    wrapped (logged…) as Django's own cursor() does; for anything else, the connection itself."""

    def __init__(self, connection):
        self.connection_wrapper = connection

    def cursor(self):
        wrapper = self.connection_wrapper
        wrapper.close_if_health_check_failed()
        wrapper.ensure_connection()
        with wrapper.wrap_database_errors:
            return wrapper._prepare_cursor(self.make_cursor(wrapper))

    def make_cursor(self, wrapper):
        raise NotImplementedError

    def __getattr__(self, name):
        return getattr(self.connection_wrapper, name)


class ConvertingOnceConnection(OwnCursorConnection):
    """A SQLite connection whose cursors are `ConvertingOnceCursor`s, for the prepared queries."""

    def make_cursor(self, wrapper):
        return wrapper.connection.cursor(factory=ConvertingOnceCursor)


class PreparingConnection(OwnCursorConnection):
    """A PostgreSQL connection whose cursors bind the parameters on the server and prepare the statement:
    PostgreSQL then plans the query once per connection, not at each run. Django binds parameters on the
    client, so the server sees a new query each time, and planning the offer page's took 0.5 ms of its
    0.8. Only for the prepared queries: the list's queries change with each search, and a plan made once
    for all of them was slower for some (a place's offers)."""

    def make_cursor(self, wrapper):
        cursor = PreparingCursor(wrapper.connection)
        tz_loader = cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if wrapper.timezone != tz_loader.timezone:  # as Django's create_cursor() does
            register_tzloader(wrapper.timezone, cursor)
        return cursor
