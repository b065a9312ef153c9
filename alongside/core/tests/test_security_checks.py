"""The configuration checks that stop an unsafe production start (``alongside check``)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from alongside.core.checks import secrets_long_enough, site_url_set, two_factor_in_production

ROOT = Path(__file__).resolve().parents[3]


def _ids(messages):
    return [m.id for m in messages]


def test_two_factor_off_in_production_is_an_error(settings):
    settings.DEBUG, settings.ALONGSIDE_REQUIRE_2FA = False, False
    assert _ids(two_factor_in_production(None)) == ["alongside.E202"]


def test_a_pilot_may_turn_two_factor_off_only_by_saying_so(settings):
    settings.DEBUG, settings.ALONGSIDE_REQUIRE_2FA = False, False
    settings.ALONGSIDE_PILOT_WITHOUT_2FA = "yes"
    assert _ids(two_factor_in_production(None)) == ["alongside.E202"]
    settings.ALONGSIDE_PILOT_WITHOUT_2FA = "I-understand-the-risk"
    assert _ids(two_factor_in_production(None)) == ["alongside.I202"]


def test_two_factor_off_is_fine_in_development(settings):
    settings.DEBUG, settings.ALONGSIDE_REQUIRE_2FA = True, False
    assert two_factor_in_production(None) == []


@pytest.mark.parametrize("name", ["SECRET_KEY", "AUDIT_HMAC_KEY"])
def test_short_secrets_are_refused(settings, name):
    setattr(settings, name, "x" * 31)
    messages = secrets_long_enough(None)
    assert _ids(messages) == ["alongside.E203"]
    assert "shorter than 32 bytes" in messages[0].msg
    setattr(settings, name, "x" * 32)
    assert secrets_long_enough(None) == []


def _deploy_check(tmp_path, **extra):
    # Not this run's settings, nor the browser fixture's async switch (a deploy check error).
    ours = ("ALONGSIDE_", "DATABASE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env = keep | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALONGSIDE_AUDIT_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "alongside.example.org",
        **extra,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "alongside", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_fails_without_two_factor(tmp_path):
    result = _deploy_check(tmp_path, ALONGSIDE_REQUIRE_2FA="0")
    assert result.returncode != 0 and "alongside.E202" in result.stderr
    piloting = _deploy_check(
        tmp_path, ALONGSIDE_REQUIRE_2FA="0", ALONGSIDE_PILOT_WITHOUT_2FA="I-understand-the-risk"
    )
    assert piloting.returncode == 0, piloting.stderr
    assert "alongside.E202" not in piloting.stderr


def test_check_fails_with_a_short_audit_key(tmp_path):
    result = _deploy_check(tmp_path, ALONGSIDE_AUDIT_KEY="short-audit-key")
    assert result.returncode != 0 and "alongside.E203" in result.stderr


@pytest.mark.parametrize(
    ("url", "warned"),
    [("", True), ("http://alongside.example.org", True), ("https://alongside.example.org", False)],
)
def test_e_mail_links_need_the_sites_https_address(settings, url, warned):
    settings.ALONGSIDE_SITE_URL = url
    assert [m.id for m in site_url_set(None)] == (["alongside.W205"] if warned else [])
