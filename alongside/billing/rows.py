"""Insert many rows of one model with one prepared statement (``executemany``).

A month's run writes a hundred thousand lines. ``bulk_create`` spends most of that time in
each field's ``get_db_prep_save`` chain, and SQLite takes only ~55 rows a statement (999
parameters). Here each column's conversion is chosen once, from the field's type, using the
same database adapters Django's fields end in; a column of a type not listed falls back to the
field's own ``get_db_prep_save``. No signals, no ``save()``: the caller has validated the rows,
as ``bulk_create``'s callers do, and sets ``created_at`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

# Column types a database driver takes as Python gives them.
AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of ``field`` becomes a parameter; None when it goes as it is."""
    ops = connection.ops
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    kind = target.get_internal_type()
    if kind in AS_IS:
        return None
    if kind == "UUIDField":
        if connection.features.has_native_uuid_field:
            return None
        return lambda value: None if value is None else value.hex
    if kind == "JSONField":
        encoder = field.encoder  # type: ignore[attr-defined]
        return lambda value: ops.adapt_json_value(value, encoder)
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "TimeField":
        return ops.adapt_timefield_value
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model: type[models.Model], objects: Sequence[Any]) -> None:
    """INSERT ``objects`` in one ``executemany``: each has an attribute for every concrete
    field's ``attname`` (``id``, ``batch_id``, ...), a model instance or a plain record."""
    if not objects:
        return
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    plan = [(field.attname, _converter(field)) for field in fields]
    rows = [
        [
            getattr(obj, attname) if convert is None else convert(getattr(obj, attname))
            for attname, convert in plan
        ]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
