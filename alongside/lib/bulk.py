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
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 2000

# A UUID as text that the database takes as it is: canonical, or its 32 hex digits.
_PLAIN_UUID = re.compile(r"[0-9a-f]{8}(-?)[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{4}\1[0-9a-f]{12}")


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


def _preparer(f: models.Field, now: Any) -> Callable[[Any], Any]:
    """``f.get_db_prep_save``, with shortcuts for the values that need no conversion."""
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

    if isinstance(target, models.UUIDField):
        sqlite = connection.vendor == "sqlite"

        def uuid_value(value: Any) -> Any:
            # A UUID as text is what the database takes: 32 hex digits on SQLite, the text
            # itself on PostgreSQL (no uuid.UUID built and taken apart again).
            if type(value) is str and _PLAIN_UUID.fullmatch(value):
                return value.replace("-", "") if sqlite else value
            return general(value)

        return uuid_value
    if isinstance(target, models.CharField | models.TextField):
        return lambda value: value if type(value) is str else general(value)
    if isinstance(target, models.BooleanField | models.IntegerField | models.FloatField):
        plain = {models.BooleanField: bool, models.FloatField: float}.get(type(target), int)
        return lambda value: value if type(value) is plain else general(value)
    return general


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
    params_of, written = _insert_params(fields), 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for batch in _batches(rows, BATCH):
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
    full-text index then costs a tenth as much (FTS5 flushes its pending words at the end of
    each statement that fires it).
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
    prepared = [
        (f.attname, _preparer(f, now), None if f.primary_key else f.get_default()) for f in fields
    ]
    return lambda batch: [
        [prep(row.get(name, default)) for name, prep, default in prepared] for row in batch
    ]


def dicts_update(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """UPDATE every field of rows given as {attribute name: value}, by primary key."""
    pk, now = model._meta.pk, timezone.now()
    assert pk is not None
    fields = [f for f in _fields(model, None) if not f.primary_key]
    prepared = [(f.attname, _preparer(f, now)) for f in fields]
    pk_prep = _preparer(pk, now)
    return _executemany(
        _update_sql(model, fields),
        rows,
        lambda batch: [
            [prep(row[name]) for name, prep in prepared] + [pk_prep(row[pk.attname])]
            for row in batch
        ],
    )
