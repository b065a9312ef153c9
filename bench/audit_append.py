"""How fast the audit trail appends and verifies. Prints figures; asserts nothing.

Run with `make bench` (uses a throw-away SQLite database in a temporary folder).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='alongside-bench-')}/bench.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from alongside.core.audit import Action, audit_chain_verify, audit_record  # noqa: E402

N = int(os.environ.get("BENCH_EVENTS", "2000"))

call_command("migrate", verbosity=0)
start = time.perf_counter()
for i in range(N):
    audit_record(action=Action.VIEW, object_type="bench", object_id=str(i))
appended = time.perf_counter() - start
start = time.perf_counter()
assert audit_chain_verify() is None
verified = time.perf_counter() - start
print(f"audit append: {N} events in {appended:.2f}s ({N / appended:.0f} events/s)")
print(f"audit verify: {N} events in {verified:.2f}s ({N / verified:.0f} events/s)")
