"""Reading many rows straight from the database cursor.

Django converts every value it reads (a UUID column becomes a ``uuid.UUID``, a date a
``date``); over thousands of rows that costs more than the query. ``raw_rows`` runs a
``values_list`` queryset and hands back what the driver gives: on SQLite UUIDs as 32 hex
digits and dates and times as ISO text, on PostgreSQL ``uuid.UUID``, ``date`` and ``time``.
``hex_key`` makes one key of a UUID either way. ``db_uuids`` gives a list of UUIDs, converted
once, to filter several queries by (``field__in=db_uuids(...)``). ``binary_cursor`` reads
large binary values without their text form.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def raw_rows(values: QuerySet[Any]) -> list[tuple]:
    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:  # an empty ``__in`` list
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def db_date(value: date | str | None) -> date | None:
    """A date column's value as read raw: SQLite gives its ISO text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def hex_key(value: Any) -> str:
    """A UUID as 32 hex digits, from a ``uuid.UUID`` or the text of one."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if len(value) == 32:
        return value
    if len(value) == 36 and _CANONICAL.match(value):
        return value.replace("-", "")  # much cheaper than parsing it
    return uuid.UUID(value).hex


def db_uuids(values: Iterable[Any]) -> RawSQL:
    """UUIDs (``uuid.UUID`` objects, or text as ``hex_key`` takes it, or as the database gave
    them) as the right-hand side of ``__in``, converted once for every query that uses them.

    Django converts each value of an ``__in`` list again for every query it is in: for a few
    hundred UUIDs in each of several queries, that costs more than running them. PostgreSQL
    gets them as one array (a list of hundreds of values is slower for it to plan and run);
    an empty list matches nothing."""
    keys = [hex_key(v) for v in values]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::uuid[])", ["{" + ",".join(keys) + "}"])  # noqa: S611
    # Only placeholders are formatted in.
    return RawSQL(", ".join(["%s"] * len(keys)) or "NULL", keys)  # noqa: S611


@contextmanager
def binary_cursor() -> Iterator[CursorWrapper]:
    """A cursor that PostgreSQL answers in its binary format (elsewhere, an ordinary one).

    Django's cursors ask for text, in which a ``bytea`` value comes as hex digits to decode:
    twice the bytes, and much of the time of reading a search's packed rows.
    Its parameters are bound by the server."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    # Wrapped as Django wraps its own, so that queries are logged and counted as usual.
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    with wrapper(raw, connection) as cursor:
        yield cursor
