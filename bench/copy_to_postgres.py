"""Copy a benchmark's SQLite database into an empty PostgreSQL one. Prints what it copied.

    BENCH_SOURCE=var/bench-1m.sqlite3 \
    DATABASE_URL=postgres://alongside:alongside@127.0.0.1:5432/bench1m \
    .venv/bin/python bench/copy_to_postgres.py

Generating a million synthetic listings straight into PostgreSQL is slow; generating them
into SQLite (``directory_search.py`` with ``DATABASE_URL=sqlite:///var/bench-1m.sqlite3``) and
copying them over with COPY is much quicker. Everything the search reads is copied:
organizations, services, places and their addresses, areas, hours, search rows, buckets and
full-text documents (PostgreSQL computes their ``tsvector``). The HSDS attributes (eight per
listing) are left out: the search reads its codes from the search rows, and a listing page of
this copy shows no kinds or formats.
"""

import os
import sqlite3
import time

from _setup import django_setup

django_setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

SOURCE = os.environ["BENCH_SOURCE"]
TABLES = [
    ("directory", "Organization"),
    ("directory", "Service"),
    ("directory", "Location"),
    ("directory", "Address"),
    ("directory", "ServiceAtLocation"),
    ("directory", "ServiceArea"),
    ("directory", "Schedule"),
    ("directory", "Taxonomy"),
    ("directory", "TaxonomyTerm"),
    ("directory", "SearchEntry"),
    ("directory", "SearchBucket"),
    ("core", "SearchDocument"),
]

assert connection.vendor == "postgresql", "point DATABASE_URL at an empty PostgreSQL database"  # noqa: S101
call_command("migrate", verbosity=0)
source = sqlite3.connect(SOURCE)
for app, name in TABLES:
    model = apps.get_model(app, name)
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.generated]
    boolean = {
        i
        for i, f in enumerate(model._meta.concrete_fields)
        if f.get_internal_type() == "BooleanField"
    }
    start = time.perf_counter()
    rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            if boolean:
                row = tuple(
                    bool(v) if i in boolean and v is not None else v for i, v in enumerate(row)
                )
            copy.write_row(row)
            count += 1
    print(f"{table:<32} {count:>9} rows in {time.perf_counter() - start:5.0f} s")
with connection.cursor() as cursor:
    for app, name in TABLES:
        model = apps.get_model(app, name)
        table = model._meta.db_table
        cursor.execute(f"ANALYZE {table}")
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
            # Ids were copied as they were: move the sequence past them.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"  # noqa: S608
            )
