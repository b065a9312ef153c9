"""Key derivation for field encryption, importable from settings (no Django models here)."""

from __future__ import annotations

import base64
import hashlib


def development_key(secret_key: str) -> str:
    """A Fernet key derived from ``SECRET_KEY``, used only under DEBUG=1 without a key."""
    digest = hashlib.sha256(b"alongside-field-encryption:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()
