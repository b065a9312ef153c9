"""Chats one address may start in an hour (``WARMLINE_CHAT_STARTS_PER_HOUR``), over the socket.

The scenarios run as in ``test_consumers``: one coroutine in a thread of its own, on the
in-memory channel layer and on Redis.
"""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from alongside.asgi import application
from alongside.core.tenancy import organization_scope
from alongside.warmline.models import Contact
from alongside.warmline.tests.test_consumers import ORIGIN, layer, run  # noqa: F401

# Each test runs on the in-memory layer and on Redis (``layer``).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("layer")]


def visitor_from(address, *headers):
    comm = WebsocketCommunicator(application, "/ws/warmline/chat/", headers=[ORIGIN, *headers])
    comm.scope["client"] = [address, 50123]
    return comm


async def first_answer(comm):
    """``started`` or ``limited`` (or ``closed``): the answer to a start, past queue updates."""
    while True:
        event = await comm.receive_json_from(timeout=5)
        if event["type"] in {"started", "limited", "closed"}:
            return event


async def start_from(address, *headers):
    comm = visitor_from(address, *headers)
    assert (await comm.connect())[0]
    await comm.send_json_to({"type": "start", "name": "Jo"})
    answer = await first_answer(comm)
    await comm.disconnect()
    return answer


def _contacts(line):
    with organization_scope(line.organization):
        return Contact.objects.count()


def test_the_start_past_the_limit_is_refused_and_creates_nothing(line, settings):
    assert settings.WARMLINE_CHAT_STARTS_PER_HOUR == 10  # the default
    limit = settings.WARMLINE_CHAT_STARTS_PER_HOUR

    async def scenario():
        return [(await start_from("203.0.113.7"))["type"] for _ in range(limit + 1)]

    assert run(scenario) == ["started"] * limit + ["limited"]
    assert _contacts(line) == limit


def test_another_address_can_still_start(line, settings):
    settings.WARMLINE_CHAT_STARTS_PER_HOUR = 1

    async def scenario():
        first = await start_from("203.0.113.7")
        again = await start_from("203.0.113.7")
        other = await start_from("198.51.100.4")
        return first, again, other

    first, again, other = run(scenario)
    assert (first["type"], again, other["type"]) == ("started", {"type": "limited"}, "started")
    assert _contacts(line) == 2


def test_behind_a_proxy_each_forwarded_client_has_its_own_limit(line, settings):
    settings.WARMLINE_CHAT_STARTS_PER_HOUR = 1
    settings.ALONGSIDE_PROXY_COUNT = 1

    def via_proxy(client):
        return start_from("10.0.0.2", (b"x-forwarded-for", client.encode()))

    async def scenario():
        return [
            (await via_proxy("203.0.113.7"))["type"],
            (await via_proxy("203.0.113.7"))["type"],
            (await via_proxy("198.51.100.4"))["type"],
        ]

    assert run(scenario) == ["started", "limited", "started"]
    assert _contacts(line) == 2


def test_the_page_has_the_words_for_a_refused_start(client, line):
    page = client.get("/warmline/").content.decode()
    said = page.split('data-limited="')[1].split('"')[0]
    assert "call or text 988" in said and "603-555-0142" in said
    assert 'id="warmline-limited"' in page
