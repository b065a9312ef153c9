"""Reading many rows straight from the database cursor.

Django converts every value it reads (a UUID column becomes a ``uuid.UUID``, a date a
``date``); over thousands of rows that costs more than the query. ``raw_rows`` runs a
``values_list`` queryset and hands back what the driver gives: on SQLite UUIDs as 32 hex
digits and dates and times as ISO text, on PostgreSQL ``uuid.UUID``, ``date`` and ``time``.
``hex_key`` makes one key of a UUID either way.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def raw_rows(values: QuerySet[Any]) -> list[tuple]:
    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:  # an empty ``__in`` list
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def hex_key(value: Any) -> str:
    """A UUID as 32 hex digits, from a ``uuid.UUID`` or the text of one."""
    if isinstance(value, uuid.UUID):
        return value.hex
    return value if len(value) == 32 else uuid.UUID(value).hex
