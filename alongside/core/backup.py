"""Backups: the database, the uploaded documents and a manifest, in one encrypted file.

What a backup holds:

- the database, as of one moment: SQLite through its online backup API (a consistent copy
  while the application runs); PostgreSQL as a ``pg_dump`` custom-format archive taken in an
  exported snapshot, so the manifest's counts and audit head are of that same moment;
- every file under ``MEDIA_ROOT`` (uploaded documents, already encrypted by the app);
- ``manifest.json``: when, which database, each table's row count, the audit chain's head
  and the audit key's fingerprint, and a SHA-256 of every other member.

Never the keys: ``SECRET_KEY``, ``ALONGSIDE_AUDIT_KEY`` and ``FIELD_ENCRYPTION_KEY`` live in
the environment or the secret store, and a backup is useless without the last two.

The file is a tar stream, gzip-compressed, cut into 1 MiB chunks each sealed with Fernet
under the first ``FIELD_ENCRYPTION_KEY`` (``cryptography``, already a dependency: no GnuPG
binary or keyring, which django-dbbackup's encryption needs). Each chunk carries its number
and whether it is the last, inside the seal, so chunks cannot be reordered, dropped or cut
off the end unnoticed.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from alongside.core.audit import GENESIS, audit_chain_verify, audit_head, key_fingerprint
from alongside.lib.crypto import fernet

MAGIC = b"ALONGSIDE-BACKUP 1\n"
CHUNK = 1024 * 1024
_FRAME = struct.Struct(">I")
_CHUNK_HEADER = struct.Struct(">Q?")
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
KEYS_NOTE = (
    "Not in this backup: SECRET_KEY, ALONGSIDE_AUDIT_KEY and FIELD_ENCRYPTION_KEY. They live "
    "in the environment or the secret store of the deployment (docs/deploying.md)."
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- The sealed stream -----------------------------------------------------------------------


class _SealingWriter(io.RawIOBase):
    """A write-only stream that seals what it is given, a chunk at a time, into ``out``."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._buffer = bytearray()
        self._index = 0
        out.write(MAGIC)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        while len(self._buffer) >= CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, data: bytes, *, last: bool) -> None:
        token = fernet().encrypt(_CHUNK_HEADER.pack(self._index, last) + data)
        self._out.write(_FRAME.pack(len(token)) + token)
        self._index += 1


