"""Loading tables without a foreign key check per row (PostgreSQL).

Django makes every foreign key ``DEFERRABLE INITIALLY DEFERRED`` on PostgreSQL: each row
written queues a check that runs at commit, one index lookup at a time, which for a million
rows is a large share of an import. ``foreign_keys_checked_once`` drops the foreign keys of
tables about to be loaded and adds them back, as they were, at the end: adding a foreign key
checks every row at once, in one query. An orphan row still fails the transaction, at the
end instead of at commit.

Meant for tables that are empty when it starts (the rows already there are checked again at
the end), and only done when the connection's role owns them (``ALTER TABLE`` needs it).
Dropping a constraint locks the table until the transaction ends: other sessions wait to
read it, rather than seeing it empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

_OUTBOUND = """
    SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    WHERE c.contype = 'f' AND t.relname = ANY(%s) AND pg_table_is_visible(t.oid)
      AND pg_has_role(t.relowner, 'USAGE')
    ORDER BY 1, 2
"""


@contextmanager
def foreign_keys_checked_once(tables: Iterable[type[models.Model]]) -> Iterator[list[str]]:
    """Inside ``transaction.atomic``: the foreign keys of ``tables`` (models) checked once,
    at the end, rather than a row at a time. Yields the constraints it dropped (none on
    SQLite, whose checks are cheap). On an error the transaction's rollback restores them."""
    names = [model._meta.db_table for model in tables]
    if connection.vendor != "postgresql" or not names:
        yield []
        return
    assert connection.in_atomic_block, "the constraints must come back in the same transaction"
    with connection.cursor() as cursor:
        _check_pending(cursor)
        cursor.execute(_OUTBOUND, [names])
        dropped = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _ in dropped:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield [name for _, name, _ in dropped]
    with connection.cursor() as cursor:
        _check_pending(cursor)
        for table, name, definition in dropped:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _check_pending(cursor: Any) -> None:
    """Run the checks deferred so far: a table with checks pending cannot be altered. (Then
    deferred again, as Django makes every foreign key.)"""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
