"""100 clients at once for 60 s, on the public search and on a staff page. Prints figures.

    .venv/bin/python bench/load.py                        # 10,000 listings, throw-away SQLite
    DATABASE_URL=postgres://…/scratch .venv/bin/python bench/load.py

gunicorn with two workers on 127.0.0.1, a deployment's settings (``DEBUG=0``, the page cache
as shipped), loaded with wrk (Debian: ``apt-get install wrk``): BENCH_CLIENTS connections
(100) for BENCH_SECONDS (60) on each page in turn:

- the public search, ``/find/?near=ZIP`` with a ZIP code picked at random on every request;
- a peer specialist's caseload dashboard (``/staff/care/``) with BENCH_CASELOAD participants
  (40), each request signed in as one of 100 sessions (a team on their phones and desks).

Prints requests, errors (refused, reset, timed out after 30 s, or any answer other than
2xx/3xx) and the p50/p95/max response times that wrk saw. Target: no errors.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, production_env

COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "100"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
CASELOAD = int(os.environ.get("BENCH_CASELOAD", "40"))
PORT = int(os.environ.get("BENCH_PORT", "8767"))
ZIPS = ["03301", "03101", "03431", "10001", "60601", "98101", "94110", "30301", "80202"]

WRK = shutil.which("wrk")
if not WRK:
    sys.exit("wrk is not installed: apt-get install wrk")
# The server and this script share the keys: the sessions made here must open there.
KEYS = {
    name: value
    for name, value in production_env().items()
    if name in {"SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALONGSIDE_AUDIT_KEY"}
}
os.environ.update(KEYS)
os.environ.setdefault("LOG_LEVEL", "WARNING")

from _setup import django_setup, ensure_listings  # noqa: E402

django_setup()
ensure_listings(COUNT)

import datetime  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from alongside.care import services as care  # noqa: E402
from alongside.care.models import Participant  # noqa: E402
from alongside.core.models import Organization  # noqa: E402
from alongside.core.roles import Role  # noqa: E402
from alongside.core.services import organization_create, user_create  # noqa: E402
from alongside.core.tenancy import organization_scope  # noqa: E402

with scopes_disabled():
    org = Organization.objects.filter(slug="load").first() or organization_create(
        name="Load Test Peer Support (sample)", slug="load", state="NH"
    )
    specialist = get_user_model().objects.filter(username="load").first() or user_create(
        username="load",
        email="load@example.org",
        password="load test password 1",
        organization=org,
        roles=[Role.PEER_SPECIALIST],
    )
with organization_scope(org):
    for number in range(Participant.objects.count(), CASELOAD):
        care.participant_create(
            organization=org,
            actor=specialist,
            data={"preferred_name": f"Sample Person {number}", "focus": "mental_health"},
            specialists=[specialist],
            enrolled_on=datetime.date(2026, 3, 2),
            agreement_how="verbal",
        )
device = TOTPDevice.objects.filter(user=specialist).first() or TOTPDevice.objects.create(
    user=specialist, name="load", confirmed=True
)


def signed_in_cookie() -> str:
    client = Client()
    client.force_login(specialist, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"sessionid={session.session_key}"


cookies = [signed_in_cookie() for _ in range(100)]

DEPLOYED = (
    production_env()
    | KEYS
    | {
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1",
        "ALONGSIDE_SSL_REDIRECT": "0",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="alongside-static-"),
    }
)
subprocess.run(  # noqa: S603
    [str(Path(sys.executable).with_name("alongside")), "collectstatic", "--noinput", "-v0"],
    env=DEPLOYED,
    check=True,
)

folder = Path(tempfile.mkdtemp(prefix="alongside-load-"))
REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %.1f %.1f %.1f\\n", summary.requests,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency.max / 1000))
end
"""
search = folder / "search.lua"
search.write_text(
    "local zips = {" + ",".join(f'"{z}"' for z in ZIPS) + "}\n"
    "request = function()\n"
    '  return wrk.format("GET", "/find/?near=" .. zips[math.random(#zips)])\n'
    "end\n" + REPORT
)
staff = folder / "staff.lua"
staff.write_text(
    "local cookies = {" + ",".join(f'"{c}"' for c in cookies) + "}\n"
    "request = function()\n"
    '  return wrk.format("GET", "/staff/care/", {Cookie = cookies[math.random(#cookies)]})\n'
    "end\n" + REPORT
)


def load(script: Path) -> str:
    out = subprocess.run(  # noqa: S603
        [
            WRK,
            "-t2",
            f"-c{CLIENTS}",
            f"-d{SECONDS}s",
            "--timeout=30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}/",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = re.search(r"RESULT (.*)", out).group(1).split()  # type: ignore[union-attr]
    requests, connect, read, write, status, timeout = map(int, fields[:6])
    p50, p95, worst = map(float, fields[6:])
    errors = connect + read + write + status + timeout
    return (
        f"{requests:7d} requests, {errors} errors ({errors / max(requests, 1):.2%}: "
        f"{connect} refused, {read + write} reset, {status} bad status, {timeout} timed out), "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms"
    )


server = subprocess.Popen(  # noqa: S603
    [
        str(Path(sys.executable).with_name("gunicorn")),
        "alongside.wsgi:application",
        "--workers=2",
        f"--bind=127.0.0.1:{PORT}",
        "--log-level=warning",
    ],
    cwd=ROOT,
    env=DEPLOYED,
    start_new_session=True,
)
try:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=2)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    page = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{PORT}/staff/care/", headers={"Cookie": cookies[0]}
    )
    with urllib.request.urlopen(page, timeout=30) as response:  # noqa: S310
        if response.url.rstrip("/") != page.full_url.rstrip("/"):
            sys.exit(f"the staff page sent the session elsewhere: {response.url}")
    database = os.environ["DATABASE_URL"].split(":")[0]
    print(f"{database}, {COUNT} listings, gunicorn 2 workers, wrk -c{CLIENTS} for {SECONDS} s")
    print(f"  public search /find/?near=ZIP:  {load(search)}")
    print(f"  staff caseload /staff/care/:    {load(staff)}")
finally:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait()