def _opened_chunks(source: BinaryIO) -> Iterator[bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("This is not an Alongside backup file.")
    index = 0
    while True:
        size_bytes = source.read(_FRAME.size)
        if len(size_bytes) < _FRAME.size:
            raise BackupError("The backup file is cut short: its last part is missing.")
        token = source.read(_FRAME.unpack(size_bytes)[0])
        try:
            plain = fernet().decrypt(token)
        except InvalidToken as exc:
            raise BackupError(
                "The backup cannot be decrypted: FIELD_ENCRYPTION_KEY does not hold the key it "
                "was made with (or the file was damaged)."
            ) from exc
        number, last = _CHUNK_HEADER.unpack_from(plain)
        if number != index:
            raise BackupError("The backup file's parts are out of order.")
        yield plain[_CHUNK_HEADER.size :]
        if last:
            if source.read(1):
                raise BackupError("The backup file has data after its end.")
            return
        index += 1


class _OpeningReader(io.RawIOBase):
    def __init__(self, source: BinaryIO) -> None:
        self._chunks = _opened_chunks(source)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(target), len(self._pending))
        target[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


# --- Making a backup -------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path | None:
    root = settings.MEDIA_ROOT
    return Path(root) if root else None


def _pg_env() -> dict[str, str]:
    """libpq's variables for the configured database, so no password shows in ``ps``."""
    db = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", db.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _sqlite_counts(path: Path) -> tuple[dict[str, int], dict[str, Any], dict[str, str]]:
    copy = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        counts = {name: _count(copy.execute, f'"{name}"') for name in names}
        return counts, _head_from(copy.execute), _migrations_from(copy.execute)
    finally:
        copy.close()


def _count(execute: Any, quoted_table: str) -> int:
    # Table names come from the database's own catalogue, quoted, never from input.
    return int(execute(f"SELECT count(*) FROM {quoted_table}").fetchone()[0])  # noqa: S608


def _head_from(execute: Any) -> dict[str, Any]:
    last = execute("SELECT id, hash FROM core_auditevent ORDER BY id DESC LIMIT 1").fetchone()
    count = execute("SELECT count(*) FROM core_auditevent").fetchone()[0]
    return {
        "count": count,
        "last_id": last[0] if last else None,
        "last_hash": last[1] if last else GENESIS,
        "key": key_fingerprint(),
    }


def _migrations_from(execute: Any) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in execute("SELECT app, name FROM django_migrations ORDER BY app, name"):
        latest[app] = max(latest.get(app, ""), name)
    return latest


class _CursorExecute:
    """A DB-API cursor that answers ``execute(sql).fetchone()`` like sqlite3 does."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def __call__(self, sql: str) -> Any:
        self._cursor.execute(sql)
        return self._cursor


def _database_copy(workdir: Path) -> tuple[Path, dict[str, Any]]:
    """Copy the database into ``workdir``; return the copy and its manifest entry."""
    if connection.in_atomic_block:
        # SQLite's backup of a connection with its own write pending would wait forever.
        raise BackupError("A backup is taken outside any transaction.")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = workdir / SQLITE_MEMBER
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        counts, head, migrations = _sqlite_counts(target)
    elif connection.vendor == "postgresql":
        target = workdir / PG_MEMBER
        with transaction.atomic(), connection.cursor() as cursor:
            # One snapshot for the dump and for the manifest's figures.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            execute = _CursorExecute(cursor)
            names = connection.introspection.table_names(cursor)
            quote = connection.ops.quote_name
            counts = {name: _count(execute, quote(name)) for name in sorted(names)}
            head, migrations = _head_from(execute), _migrations_from(execute)
            subprocess.run(  # noqa: S603 (fixed arguments, no shell)
                [_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", "-f", str(target)],
                env=_pg_env(),
                check=True,
                capture_output=True,
            )
    else:
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {connection.vendor}.")
    entry = {
        "vendor": connection.vendor,
        "file": target.name,
        "sha256": _sha256(target),
        "tables": counts,
        "migrations": migrations,
    }
    return target, {"database": entry, "audit": head}


def _version() -> str:
    try:
        return metadata.version("alongside")
    except metadata.PackageNotFoundError:
        return "unknown"


def backup_create(destination: Path) -> dict[str, Any]:
    """Write a backup file to ``destination`` (a new file); return its manifest."""
    if destination.exists():
        raise BackupError(f"{destination} exists already; a backup never overwrites a file.")
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="alongside-backup-") as work:
        workdir = Path(work)
        try:
            database, entry = _database_copy(workdir)
        except subprocess.CalledProcessError as exc:
            raise BackupError(f"pg_dump failed: {exc.stderr.decode(errors='replace')}") from exc
        manifest: dict[str, Any] = {
            "format": 1,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "alongside_version": _version(),
            **entry,
            "media": None,
            "keys": KEYS_NOTE,
        }
        try:
            # Readable by its owner only, though encrypted: it is a copy of every record.
            with os.fdopen(
                os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
            ) as out:
                sealer = _SealingWriter(out)
                compressed = gzip.GzipFile(fileobj=sealer, mode="wb", compresslevel=6)
                with tarfile.open(fileobj=compressed, mode="w|") as archive:
                    archive.add(database, arcname=database.name)
                    manifest["media"] = _add_media(archive)
                    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(data)
                    archive.addfile(info, io.BytesIO(data))
                compressed.close()
                sealer.finish()
                out.flush()
                os.fsync(out.fileno())
            partial.rename(destination)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _add_media(archive: tarfile.TarFile) -> dict[str, Any] | None:
    root = _media_root()
    if root is None or not root.is_dir():
        return None
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(root).as_posix()
        files[relative] = _sha256(path)
        archive.add(path, arcname=f"media/{relative}", recursive=False)
    return {"files": files}


# --- Restoring -------------------------------------------------------------------------------


@dataclass
class Unpacked:
    """A backup opened into a private folder, every member checked against the manifest."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def database(self) -> Path:
        return self.folder / self.manifest["database"]["file"]

    @property
    def media(self) -> Path:
        return self.folder / "media"


@contextlib.contextmanager
def backup_open(source: Path) -> Iterator[Unpacked]:
    """Decrypt and unpack ``source`` into a private temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="alongside-restore-") as work, source.open("rb") as raw:
        folder = Path(work)
        reader = io.BufferedReader(_OpeningReader(raw), buffer_size=CHUNK)
        try:
            with (
                gzip.GzipFile(fileobj=reader, mode="rb") as plain,
                tarfile.open(fileobj=plain, mode="r|") as archive,
            ):
                archive.extractall(folder, filter="data")
        except (OSError, EOFError, tarfile.TarError) as exc:
            raise BackupError(f"The backup file is damaged: {exc}") from exc
        manifest = _read_manifest(folder)
        unpacked = Unpacked(folder, manifest)
        _check_members(unpacked)
        yield unpacked


def _read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("The backup has no readable manifest.") from exc
    if manifest.get("format") != 1:
        raise BackupError("This backup was made by a newer Alongside: restore it with that one.")
    return manifest


def _check_members(unpacked: Unpacked) -> None:
    if _sha256(unpacked.database) != unpacked.manifest["database"]["sha256"]:
        raise BackupError("The database in the backup does not match its manifest.")
    media = unpacked.manifest.get("media") or {"files": {}}
    for relative, digest in media["files"].items():
        path = unpacked.media / relative
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"The document {relative} in the backup does not match.")


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if "django_migrations" not in tables:
            return True
        cursor.execute("SELECT count(*) FROM django_migrations")
        return cursor.fetchone()[0] == 0


def _media_is_empty(root: Path) -> bool:
    return not root.exists() or not any(root.iterdir())


def restore_preflight(unpacked: Unpacked, *, replace: bool) -> None:
    """Refuse, before anything changes, a restore that cannot or should not go ahead."""
    manifest = unpacked.manifest
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup is of a {vendor} database; the configured one is {connection.vendor}."
        )
    if manifest["audit"]["key"] != key_fingerprint():
        raise BackupError(
            "Wrong key: the backup's audit trail was signed with the audit key whose fingerprint "
            f"is {manifest['audit']['key']}, but ALONGSIDE_AUDIT_KEY's is {key_fingerprint()}. "
            "Set the key the backup was made with."
        )
    if not replace and not _database_is_empty():
        raise BackupError(
            "The configured database is not empty. Restore into a new, empty database, or "
            "pass --replace to overwrite this one."
        )
    files = (manifest.get("media") or {}).get("files") or {}
    root = _media_root()
    if files and root is None:
        raise BackupError("The backup holds documents but MEDIA_ROOT is not set.")
    if root is not None and files and not replace and not _media_is_empty(root):
        raise BackupError(
            f"{root} is not empty. Restore into an empty MEDIA_ROOT, or pass --replace "
            "(the current folder is kept beside it)."
        )


def restore_database(unpacked: Unpacked, *, replace: bool) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(unpacked.database)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    arguments = [_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error"]
    arguments += ["--single-transaction", "-d", connection.settings_dict["NAME"]]
    if replace:
        arguments += ["--clean", "--if-exists"]
    connection.close()
    try:
        subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [*arguments, str(unpacked.database)], env=_pg_env(), check=True, capture_output=True
        )
    except subprocess.CalledProcessError as exc:
        raise BackupError(
            f"pg_restore failed; nothing was changed: {exc.stderr.decode(errors='replace')}"
        ) from exc


def restore_media(unpacked: Unpacked) -> Path | None:
    """Put the backup's documents in MEDIA_ROOT; return where the previous folder was kept."""
    root = _media_root()
    if root is None or not (unpacked.manifest.get("media") or {}).get("files"):
        return None
    kept = None
    if root.exists():
        if _media_is_empty(root):
            root.rmdir()
        else:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            kept = root.with_name(f"{root.name}.before-restore-{stamp}")
            root.rename(kept)
    root.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(unpacked.media), str(root))
    return kept


