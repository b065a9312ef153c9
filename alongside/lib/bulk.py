"""Writing many rows of a model with one ``executemany`` per batch.

``QuerySet.bulk_create`` and ``bulk_update`` build SQL per object and, on SQLite, split every
batch at 999 parameters; an import of a million rows spends most of its time there. These
write the same values (``auto_now`` fields left empty get the current time) with one
statement per batch. No signals are sent and no ids are fetched: give the rows their ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH = 2000


def _batches(objs: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(objs)
    while batch := list(islice(it, size)):
        yield batch


def _value(f: models.Field, obj: models.Model, now: Any) -> Any:
    value = getattr(obj, f.attname)
    if value is None and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
        value = now
        setattr(obj, f.attname, value)
    return f.get_db_prep_save(value, connection)


def _fields(model: type[models.Model], names: Iterable[str] | None) -> list[models.Field]:
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    return fields if names is None else [f for f in fields if f.name in set(names)]


def rows_insert(model: type[models.Model], objs: Iterable[models.Model]) -> int:
    """INSERT ``objs``; returns how many."""
    fields = _fields(model, None)
    quote = connection.ops.quote_name
    # Only the model's own table and column names are formatted in; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    now, written = timezone.now(), 0
    with connection.cursor() as cursor:
        for batch in _batches(objs, BATCH):
            cursor.executemany(sql, [[_value(f, obj, now) for f in fields] for obj in batch])
            written += len(batch)
    return written


def rows_update(model: type[models.Model], objs: Iterable[models.Model], names: list[str]) -> int:
    """UPDATE the fields ``names`` of ``objs``, by primary key; returns how many."""
    fields, pk = _fields(model, names), model._meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(f"{quote(str(f.column))} = %s" for f in fields),
        quote(str(pk.column)),
    )
    now, written = timezone.now(), 0
    with connection.cursor() as cursor:
        for batch in _batches(objs, BATCH):
            cursor.executemany(
                sql,
                [
                    [_value(f, obj, now) for f in fields]
                    + [pk.get_db_prep_save(obj.pk, connection)]
                    for obj in batch
                ],
            )
            written += len(batch)
    return written
