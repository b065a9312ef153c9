"""The client's address behind a proxy: lockout, audit and rate limits see the same client.

The unit tests hold ``client_ip`` to its rules; the gunicorn tests send real HTTP with
``X-Forwarded-For`` to a real server on a loopback port, as a TLS proxy in front would.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from alongside.conftest import PASSWORD
from alongside.core.client import client_ip, scope_client_ip
from alongside.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]


def _ip(remote: str = "127.0.0.1", forwarded: str | None = None) -> str | None:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_without_a_proxy_forwarded_for_is_ignored(settings):
    settings.ALONGSIDE_PROXY_COUNT = 0
    assert _ip("192.0.2.10", "203.0.113.9") == "192.0.2.10"


def test_behind_one_proxy_the_address_it_saw_is_the_client(settings):
    settings.ALONGSIDE_PROXY_COUNT = 1
    # The left entry came from the client itself; only the one our proxy added counts.
    assert _ip("10.0.0.2", "198.51.100.7, 203.0.113.9") == "203.0.113.9"
    assert _ip("10.0.0.2", "203.0.113.9") == "203.0.113.9"


def test_behind_two_proxies_the_outer_one_is_believed(settings):
    settings.ALONGSIDE_PROXY_COUNT = 2
    assert _ip("10.0.0.2", "198.51.100.7, 203.0.113.9, 10.0.0.1") == "203.0.113.9"
    # Too few entries: this request did not come through both proxies.
    assert _ip("10.0.0.2", "203.0.113.9") == "10.0.0.2"


def test_trusted_proxies_limit_who_may_forward(settings):
    settings.ALONGSIDE_PROXY_COUNT = 1
    settings.ALONGSIDE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _ip("10.0.0.2", "203.0.113.9") == "203.0.113.9"
    # Straight to the application, around the proxy: its own address, whatever it claims.
    assert _ip("192.0.2.10", "203.0.113.9") == "192.0.2.10"


def test_a_broken_header_falls_back_to_the_connection(settings):
    settings.ALONGSIDE_PROXY_COUNT = 1
    assert _ip("10.0.0.2", "not an address") == "10.0.0.2"
    assert _ip("not an address") is None


def _scope_ip(remote: str | None, *forwarded: str) -> str | None:
    """``scope_client_ip`` of a WebSocket's ASGI scope, each ``forwarded`` a header line."""
    headers = [(b"origin", b"http://127.0.0.1")]
    headers += [(b"x-forwarded-for", value.encode()) for value in forwarded]
    scope = {"type": "websocket", "headers": headers}
    if remote is not None:
        scope["client"] = [remote, 50123]
    return scope_client_ip(scope)


def test_a_websocket_scope_follows_the_same_rules(settings):
    settings.ALONGSIDE_PROXY_COUNT = 0
    assert _scope_ip("192.0.2.10", "203.0.113.9") == "192.0.2.10"
    assert _scope_ip(None) is None
    settings.ALONGSIDE_PROXY_COUNT = 1
    assert _scope_ip("10.0.0.2", "198.51.100.7, 203.0.113.9") == "203.0.113.9"
    # The same header twice reads as one list, the last entry nearest.
    assert _scope_ip("10.0.0.2", "198.51.100.7", "203.0.113.9") == "203.0.113.9"
    settings.ALONGSIDE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _scope_ip("192.0.2.10", "203.0.113.9") == "192.0.2.10"


