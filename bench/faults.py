"""Fault checks that CI runs: ``kill -9`` at the worst moments. Exits 1 when one fails.

    .venv/bin/python bench/faults.py                      # throw-away SQLite
    DATABASE_URL=postgres://…/scratch .venv/bin/python bench/faults.py

1. The server (gunicorn, two workers, on loopback, a deployment's settings) takes a burst of
   API writes (participants created by several clients at once) and is killed with SIGKILL,
   master and workers together, in the middle. Every write it acknowledged (201) must be in
   the database with its audit event; the database must pass its integrity check; the audit
   chain must verify; the server must start again and take a write.
2. ``alongside import_hsds`` of a package that renames every listing is killed with SIGKILL
   at 30%, 60% and 90% of the time a whole import takes here. After each kill the directory
   must be exactly as before (no half import); then an import left to run must rename every
   listing.

Bounded: a few hundred writes and BENCH_FAULT_LISTINGS listings (400), all on 127.0.0.1.
"""

import atexit
import csv
import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from _setup import ROOT, production_env

LISTINGS = int(os.environ.get("BENCH_FAULT_LISTINGS", "400"))
WRITERS = 6
KILL_AFTER_WRITES = 60
RENAMED = " (renamed by the fault check)"

os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='alongside-faults-')}/faults.sqlite3"
)
# The server, the commands and this script must share the keys: the script checks the
# audit chain and reads what the server wrote.
KEYS = {
    name: value
    for name, value in production_env().items()
    if name in {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALONGSIDE_AUDIT_KEY"}
}
os.environ.update(KEYS)

from _setup import django_setup, ensure_listings  # noqa: E402

django_setup()
ensure_listings(LISTINGS)

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.db import connection  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from alongside.care.models import Participant  # noqa: E402
from alongside.core.models import AuditEvent, Organization  # noqa: E402
from alongside.core.roles import Role  # noqa: E402
from alongside.core.services import api_token_create, organization_create, user_create  # noqa: E402
from alongside.directory.models import Service  # noqa: E402

ALONGSIDE = str(Path(sys.executable).with_name("alongside"))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEPLOYED = (
    production_env()
    | KEYS
    | {
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ALONGSIDE_SSL_REDIRECT": "0",
    }
)
failures: list[str] = []


BEGAN = time.monotonic()


def check(condition: bool, what: str) -> None:
    print(f"{time.monotonic() - BEGAN:5.0f}s " + ("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


servers: list[subprocess.Popen] = []


@atexit.register
def _no_server_left() -> None:
    for server in servers:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


def start_server(port: int) -> subprocess.Popen:
    # Its own process group, so that one SIGKILL takes the master and both workers at once.
    server = subprocess.Popen(  # noqa: S603
        [
            GUNICORN,
            "alongside.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=DEPLOYED,
        start_new_session=True,
    )
    servers.append(server)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    sys.exit("the server did not become ready")


def create_participant(port: int, token: str, name: str) -> str | None:
    """POST one participant; its id when the server acknowledged it, else None."""
    body = (
        f'{{"preferred_name": "{name}", "focus": "mental_health", '
        '"enrolled_on": "2026-03-02", "agreement_how": "verbal"}'
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{port}/api/v1/participants",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status == 201:
                import json

                return str(json.loads(response.read())["id"])
    except (OSError, urllib.error.HTTPError):
        return None
    return None


def integrity_problems() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA integrity_check")
            result = [row[0] for row in cursor.fetchall()]
            cursor.execute("PRAGMA foreign_key_check")
            return [r for r in result if r != "ok"] + [str(r) for r in cursor.fetchall()]
        # PostgreSQL enforces its constraints itself; what a kill could leave is a transaction
        # still open on the server.
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%%'"
        )
        stuck = cursor.fetchone()[0]
        return [f"{stuck} transactions left open"] if stuck else []


def audit_verify() -> bool:
    # In this process: it has the server's keys.
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as exc:
        out.write(str(exc))
        return False
    finally:
        print("            " + out.getvalue().strip())
    return True


# --- 1. kill -9 of the server during a burst of writes -----------------------------------
print(f"== {connection.vendor}: kill -9 of the server during a burst of API writes")
with scopes_disabled():
    org = Organization.objects.filter(slug="faults").first() or organization_create(
        name="Fault Check (sample)", slug="faults", state="NH"
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="faults").first() or user_create(
        username="faults",
        email="faults@example.org",
        password="fault check password 1",
        organization=org,
        roles=[Role.PEER_SPECIALIST],
    )
    token = api_token_create(user=user, organization=org)

port = free_port()
server = start_server(port)
acknowledged: list[str] = []
unanswered = [0]
refused_before_kill = [0]
lock = threading.Lock()
stop = threading.Event()
killed = threading.Event()


def writer(number: int) -> None:
    sent = 0
    while not stop.is_set():
        sent += 1
        created = create_participant(port, token, f"Fault {number}-{sent} (sample)")
        if created:
            with lock:
                acknowledged.append(created)
        elif not killed.is_set():
            with lock:
                refused_before_kill[0] += 1
        else:
            with lock:
                unanswered[0] += 1
            return


threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
for thread in threads:
    thread.start()
deadline = time.monotonic() + 60
while len(acknowledged) < KILL_AFTER_WRITES and time.monotonic() < deadline:
    time.sleep(0.01)
killed.set()
os.killpg(server.pid, signal.SIGKILL)  # mid-burst: every writer has a request in flight
server.wait()
stop.set()
for thread in threads:
    thread.join()

with scopes_disabled():
    present = set(
        map(str, Participant.objects.filter(id__in=acknowledged).values_list("id", flat=True))
    )
    audited = set(
        AuditEvent.objects.filter(
            object_type="care.participant", object_id__in=acknowledged, action="create"
        ).values_list("object_id", flat=True)
    )
check(
    len(acknowledged) >= KILL_AFTER_WRITES and unanswered[0] >= 1,
    f"{len(acknowledged)} writes acknowledged, {unanswered[0]} cut off by the kill",
)
check(not refused_before_kill[0], f"{refused_before_kill[0]} writes refused before the kill")
check(present == set(acknowledged), "every acknowledged write is in the database")
check(audited == set(acknowledged), "every acknowledged write has its audit event")
problems = integrity_problems()
check(not problems, "integrity check: " + ("; ".join(problems) or "ok"))
check(audit_verify(), "the audit chain verifies")
server = start_server(port)
check(
    create_participant(port, token, "After the kill (sample)") is not None, "restarted, it writes"
)
os.killpg(server.pid, signal.SIGTERM)
server.wait()


# --- 2. kill -9 of an import -------------------------------------------------------------
def directory_state() -> str:
    digest = hashlib.sha256()
    for row in Service.objects.order_by("id").values_list("id", "name", "status"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


print(f"== {connection.vendor}: kill -9 of import_hsds")
package = Path(tempfile.mkdtemp(prefix="alongside-faults-hsds-")) / "package"
rows: list[dict[str, str]] = []


def rename_listings() -> None:
    """Make the package rename every listing, so that a half import would show."""
    services_csv = package / "services.csv"
    with services_csv.open(newline="", encoding="utf-8") as handle:
        rows.extend(csv.DictReader(handle))
    with services_csv.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(row | {"name": row["name"] + RENAMED} for row in rows)


def run_import(kill_after: float | None = None) -> tuple[int | None, float]:
    """Run the import; with ``kill_after``, SIGKILL it then if it still runs (code None)."""
    started = time.monotonic()
    importer = subprocess.Popen(  # noqa: S603
        [ALONGSIDE, "import_hsds", str(package)],
        env=DEPLOYED,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        importer.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        importer.kill()
        importer.wait()
        return None, time.monotonic() - started
    return importer.returncode, time.monotonic() - started


# How long a whole import takes here (of the package as exported: it changes nothing), so
# that the kills land early, midway and late in the real one.
call_command("export_hsds", str(package), format="csv", verbosity=0, stdout=io.StringIO())
_, whole = run_import()
rename_listings()
before = directory_state()
kills = 0
for fraction in (0.3, 0.6, 0.9):
    code, took = run_import(kill_after=whole * fraction)
    if code is not None:
        check(code == 0, f"the import finished before its kill at {took:.1f} s")
        break
    kills += 1
    connection.close()
    # A kill that lands after the commit but before the process exits leaves the import
    # whole, which is as good as untouched: only a part of it would be a fault.
    with scopes_disabled():
        whole_import = Service.objects.filter(name__endswith=RENAMED).count() == len(rows)
    unchanged = directory_state() == before
    state = "unchanged" if unchanged else "wholly imported" if whole_import else "half imported"
    check(unchanged or whole_import, f"killed after {took:.1f} s: the directory is {state}")
    check(not integrity_problems(), "integrity check after the killed import")
    if whole_import:
        break
if kills:
    code, took = run_import()
    check(code == 0, f"the import left to run finishes ({took:.1f} s)")
check(kills >= 1, f"{kills} imports killed while they ran")
with scopes_disabled():
    total = Service.objects.count()
    renamed = Service.objects.filter(name__endswith=RENAMED).count()
check(renamed == len(rows), f"the finished import renamed {renamed} of {len(rows)}")
check(total >= len(rows), f"{total} listings in all")

print("== faults: " + ("all held" if not failures else f"{len(failures)} failed"))
sys.exit(1 if failures else 0)
