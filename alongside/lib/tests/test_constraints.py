import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from alongside.directory.models import Phone, Schedule
from alongside.lib.constraints import foreign_keys_checked_once


def _foreign_keys(*models):
    with connection.cursor() as cursor:
        return {
            (model._meta.db_table, name, tuple(c["columns"]), c["foreign_key"])
            for model in models
            for name, c in connection.introspection.get_constraints(
                cursor, model._meta.db_table
            ).items()
            if c["foreign_key"]
        }


def test_the_foreign_keys_come_back_as_they_were(db):
    before = _foreign_keys(Phone, Schedule)
    assert before, "these tables have foreign keys to keep"
    with transaction.atomic(), foreign_keys_checked_once([Phone, Schedule]) as dropped:
        if connection.vendor == "postgresql":
            assert sorted(dropped) == sorted(name for _t, name, _c, _fk in before)
            assert _foreign_keys(Phone, Schedule) == set()
        else:  # SQLite checks cheaply and keeps its foreign keys
            assert dropped == []
        Phone.objects.create(number="603-555-0142")
    assert _foreign_keys(Phone, Schedule) == before


def test_a_row_that_refers_to_nothing_fails_at_the_end_and_nothing_is_kept(db):
    before = _foreign_keys(Phone)
    orphan = uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        with foreign_keys_checked_once([Phone]):
            Phone.objects.create(service_id=uuid.uuid4(), number="603-555-0143", id=orphan)
        if connection.vendor == "sqlite":  # SQLite checks when the transaction commits
            connection.check_constraints(table_names=[Phone._meta.db_table])
    assert not Phone.objects.filter(id=orphan).exists()
    assert _foreign_keys(Phone) == before


def test_checks_deferred_before_the_block_do_not_stop_it(db):
    """A table with checks pending cannot be altered: they are run first."""
    first = Phone.objects.create(number="603-555-0144")  # a check pending on PostgreSQL
    with transaction.atomic(), foreign_keys_checked_once([Phone]):
        second = Phone.objects.create(number="603-555-0145")
    assert Phone.objects.filter(id__in=[first.id, second.id]).count() == 2
