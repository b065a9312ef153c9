"""A tabular data package as an import reads it: each table parsed and checked once.

An import reads every table twice (``importer``: check, then write). The first read of a
table parses and checks its CSV file and keeps the checked records in a spool file, a batch
of pickled records at a time; later reads take them from there. In a large package the
largest table (attributes, most often) is parsed by a helper process from the start, while
this one reads the others: the first pass then takes about as long as the other tables.

The spool folder is locked while its import runs. An import that was killed leaves its folder
behind, unlocked; the next import removes such folders before it starts.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from alongside.directory.hsds import mapping as m
from alongside.directory.hsds.checking import Rec
from alongside.directory.hsds.cleaning import canonical_uuid, clean_record
from alongside.directory.hsds.reading import (
    Problems,
    RawRecord,
    Where,
    csv_records,
    package_files,
)

# Records a spool file keeps per pickle: enough that pickle's own work per call is small.
SPOOL_BATCH = 2000
# A package with this many bytes of CSV has its largest table parsed by a helper process.
HELPER_MIN_BYTES = 20_000_000
SPOOL_PREFIX = "alongside-import-"
IN_USE = ".in-use"  # the lock file: held (flock) by the import as long as it runs


def _spool_folder() -> tuple[Path, IO[bytes]]:
    """A new spool folder, and its lock, already held."""
    folder = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIX))
    lock = (folder / f"{IN_USE}.new").open("wb")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    # Only a locked file is ever named IN_USE, so a cleaner never takes one being made.
    (folder / f"{IN_USE}.new").rename(folder / IN_USE)
    return folder, lock


def remove_abandoned_spools() -> list[Path]:
    """Remove the spool folders of imports that were killed; a running import's stay."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(SPOOL_PREFIX + "*"):
        try:
            handle = os.open(folder / IN_USE, os.O_RDWR)
        except OSError:
            continue  # not one of ours (or not ours to remove)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its import is still running
        else:
            shutil.rmtree(folder, ignore_errors=True)  # while we hold the lock
            removed.append(folder)
        finally:
            os.close(handle)
    return removed


class CsvPackage:
    """A data package folder; ``close`` removes its spool files (and stops its helper)."""

    def __init__(self, folder: Path, problems: Problems) -> None:
        self.folder = folder
        self.label = folder.name
        self.files = package_files(folder, problems)
        self._dir, self._lock = _spool_folder()
        self._spooled: set[str] = set()  # tables whose spool is complete
        self._helper: _Helper | None = None

    def start_helper(self) -> None:
        """In a large package, parse the largest table in a child process from now on."""
        sizes = {t: p.stat().st_size for t, p in self.files.items() if t in m.WRITE_ORDER}
        if not sizes or sum(sizes.values()) < HELPER_MIN_BYTES or not hasattr(os, "fork"):
            return
        table = max(sizes, key=lambda t: sizes[t])
        self._helper = _Helper.start(self.folder, self.files[table], table, self._spool(table))

    @property
    def helper_table(self) -> str | None:
        """The table a helper process is parsing, if any."""
        return self._helper.table if self._helper is not None else None

    def records(self, table: str, problems: Problems) -> Iterator[Rec]:
        """The table's checked records; problems (of the first read only) go to ``problems``."""
        helper = self._helper
        if helper is not None and helper.table == table:
            self._helper = None
            if helper.finish(problems):
                self._spooled.add(table)
        if table in self._spooled:
            yield from _unspool(self._where(table), self._spool(table))
            return
        path = self.files.get(table)
        if path is None:
            return
        with self._spool(table).open("wb") as out:
            yield from _checked(self.folder, path, table, problems, out)
        self._spooled.add(table)  # only reached when the table was read to its end

    def first_where(self, table: str, key: str) -> Where:
        for raw in csv_records(self.folder, self.files[table], table, Problems()):
            try:
                if canonical_uuid(str(raw.values.get("id", "")).strip()) == key:
                    return raw.where
            except ValueError:
                continue
        return Where(self.files[table].name)

    def close(self) -> None:
        if self._helper is not None:
            self._helper.stop()
            self._helper = None
        shutil.rmtree(self._dir, ignore_errors=True)
        self._lock.close()
        self._spooled.clear()

    def _spool(self, table: str) -> Path:
        return self._dir / f"{table}.spool"

    def _where(self, table: str) -> str:
        return self.files[table].relative_to(self.folder).as_posix()


def is_verification(rec: RawRecord) -> bool:
    """A metadata row that records a verification of a service: the only ones we keep."""
    values = {**rec.implied, **rec.values}
    return (
        values.get("resource_type") == "service"
        and values.get("last_action_type") == m.VERIFY_ACTION
        and values.get("field_name") == m.VERIFY_FIELD
    )


def _checked(
    folder: Path, path: Path, table: str, problems: Problems, out: IO[bytes]
) -> Iterator[Rec]:
    """The table's checked records, each also written to ``out`` (after it was handed on)."""
    batch: list[tuple[dict[str, Any], str]] = []
    for raw in csv_records(folder, path, table, problems):
        if table == "metadata" and not is_verification(raw):
            problems.ignored.add("metadata")
            continue
        values = clean_record(raw, problems)
        if values is None:
            continue
        yield Rec(values, raw.where)
        batch.append((values, raw.where.at))  # the first pass does not change values
        if len(batch) == SPOOL_BATCH:
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
            batch.clear()
    pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)


def _unspool(label: str, spool: Path) -> Iterator[Rec]:
    """The records of a spool file, in the order they were read."""
    with spool.open("rb") as handle:
        while True:
            try:
                batch = pickle.load(handle)  # noqa: S301 (written by this import, just now)
            except EOFError:
                return
            for values, at in batch:
                yield Rec(values, Where(label, at))


class _Helper:
    """A child process that parses one table into its spool and keeps its problems."""

    def __init__(self, table: str, pid: int, results: Path) -> None:
        self.table, self.pid, self.results = table, pid, results

    @classmethod
    def start(cls, folder: Path, path: Path, table: str, spool: Path) -> _Helper:
        results = spool.with_suffix(".problems")
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child; what it writes is tested)
            # The child never touches the database, and leaves by ``os._exit``: no exit
            # handler of the parent's (its database connection among them) runs twice.
            code = 1
            try:
                problems = Problems()
                with spool.open("wb") as out:
                    for _rec in _checked(folder, path, table, problems, out):
                        pass
                with results.open("wb") as out:
                    pickle.dump(problems, out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        return cls(table, pid, results)

    def finish(self, problems: Problems) -> bool:
        """Wait for the child, and add its problems to ``problems``; False if it failed (the
        table is then read here)."""
        _pid, status = os.waitpid(self.pid, 0)
        if status != 0 or not self.results.is_file():
            return False
        found: Problems = pickle.loads(self.results.read_bytes())  # noqa: S301 (our own)
        problems.errors += found.errors
        problems.warnings += found.warnings
        problems.ignored |= found.ignored
        return True

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
