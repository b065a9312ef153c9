"""A person on a phone and a responder at a desk chat, in two browser contexts.

WebSockets need an ASGI server, which the WSGI ``live_server`` is not. Daphne serves the test
database on a free port: in a thread of this process when it is SQLite in memory (as
``live_server`` does; Twisted's reactor starts once, so that server lives for the session),
else in a subprocess (a file or PostgreSQL). The test's data is committed
(``transaction=True``) so that the server sees it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from alongside.conftest import axe_serious_violations, browser_sign_in
from alongside.warmline.models import Line

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # WhiteNoise hands Django a synchronous file iterator; under ASGI Django says so, and an
    # in-process server would turn that into an error of the page's stylesheet.
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators"),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@dataclass
class Address:
    url: str


def _database_url() -> str | None:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            return None
        return f"sqlite:///{Path(name).resolve()}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    for _attempt in range(300):
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                assert process.stderr is not None
                pytest.fail("daphne did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    pytest.fail("daphne did not answer within 30 seconds")


@pytest.fixture(scope="session")
def daphne_in_thread():
    """Daphne in a thread of this process, for the in-memory SQLite test database."""
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server

    from alongside.asgi import application

    port = _free_port()
    server = Server(
        application=application,
        endpoints=build_endpoint_description_strings(host="127.0.0.1", port=port),
        signal_handlers=False,
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    _wait_for(url)
    yield Address(url)
    from twisted.internet import reactor

    reactor.callFromThread(reactor.stop)  # type: ignore[attr-defined]
    thread.join(timeout=10)


@pytest.fixture
def asgi_server(transactional_db, request):
    database_url = _database_url()
    if database_url is None:
        yield request.getfixturevalue("daphne_in_thread")
        return
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ALONGSIDE_TEST_DB_NAME", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DATABASE_URL=database_url,
        DEBUG="1",
        ALONGSIDE_REQUIRE_2FA="0",
        SECRET_KEY=django_settings.SECRET_KEY,
        FIELD_ENCRYPTION_KEY=django_settings.FIELD_ENCRYPTION_KEY,
        PYTHONPATH=str(django_settings.BASE_DIR),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "alongside.asgi:application",
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process)
        yield Address(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


def test_a_person_on_a_phone_and_a_responder_exchange_messages(
    browser, asgi_server, line, responder, settings
):
    person_context = browser.new_context(**PHONE)
    person = person_context.new_page()
    person.goto(asgi_server.url + "/warmline/")
    assert person_context.cookies() == []
    stored = "[Object.keys(sessionStorage), Object.keys(localStorage)]"
    assert person.evaluate(stored) == [[], []]
    assert axe_serious_violations(person) == []
    assert person.evaluate("document.documentElement.scrollWidth") <= 360

    person.get_by_label("A first name or nickname").fill("Jo")
    person.get_by_role("button", name="Start a chat").click()
    person.get_by_text("You are number 1 in line").wait_for()
    assert person_context.cookies() == []  # still none: only this tab's session storage

    desk_context = browser.new_context()
    desk = desk_context.new_page()
    browser_sign_in(desk, asgi_server, responder, settings, then="/staff/warmline/")
    assert axe_serious_violations(desk) == []
    desk.get_by_role("button", name="Answer").first.click()
    desk.wait_for_url("**/staff/warmline/contacts/**")
    person.get_by_text("A peer is here with you").wait_for()

    desk.get_by_label("Message").fill("Hi Jo, I'm Rowan. What's on your mind?")
    desk.get_by_role("button", name="Send").click()
    person.locator("#warmline-log").get_by_text("What's on your mind?").wait_for()

    person.get_by_label("Your message").fill("Just a lonely evening.")
    person.get_by_role("button", name="Send").click()
    desk.locator("#warmline-log").get_by_text("Just a lonely evening.").wait_for()
    assert axe_serious_violations(desk) == []
    assert axe_serious_violations(person) == []

    # The phone drops its connection; the page reconnects and shows each message once.
    person.reload()
    person.locator("#warmline-log").get_by_text("Just a lonely evening.").wait_for()
    desk.get_by_label("Message").fill("Still here.")
    desk.get_by_role("button", name="Send").click()
    person.locator("#warmline-log").get_by_text("Still here.").wait_for()
    assert person.locator("#warmline-log").get_by_text("Just a lonely evening.").count() == 1
    person_context.close()
    desk_context.close()


@pytest.fixture
def no_chat_starts(settings, monkeypatch):
    """No chat may start from any address this hour (the server in a subprocess too)."""
    settings.WARMLINE_CHAT_STARTS_PER_HOUR = 0
    monkeypatch.setenv("WARMLINE_CHAT_STARTS_PER_HOUR", "0")


def test_a_start_past_the_limit_shows_988_and_the_phone(browser, no_chat_starts, asgi_server, line):
    context = browser.new_context(**PHONE)
    person = context.new_page()
    person.goto(asgi_server.url + "/warmline/")
    person.get_by_role("button", name="Start a chat").click()
    refused = person.locator("#warmline-limited")
    refused.get_by_text("call or text 988").wait_for()
    assert "603-555-0142" in refused.inner_text()
    assert person.get_by_role("button", name="Start a chat").is_visible()
    assert axe_serious_violations(person) == []
    context.close()


def test_a_line_that_closes_before_start_says_so_where_the_person_looks(browser, asgi_server, line):
    context = browser.new_context(**PHONE)
    person = context.new_page()
    person.goto(asgi_server.url + "/warmline/")
    # The line stops taking chats while the page is open (closed for the night, or switched off).
    Line.objects.with_scopes_disabled().filter(pk=line.pk).update(is_active=False)
    person.get_by_role("button", name="Start a chat").click()
    told = person.locator("#warmline-limited")
    told.get_by_text("The warm line has just closed").wait_for()
    assert told.is_visible() and "988" in told.inner_text()
    context.close()
