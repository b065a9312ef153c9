"""Search page throughput against /healthz, under a loopback load test. Prints figures.

    .venv/bin/python bench/page_throughput.py            # 10,000 listings, throw-away SQLite
    DATABASE_URL=postgres://… BENCH_COUNT=100000 .venv/bin/python bench/page_throughput.py

Serves the application with gunicorn (two workers) on 127.0.0.1 and loads it with wrk
(Debian: ``apt-get install wrk``) for BENCH_SECONDS each: first /healthz, which touches
nothing, then the HTML search page for ZIP codes picked at random on every request: once
with the page cache off (every search worked out), once with it on (the default: visitors
without cookies share a page per search for ``DIRECTORY_PAGE_CACHE_SECONDS``).
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, django_setup, ensure_listings, production_env

COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
ZIPS = ["03301", "03101", "03431", "10001", "60601", "98101", "94110", "30301", "80202"]

WRK = shutil.which("wrk")
if not WRK:
    sys.exit("wrk is not installed: apt-get install wrk")
django_setup()
ensure_listings(COUNT)


# As deployed (DEBUG=0, static files collected), but answering plain HTTP on loopback, as
# behind a proxy.
DEPLOYED = production_env() | {
    "ALONGSIDE_LOG_LEVEL": "WARNING",
    "ALLOWED_HOSTS": "127.0.0.1",
    "ALONGSIDE_SSL_REDIRECT": "0",
    "STATIC_ROOT": tempfile.mkdtemp(prefix="alongside-static-"),
}
subprocess.run(  # noqa: S603
    [str(Path(sys.executable).with_name("alongside")), "collectstatic", "--noinput", "-v0"],
    env=DEPLOYED,
    check=True,
)


@contextlib.contextmanager
def serving(**env: str):
    """gunicorn with two workers on PORT, with extra environment settings."""
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "alongside.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=DEPLOYED | env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait()


def load(path: str, *extra: str) -> float:
    out = subprocess.run(  # noqa: S603
        [
            WRK,
            "-t2",
            "-c8",
            f"-d{SECONDS}s",
            "--timeout=10s",
            *extra,
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        sys.exit(f"errors answering {path}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


script = Path(tempfile.mkdtemp()) / "zips.lua"
script.write_text(
    "local zips = {" + ",".join(f'"{z}"' for z in ZIPS) + "}\n"
    "request = function()\n"
    '  return wrk.format("GET", "/find/?near=" .. zips[math.random(#zips)])\n'
    "end\n"
)
print(f"{os.environ['DATABASE_URL'].split(':')[0]}, {COUNT} listings, 2 workers, wrk -c8")
# Every search worked out afresh (no page cache), then searches shared for a minute.
for label, cache_seconds in (("worked out each time", "0"), ("shared page cache", "60")):
    with serving(DIRECTORY_PAGE_CACHE_SECONDS=cache_seconds):
        load("/healthz")  # warm both workers
        load("/find/", "-s", str(script))
        health = load("/healthz")
        page = load("/find/", "-s", str(script))
    print(
        f"  /find/?near=ZIP, {label:<22} {page:6.0f} requests/s against /healthz {health:6.0f}"
        f"   ({page / health:.0%})"
    )
