"""Writing many rows of a model with one ``executemany`` per batch.

``QuerySet.bulk_create`` and ``bulk_update`` build SQL per object and, on SQLite, split every
batch at 999 parameters; an import of a million rows spends most of its time there. These
write the same values (``auto_now`` fields left empty get the current time) with one
statement per batch. No signals are sent and no ids are fetched: give the rows their ids (or
leave an automatic id to the database). Rows are dicts by attribute name, cheaper to build by
the hundred thousand than model instances.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 2000

# UUIDs as text that the database takes as they are, a line each: canonical, or 32 hex digits.
_UUID = r"[0-9a-f]{8}(-?)[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}"
_PLAIN_UUIDS = re.compile(rf"(?:{_UUID}(?:\n|\Z))+(?<!\n)")
# A value every row must give (``dicts_update``): a row without it raises KeyError.
_REQUIRED = object()


def _batches(objs: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(objs)
    while batch := list(islice(it, size)):
        yield batch


def _fields(model: type[models.Model], names: Iterable[str] | None) -> list[models.Field]:
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    if names is None:
        return fields
    wanted = set(names)
    return [f for f in fields if f.name in wanted or f.attname in wanted]


def _preparer(f: models.Field, now: Any) -> Callable[[list[Any]], list[Any]]:
    """A column of values for ``f`` -> what the database takes (``f.get_db_prep_save``).

    A column is converted at once: most need no conversion at all, and one check of the types
    in it (``set(map(type, …))``) replaces a call per value."""
    target = f.target_field if isinstance(f, models.ForeignKey) else f
    auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    keeps_none = not auto and not isinstance(f, models.JSONField)

    def general(value: Any) -> Any:
        if value is None:
            if keeps_none:
                return None  # NULL, whatever the field
            if auto:
                value = now
        return f.get_db_prep_save(value, connection)

    def each(column: list[Any]) -> list[Any]:
        return [general(value) for value in column]

    if isinstance(target, models.UUIDField):
        sqlite = connection.vendor == "sqlite"

        def uuids(column: list[Any]) -> list[Any]:
            # UUIDs as text are what the database takes: 32 hex digits on SQLite, the text
            # itself on PostgreSQL (no uuid.UUID built and taken apart again).
            if set(map(type, column)) == {str}:
                lines = "\n".join(column)
                if _PLAIN_UUIDS.fullmatch(lines):
                    return lines.replace("-", "").split("\n") if sqlite else column
            return each(column)

        return uuids
    plain = {
        models.CharField: str,
        models.TextField: str,
        models.BooleanField: bool,
        models.FloatField: float,
        models.IntegerField: int,
    }
    kind = next((t for cls, t in plain.items() if isinstance(target, cls)), None)
    if kind is None:
        return each
    return lambda column: column if set(map(type, column)) <= {kind} else each(column)


def _params(
    columns: list[tuple[str, Callable[[list[Any]], list[Any]], Any]],
) -> Callable[[list[dict[str, Any]]], list[tuple]]:
    """Rows given as dicts -> parameter tuples, from (attribute, preparer, default) columns."""

    def column(batch: list[dict[str, Any]], name: str, default: Any) -> list[Any]:
        if default is _REQUIRED:
            return [row[name] for row in batch]
        return [row.get(name, default) for row in batch]

    return lambda batch: list(
        zip(*(prep(column(batch, name, default)) for name, prep, default in columns), strict=True)
    )


def _insert_sql(model: type[models.Model], fields: list[models.Field]) -> str:
    quote = connection.ops.quote_name
    # Only the model's own table and column names are formatted in; values are parameters.
    return "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )


def _update_sql(model: type[models.Model], fields: list[models.Field]) -> str:
    pk, quote = model._meta.pk, connection.ops.quote_name
    assert pk is not None
    return "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(f"{quote(str(f.column))} = %s" for f in fields),
        quote(str(pk.column)),
    )


def _executemany(sql: str, items: Iterable[Any], params_of: Callable[[list[Any]], list]) -> int:
    """Run ``sql`` once per batch of ``items``, with ``params_of(batch)``; returns how many."""
    written = 0
    with connection.cursor() as cursor:
        for batch in _batches(items, BATCH):
            cursor.executemany(sql, params_of(batch))
            written += len(batch)
    return written


def dicts_insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """INSERT rows given as {attribute name: value}; a field left out gets its default.

    On PostgreSQL the rows go in by ``COPY``: the server's work per row is a fraction of an
    INSERT's, and an import of a million rows spent most of its time waiting for it."""
    fields = _fields(model, None)
    if connection.vendor == "postgresql":
        return _copy(model, fields, rows)
    return _executemany(_insert_sql(model, fields), rows, _insert_params(fields))


def _copy(model: type[models.Model], fields: list[models.Field], rows: Iterable[dict]) -> int:
    quote = connection.ops.quote_name
    # Only the model's own table and column names are formatted in; values go as data.
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(str(f.column)) for f in fields)
    )
    batches = _batches(rows, BATCH)
    first = next(batches, None)
    if first is None:
        return 0  # no statement at all: a COPY names every column, even for no rows
    params_of, written = _insert_params(fields), 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for batch in chain([first], batches):
            for params in params_of(batch):
                copy.write_row(params)
            written += len(batch)
    return written


def dicts_upsert(
    model: type[models.Model], rows: Iterable[dict[str, Any]], unique: list[str]
) -> int:
    """INSERT rows as ``dicts_insert``; a row whose ``unique`` fields match one already there
    updates that row's other fields instead (``ON CONFLICT``, SQLite and PostgreSQL).

    Many rows go in each statement, not one statement a row: a trigger that feeds SQLite's
    full-text index then costs far less (FTS5 flushes its pending words at the end of each
    statement that fires it).
    """
    fields, quote = _fields(model, None), connection.ops.quote_name
    keys = [str(f.column) for f in fields if f.name in unique]
    assert len(keys) == len(unique), "unique names fields of the model"
    rest = [str(f.column) for f in fields if f.name not in unique]
    head, _, one = _insert_sql(model, fields).partition(" VALUES ")
    tail = " ON CONFLICT ({}) DO UPDATE SET {}".format(
        ", ".join(quote(c) for c in keys),
        ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in rest),
    )
    params_of = _insert_params(fields)
    written = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, max(1, min(BATCH, _max_params() // len(fields)))):
            values = ", ".join([one] * len(batch))
            params = [value for row in params_of(batch) for value in row]
            cursor.execute(f"{head} VALUES {values}{tail}", params)
            written += len(batch)
    return written


def _max_params() -> int:
    """The most parameters one statement may take on this connection."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return connection.features.max_query_params or 65535


def _insert_params(fields: list[models.Field]) -> Callable[[list[dict[str, Any]]], list]:
    now = timezone.now()
    return _params(
        [(f.attname, _preparer(f, now), None if f.primary_key else f.get_default()) for f in fields]
    )


def dicts_update(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """UPDATE every field of rows given as {attribute name: value}, by primary key."""
    pk, now = model._meta.pk, timezone.now()
    assert pk is not None
    fields = [f for f in _fields(model, None) if not f.primary_key]
    columns = [(f.attname, _preparer(f, now), _REQUIRED) for f in [*fields, pk]]
    return _executemany(_update_sql(model, fields), rows, _params(columns))
