import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from alongside.core.crisis import parse_crisis_lines
from alongside.lib.env import env_bool, env_int, env_list


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_list("X_LIST", []) == ["a", "b", "c"]


def test_file_variant_reads_a_secret_file(monkeypatch, tmp_path):
    secret = tmp_path / "s"
    secret.write_text("42\n")
    monkeypatch.setenv("X_INT_FILE", str(secret))
    assert env_int("X_INT", 1) == 42


def test_crisis_lines_parse_and_reject_nonsense():
    lines = parse_crisis_lines("A line|988|call,text;B line|(555) 010-0100|call")
    assert [line.dial for line in lines] == ["988", "5550100100"]
    assert lines[0].can_text and not lines[1].can_text
    with pytest.raises(ImproperlyConfigured, match="ways"):
        parse_crisis_lines("A|988|fax")


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "alongside", "check"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_start_without_secret_key_refuses_with_clear_message():
    result = _start({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