def test_failed_login_is_audited_with_the_forwarded_client(member, settings):
    settings.ALONGSIDE_PROXY_COUNT = 1
    Client().post(
        "/accounts/login/",
        {"username": "bob", "password": "not the password"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert AuditEvent.objects.get(action="login_failed").ip_address == "203.0.113.9"


def test_bad_trusted_proxy_entry_fails_the_check(settings):
    from alongside.core.checks import proxy_settings

    settings.ALONGSIDE_TRUSTED_PROXIES = ["10.0.0.0/8", "the load balancer"]
    assert [error.id for error in proxy_settings(None)] == ["alongside.E201"]


# --- behind a real gunicorn -----------------------------------------------------------------


def _environment(database: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("ALONGSIDE_", "DATABASE"))}
    return keep | {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"} | extra


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database of its own for the server, with one peer specialist, ``bob``."""
    database = tmp_path_factory.mktemp("gunicorn") / "template.sqlite3"
    env = _environment(database)
    commands = [
        ["migrate", "-v0"],
        ["org_create", "--name", "Granite (test)", "--slug", "granite", "--state", "NH"],
        ["user_create", "--username", "bob", "--email", "bob@example.org"]
        + ["--password", PASSWORD, "--org", "granite", "--roles", "peer_specialist"],
    ]
    for command in commands:
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "alongside", *command], cwd=ROOT, env=env, check=True
        )
    return database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def gunicorn(migrated_database: Path, tmp_path: Path) -> Iterator[Callable[..., tuple[int, Path]]]:
    """Start gunicorn on a loopback port with extra settings; gives (port, its database)."""
    servers: list[subprocess.Popen[bytes]] = []

    def start(**settings: str) -> tuple[int, Path]:
        database = tmp_path / f"server{len(servers)}.sqlite3"
        shutil.copyfile(migrated_database, database)
        port = _free_port()
        servers.append(
            subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "alongside.wsgi:application"]
                + ["--workers=1", f"--bind=127.0.0.1:{port}", "--log-level=warning"],
                cwd=ROOT,
                env=_environment(database, **settings),
            )
        )
        for _ in range(300):  # the server answers once it has imported the project
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port, database
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


def _sign_in(port: int, password: str, forwarded_for: str) -> int:
    """GET the sign-in page for its CSRF token, then POST; both through the 'proxy'."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"X-Forwarded-For": forwarded_for}
    connection.request("GET", "/accounts/login/", headers=headers)
    page = connection.getresponse()
    body = page.read().decode()
    cookie = SimpleCookie(page.headers["Set-Cookie"])["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]  # type: ignore[index]
    form = {"username": "bob", "password": password, "csrfmiddlewaretoken": token}
    connection.request(
        "POST",
        "/accounts/login/",
        body=urllib.parse.urlencode(form),
        headers=headers
        | {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
    )
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer.status


def _audited_addresses(database: Path, action: str) -> set[str]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT ip_address FROM core_auditevent WHERE action = ?", [action])
        return {row[0] for row in rows}


def test_behind_a_proxy_lockout_and_audit_follow_the_real_client(gunicorn):
    port, database = gunicorn(ALONGSIDE_PROXY_COUNT="1", ALONGSIDE_LOGIN_FAILURE_LIMIT="3")
    # An attacker at 203.0.113.9 guesses, inventing a new address on the left each time.
    guesses = [_sign_in(port, "wrong", f"198.51.100.{n}, 203.0.113.9") for n in range(3)]
    assert guesses == [200, 200, 429]
    assert _sign_in(port, PASSWORD, "192.0.2.1, 203.0.113.9") == 429
    # Bob, from his own address, still signs in (and is sent on to his second factor).
    assert _sign_in(port, PASSWORD, "198.51.100.7") == 302
    assert _audited_addresses(database, "login_failed") == {"203.0.113.9"}
    assert _audited_addresses(database, "login") == {"198.51.100.7"}


def test_without_a_proxy_setting_forwarded_for_changes_nothing(gunicorn):
    port, database = gunicorn(ALONGSIDE_PROXY_COUNT="0", ALONGSIDE_LOGIN_FAILURE_LIMIT="3")
    guesses = [_sign_in(port, "wrong", f"198.51.100.{n}") for n in range(3)]
    assert guesses == [200, 200, 429]
    # Claiming another address does not get round the pause.
    assert _sign_in(port, PASSWORD, "203.0.113.77") == 429
    assert _audited_addresses(database, "login_failed") == {"127.0.0.1"}
