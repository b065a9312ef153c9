import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from alongside.lib.crypto import (
    check_field_encryption_key,
    configured_keys,
    decrypt_text,
    development_key,
    encrypt_text,
)

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def test_round_trip_never_shows_the_plain_text(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    token = encrypt_text("Talked about the move to Keene")
    assert "Keene" not in token
    assert decrypt_text(token) == "Talked about the move to Keene"


def test_first_key_encrypts_and_every_key_decrypts(settings):
    settings.FIELD_ENCRYPTION_KEY = OLD
    old_token = encrypt_text("before rotation")
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    assert decrypt_text(old_token) == "before rotation"
    new_token = encrypt_text("after rotation")
    settings.FIELD_ENCRYPTION_KEY = NEW
    assert decrypt_text(new_token) == "after rotation"
    with pytest.raises(ImproperlyConfigured, match="rotate_field_key"):
        decrypt_text(old_token)


@pytest.mark.skipif("FIELD_ENCRYPTION_KEY" in os.environ, reason="a key is configured")
def test_debug_without_a_key_uses_a_key_derived_from_the_secret(settings):
    assert configured_keys() == [development_key(settings.SECRET_KEY)]
    assert decrypt_text(encrypt_text("x")) == "x"


def test_no_key_at_all_refuses(settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY is not set"):
        configured_keys()


def test_system_check_reports_a_malformed_key(settings):
    settings.FIELD_ENCRYPTION_KEY = "not-a-fernet-key"
    [error] = check_field_encryption_key()
    assert error.id == "alongside.E010"
    settings.FIELD_ENCRYPTION_KEY = OLD
    assert check_field_encryption_key() == []


def test_production_start_without_field_key_refuses_with_clear_message():
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEY", "ALONGSIDE_AUDIT_KEY"}
    }
    env = {**clean, "DEBUG": "0", "SECRET_KEY": "x" * 60, "ALONGSIDE_AUDIT_KEY": "y" * 40}
    result = subprocess.run(
        [sys.executable, "-m", "alongside", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY is not set" in result.stderr
