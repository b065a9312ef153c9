"""Writing many rows of a model with one ``executemany`` per batch.

``QuerySet.bulk_create`` and ``bulk_update`` build SQL per object and, on SQLite, split every
batch at 999 parameters; an import of a million rows spends most of its time there. These
write the same values (``auto_now`` fields left empty get the current time) with one
statement per batch. No signals are sent and no ids are fetched: give the rows their ids.
Rows are model instances (``rows_insert``, ``rows_update``) or, cheaper to build by the
hundred thousand, dicts by attribute name (``dicts_insert``, ``dicts_update``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 2000

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


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


def _auto_add(f: models.Field) -> bool:
    return bool(getattr(f, "auto_now_add", False))


def _preparer(f: models.Field, now: Any) -> Callable[[Any], Any]:
    """``f.get_db_prep_save``, with shortcuts for the values that need no conversion."""
    target = f.target_field if isinstance(f, models.ForeignKey) else f
    auto = getattr(f, "auto_now", False) or _auto_add(f)

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
            # A canonical UUID as text is what the database takes: 32 hex digits on SQLite,
            # the text itself on PostgreSQL (no uuid.UUID built and taken apart again).
            if type(value) is str and _CANONICAL_UUID.fullmatch(value):
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


def rows_insert(model: type[models.Model], objs: Iterable[models.Model]) -> int:
    """INSERT ``objs``; returns how many."""
    fields, now = _fields(model, None), timezone.now()
    prepared = [(f.attname, _preparer(f, now)) for f in fields]
    autos = [f.attname for f in fields if getattr(f, "auto_now", False) or _auto_add(f)]

    def params_of(batch: list[models.Model]) -> list[list[Any]]:
        for obj in batch:
            for name in autos:  # filled in on the objects too, as save() would
                if getattr(obj, name) is None:
                    setattr(obj, name, now)
        return [[prep(getattr(obj, name)) for name, prep in prepared] for obj in batch]

    return _executemany(_insert_sql(model, fields), objs, params_of)


def rows_update(model: type[models.Model], objs: Iterable[models.Model], names: list[str]) -> int:
    """UPDATE the fields ``names`` of ``objs``, by primary key; returns how many."""
    fields, pk, now = _fields(model, names), model._meta.pk, timezone.now()
    assert pk is not None
    prepared = [(f.attname, _preparer(f, now)) for f in fields]
    pk_prep = _preparer(pk, now)
    return _executemany(
        _update_sql(model, fields),
        objs,
        lambda batch: [
            [prep(getattr(obj, name)) for name, prep in prepared] + [pk_prep(obj.pk)]
            for obj in batch
        ],
    )


def dicts_insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """INSERT rows given as {attribute name: value}; a field left out gets its default."""
    fields, now = _fields(model, None), timezone.now()
    prepared = [
        (f.attname, _preparer(f, now), None if f.primary_key else f.get_default()) for f in fields
    ]
    return _executemany(
        _insert_sql(model, fields),
        rows,
        lambda batch: [
            [prep(row.get(name, default)) for name, prep, default in prepared] for row in batch
        ],
    )


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
