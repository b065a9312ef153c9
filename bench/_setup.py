"""Shared set-up for the benchmarks: Django on a scratch database, and synthetic listings.

Each benchmark uses ``DATABASE_URL`` when it is set (point it at a scratch database: the
script migrates it and adds listings), else a throw-away SQLite file.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='alongside-bench-')}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()


def production_env() -> dict[str, str]:
    """Settings for a child process that runs as a deployment would: ``DEBUG=0``, with
    throw-away keys. (``DEBUG=1`` keeps every query's text, which a long import pays for in
    memory.)"""
    import secrets

    from cryptography.fernet import Fernet

    return os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALONGSIDE_AUDIT_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "localhost",
    }


def ensure_listings(count: int) -> None:
    """Migrate, then add synthetic listings until there are ``count``."""
    from django.core.management import call_command

    from alongside.directory.models import Service
    from alongside.directory.synthetic import generate_directory

    call_command("migrate", verbosity=0)
    missing = count - Service.objects.count()
    if missing > 0:
        start = time.perf_counter()
        generate_directory(missing)
        print(f"generated {missing} listings in {time.perf_counter() - start:.0f} s")
