"""Time and peak memory of ``alongside import_hsds`` for BENCH_COUNT listings. Prints figures.

    .venv/bin/python bench/hsds_import.py                # 10,000 listings
    BENCH_COUNT=100000 .venv/bin/python bench/hsds_import.py

Synthetic listings are exported as an HSDS data package (CSV), then imported into an empty
database (BENCH_TARGET_URL, default a throw-away SQLite file) by the command in a child
process with a deployment's settings (``DEBUG=0``). Its peak resident memory is read from
the kernel: the process's own high-water mark (``VmHWM``), polled while it runs, and that of
the helper process it forks to parse its largest table. (``getrusage`` of the children would
count this process's memory too: a child starts as a copy of its parent, which holds the
generated listings.)
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, django_setup, ensure_listings, production_env

COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
django_setup()
ensure_listings(COUNT)

from django.core.management import call_command  # noqa: E402

package = Path(tempfile.mkdtemp(prefix="alongside-hsds-")) / "package"
start = time.perf_counter()
call_command("export_hsds", str(package), format="csv", verbosity=0)
print(f"exported {COUNT} listings in {time.perf_counter() - start:.0f} s")
os.sync()  # the package on disk before the import is timed, not written out while it runs

target = os.environ.get(
    "BENCH_TARGET_URL", f"sqlite:///{tempfile.mkdtemp(prefix='alongside-import-')}/t.sqlite3"
)
alongside = str(Path(sys.executable).with_name("alongside"))
env = production_env() | {"DATABASE_URL": target}
subprocess.run([alongside, "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603


def high_water_kib(pid: int) -> int:
    """The process's peak resident memory since it started its program (Linux), in KiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0
    )


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def import_peak() -> tuple[float, int, int]:
    """Run the import; (seconds, peak KiB, the helper's peak KiB; 0 without /proc)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603
            [alongside, "import_hsds", str(package)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        peak = helper = 0
        while child.poll() is None:
            peak = max(peak, high_water_kib(child.pid))
            helper = max([helper, *(high_water_kib(c) for c in children(child.pid))])
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
        if child.returncode:
            errors.seek(0)
            sys.exit(f"import_hsds failed:\n{errors.read().decode()}")
    return elapsed, peak, helper


elapsed, peak, helper = import_peak()
if not peak:  # no /proc: what the kernel says of all children (an upper bound)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{target.split(':')[0]}: imported {COUNT} listings in {elapsed:.0f} s")
print(f"  peak memory of the import: {peak / 1024:.0f} MB")
if helper:
    print(f"  peak memory of its parsing helper: {helper / 1024:.0f} MB (shares pages with it)")
