"""Private documents (training certificates, later consent scans): the one way to keep a file.

Rules:
- Only PDF, PNG and JPEG are kept, judged by the file's first bytes, never its name or the
  browser's word: an HTML page renamed ``.pdf`` is refused.
- A file larger than ``ALONGSIDE_UPLOAD_MAX_BYTES`` (10 MB unless set) is refused.
- Files live under ``MEDIA_ROOT`` (outside the code, ``var/media`` by default), never under a
  URL the web server hands out, and are encrypted with the field key (``lib.crypto``): a copy
  of the disk is not a copy of the documents.
- They go back out only through ``document_response``: an attachment, never cached, never
  sniffed into something the browser would run. The view that calls it audits the read.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from alongside.lib.crypto import fernet

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# Content type -> (the bytes such a file starts with, the extension it is served with).
ALLOWED_TYPES = {
    "application/pdf": (b"%PDF-", "pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
}
_KEY = re.compile(r"^[a-z0-9_-]{1,40}/[0-9a-f]{32}$")
_FOLDER = re.compile(r"^[a-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class StoredDocument:
    """What a record keeps about a stored file: where it is and what it is."""

    key: str
    content_type: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "ALONGSIDE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def content_type_of(head: bytes) -> str | None:
    """The allowed type whose signature ``head`` starts with, else None."""
    for content_type, (magic, _ext) in ALLOWED_TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


def _read_upload(upload: Any, limit: int) -> bytes:
    if isinstance(upload, bytes):
        return upload
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        # Refuse before reading a file that is already known to be too big.
        return b"\0" * (limit + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if hasattr(upload, "chunks"):
        data = bytearray()
        for chunk in upload.chunks():
            data += chunk
            if len(data) > limit:
                break
        return bytes(data)
    return bytes(upload.read(limit + 1))


def _path(key: str) -> Path:
    if not _KEY.match(key or ""):
        raise ValueError("Not a document key.")
    return Path(settings.MEDIA_ROOT) / key


def document_check(upload: Any, *, field: str = "file") -> tuple[bytes, str]:
    """The file's bytes and type, or a ``ValidationError`` on ``field`` saying what is wrong."""
    limit = max_bytes()
    data = _read_upload(upload, limit)
    if len(data) > limit:
        raise ValidationError(
            {
                field: _("The file is larger than %(mb)s MB. Scan it at a lower resolution.")
                % {"mb": round(limit / (1024 * 1024), 1)}
            },
            code="too_large",
        )
    if not data:
        raise ValidationError({field: _("The file is empty.")}, code="empty")
    content_type = content_type_of(data[:16])
    if content_type is None:
        raise ValidationError(
            {field: _("Upload a PDF, PNG or JPEG file. This file is none of those.")},
            code="file_type",
        )
    return data, content_type


def document_store(upload: Any, *, folder: str, field: str = "file") -> StoredDocument:
    """Check ``upload`` (a Django upload, a file or bytes), encrypt it and keep it.

    Raises ``ValidationError`` on ``field`` for a file of the wrong type or size; nothing is
    written then.
    """
    if not _FOLDER.match(folder):
        raise ValueError("A document folder is a short lower-case slug.")
    data, content_type = document_check(upload, field=field)
    key = f"{folder}/{uuid.uuid4().hex}"
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(fernet().encrypt(data))
    temporary.replace(path)
    return StoredDocument(key=key, content_type=content_type, size=len(data))


def document_read(key: str) -> bytes:
    """The plain bytes of a stored document."""
    return fernet().decrypt(_path(key).read_bytes())


def document_delete(key: str) -> None:
    _path(key).unlink(missing_ok=True)


def _safe_filename(name: str, content_type: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name or "document").stem).strip("-.")
    return f"{stem[:60] or 'document'}.{ALLOWED_TYPES[content_type][1]}"


def document_response(key: str, *, filename: str = "document") -> HttpResponse:
    """A stored document as a download the browser saves, never shows, sniffs or caches.

    The type is read again from the bytes, so a record that says otherwise cannot change how
    the file is served.
    """
    data = document_read(key)
    content_type = content_type_of(data[:16]) or "application/octet-stream"
    response = HttpResponse(data, content_type=content_type)
    name = _safe_filename(filename, content_type) if content_type in ALLOWED_TYPES else "document"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(data))
    return response
