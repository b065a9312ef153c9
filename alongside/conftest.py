"""Fixtures shared by every app's tests: the personas of each access test, and real services."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.core.models import Organization
from alongside.core.roles import Role
from alongside.core.services import organization_create, user_create
from alongside.core.tenancy import organization_scope

PASSWORD = "quiet river morning 42"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: a page or a count kept by another cannot leak in."""
    from django.core.cache import cache

    cache.clear()
    yield


def require_service(available: bool, reason: str) -> None:
    """Skip locally when a real service is missing; in CI (CI=true) that is a failure."""
    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must provide this service: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the fictional sample directory once; each test's changes roll back."""
    from alongside.directory.sample import load_sample_directory

    with django_db_blocker.unblock():
        load_sample_directory()


@pytest.fixture
def org(db: Any) -> Organization:
    return organization_create(name="Granite Peer Support (test)", slug="granite", state="NH")


@pytest.fixture
def other_org(db: Any) -> Organization:
    return organization_create(name="Elsewhere Recovery (test)", slug="elsewhere", state="VT")


@pytest.fixture
def in_org(org: Organization) -> Iterator[Organization]:
    """Let the test body read and write ``org``'s records, as a request of its member would.

    Without it (or ``organization_scope``), a query on an organization-owned model raises.
    Requests made through the test client run in the scope of whoever signs in, whatever the
    test body's scope.
    """
    with organization_scope(org):
        yield org


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    def make(username: str, organization: Organization | None, roles: list[str]) -> Any:
        return user_create(
            username=username,
            email=f"{username}@example.org",
            password=PASSWORD,
            organization=organization,
            roles=roles,
        )

    return make


@pytest.fixture
def admin(make_user: Callable[..., Any], org: Organization) -> Any:
    """Owner/admin of ``org``."""
    return make_user("alice", org, [Role.ORG_ADMIN, Role.SUPERVISOR])


@pytest.fixture
def member(make_user: Callable[..., Any], org: Organization) -> Any:
    """A peer specialist in ``org``: sees participant data, is not an admin."""
    return make_user("bob", org, [Role.PEER_SPECIALIST])


@pytest.fixture
def member_without_role(make_user: Callable[..., Any], org: Organization) -> Any:
    """A directory editor in ``org``: a member, but without care or admin roles."""
    return make_user("carol", org, [Role.DIRECTORY_EDITOR])


@pytest.fixture
def outsider(make_user: Callable[..., Any], other_org: Organization) -> Any:
    """An admin of another organization."""
    return make_user("dave", other_org, [Role.ORG_ADMIN, Role.PEER_SPECIALIST])


@pytest.fixture
def sign_in() -> Callable[..., Client]:
    """A test client signed in as ``user`` with a verified second factor."""

    def sign(user: Any, client: Client | None = None) -> Client:
        client = client or Client()
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign


@pytest.fixture
def wsgi_keeps_test_connection() -> Iterator[None]:
    """Let tests call the WSGI application directly (schemathesis) inside a test transaction.

    A WSGI request closes the database connection when it ends, and with it the test's
    transaction on PostgreSQL; Django's own test client disconnects these signals the same way.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def uses_postgres() -> bool:
    return bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    require_service(
        os.path.exists(CHROMIUM) or bool(shutil.which("chromium")),
        "Chromium is not installed (apt-get install chromium)",
    )
    # Playwright's sync API runs an event loop in this thread; Django's ORM guard would
    # otherwise refuse the live server fixture's database setup from the same thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def browser_sign_in(page: Any, live_server: Any, user: Any, settings: Any, then: str = "") -> None:
    """Sign ``user`` in through the real form, two-factor off; wait for ``then`` if given."""
    settings.ALONGSIDE_REQUIRE_2FA = False
    page.goto(live_server.url + "/accounts/login/" + (f"?next={then}" if then else ""))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if then:
        page.wait_for_url(f"**{then}")
    else:
        page.wait_for_load_state()


def axe_serious_violations(page: Any) -> list[str]:
    """Run axe-core in ``page``; describe each serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -- {len(v['nodes'])} node(s)"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