def restore_check(unpacked: Unpacked) -> list[str]:
    """After a restore: what differs from the manifest (empty when everything matches)."""
    problems = []
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        existing = set(connection.introspection.table_names(cursor))
        for table, expected in unpacked.manifest["database"]["tables"].items():
            if table not in existing:
                problems.append(f"table {table} is missing")
                continue
            found = _count(_CursorExecute(cursor), quote(table))
            if found != expected:
                problems.append(f"table {table} has {found} rows, the backup {expected}")
    problem = audit_chain_verify()
    if problem is not None:
        problems.append(f"the audit trail does not verify at event {problem.event_id}")
    head, expected_head = audit_head(), unpacked.manifest["audit"]
    if (head.count, head.last_hash) != (expected_head["count"], expected_head["last_hash"]):
        problems.append("the audit trail's head is not the one in the manifest")
    return problems


def describe(manifest: dict[str, Any]) -> str:
    database, audit = manifest["database"], manifest["audit"]
    files = len((manifest.get("media") or {}).get("files") or {})
    return (
        f"Backup of {manifest['created_at']} (Alongside {manifest['alongside_version']}): "
        f"{database['vendor']} database, {len(database['tables'])} tables, "
        f"{sum(database['tables'].values())} rows; {files} documents; audit trail of "
        f"{audit['count']} events ending {audit['last_hash'][:12]}."
    )
