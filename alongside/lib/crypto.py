"""Encryption at rest for sensitive free text (notes, amendments, safety notes).

``FIELD_ENCRYPTION_KEY`` holds one or more Fernet keys separated by commas. The first key
encrypts; every key decrypts. To rotate: put a new key first, keep the old ones after it,
run ``alongside rotate_field_key``, then drop the old keys.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from alongside.lib.fernet_keys import development_key

__all__ = ["EncryptedTextField", "development_key", "fernet"]

# Fernet tokens are URL-safe base64 of a version byte 0x80: they all start like this.
TOKEN_PREFIX = "gAAAAA"


def configured_keys() -> list[str]:
    """The keys in ``FIELD_ENCRYPTION_KEY``, first one first.

    Under DEBUG=1 without a key, settings.py fills in ``development_key(SECRET_KEY)``.
    """
    raw = settings.FIELD_ENCRYPTION_KEY or ""
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set.")
    return keys


@cache
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), "
            "separated by commas."
        ) from exc


def fernet() -> MultiFernet:
    return _multi_fernet(tuple(configured_keys()))


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Never include the token or any text in the message: it would land in logs.
        raise ImproperlyConfigured(
            "An encrypted field could not be decrypted with any key in FIELD_ENCRYPTION_KEY "
            "(was a key removed before `alongside rotate_field_key` ran?)."
        ) from exc


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code only ever sees the plain text.

    An encrypted column cannot be searched or sorted in the database; keep anything that
    must be filtered on in a separate, non-sensitive column.
    """

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_lookup(self, lookup_name: str) -> Any:
        # Comparing ciphertexts is meaningless (each encryption differs); only null checks work.
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted columns, and those columns' field names."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) and f.model is model
        ]
        if names and not model._meta.proxy:
            found.append((model, names))
    return found


def check_field_encryption_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """System check: the configured keys parse as Fernet keys."""
    try:
        fernet()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="alongside.E010")]
    return []
