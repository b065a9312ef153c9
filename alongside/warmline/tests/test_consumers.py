"""The chat's WebSockets through Channels' communicator: on the in-memory layer, and on Redis.

Each scenario runs as one coroutine in a thread of its own (``run``): a browser test earlier in
the session leaves Playwright's event loop in the main thread, where ``async_to_sync`` cannot
start. The test's data is committed (``transaction=True``), so that thread sees it.
"""

from __future__ import annotations

import os
import threading
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.db import connections

from alongside.asgi import application
from alongside.conftest import require_service
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope
from alongside.warmline.models import Contact, Message

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
WAIT = 5


@pytest.fixture(params=["memory", "redis"])
def layer(request, settings):
    if request.param == "redis":
        url = os.environ.get("ALONGSIDE_TEST_REDIS_URL", "")
        require_service(bool(url), "no Redis for the channel layer (set ALONGSIDE_TEST_REDIS_URL)")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                # Its own prefix: runs side by side never hear each other.
                "CONFIG": {"hosts": [url], "prefix": f"test-{uuid.uuid4().hex[:12]}"},
            }
        }
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return request.param


def run(scenario):
    """Run ``scenario`` (a coroutine function) to its end in a thread of its own."""
    outcome: dict[str, object] = {}

    def target():
        try:
            outcome["result"] = async_to_sync(scenario)()
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("result")


def visitor():
    return WebsocketCommunicator(application, "/ws/warmline/chat/", headers=[ORIGIN])


@pytest.fixture
def console(sign_in):
    """Sign ``user`` in (outside the scenario: it writes); returns a console socket maker."""

    def signed_in(user):
        client = sign_in(user)
        cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
        return lambda: WebsocketCommunicator(
            application, "/ws/warmline/console/", headers=[ORIGIN, (b"cookie", cookie)]
        )

    return signed_in


async def until(comm, kind, **match):
    """The next event of ``kind`` (matching ``match``), skipping others (queue updates)."""
    while True:
        event = await comm.receive_json_from(timeout=WAIT)
        if event["type"] == kind and all(event.get(k) == v for k, v in match.items()):
            return event


async def start_chat():
    """A person's socket that has started a conversation, and its ``started`` answer."""
    person = visitor()
    await person.connect()
    await person.send_json_to({"type": "start"})
    return person, await until(person, "started")


def test_queue_take_message_typing_and_end(layer, line, responder, console):
    as_responder = console(responder)

    async def scenario():
        first, second = visitor(), visitor()
        assert (await first.connect())[0] and (await second.connect())[0]
        await first.send_json_to({"type": "start", "name": "Jo"})
        started = await until(first, "started")
        assert (await until(first, "queue"))["position"] == 1
        await second.send_json_to({"type": "start"})
        await until(second, "started")
        assert (await until(second, "queue"))["position"] == 2

        desk = as_responder()
        assert (await desk.connect())[0]
        await desk.send_json_to({"type": "queue"})
        queue = await until(desk, "queue")
        assert [c["contact"] for c in queue["contacts"]][0] == started["contact"]
        assert queue["contacts"][0]["name"] == "Jo" and len(queue["contacts"]) == 2

        third = visitor()
        await third.connect()
        await third.send_json_to({"type": "start", "name": "Sam"})
        joined = await until(desk, "queue_add")
        assert joined["entry"]["name"] == "Sam"

        await desk.send_json_to({"type": "take", "contact": started["contact"]})
        await until(desk, "took")
        await until(first, "taken")
        await until(desk, "queue_remove", contact=started["contact"])
        # Those behind move up: their places are read again (third is now 2nd).
        assert (await until(second, "queue"))["position"] == 1
        assert (await until(third, "queue", position=2))["position"] == 2
        await third.disconnect()

        await first.send_json_to({"type": "message", "id": "v-1", "body": "Hi, rough day."})
        ack = await until(first, "ack", id="v-1")
        heard = await until(desk, "message", id="v-1")
        assert heard["seq"] == ack["seq"] and heard["body"] == "Hi, rough day."

        await desk.send_json_to(
            {"type": "message", "contact": started["contact"], "id": "r-1", "body": "I'm here."}
        )
        said = await until(first, "message", id="r-1")
        assert said["sender"] == "responder" and said["seq"] == ack["seq"] + 1

        await first.send_json_to({"type": "typing"})
        assert (await until(desk, "typing"))["sender"] == "visitor"

        await desk.send_json_to({"type": "end", "contact": started["contact"]})
        await until(first, "ended")
        for comm in (first, second, desk):
            await comm.disconnect()
        return started["contact"]

    contact_id = run(scenario)
    with organization_scope(line.organization):
        contact = Contact.objects.get(pk=contact_id)
        assert contact.status == Contact.Status.ENDED and contact.responder == responder
        assert [m.sender for m in contact.messages.order_by("seq")] == [
            "system",
            "visitor",
            "responder",
        ]


def test_responder_holds_several_contacts_at_once(layer, line, responder, console):
    as_responder = console(responder)

    async def scenario():
        people = [visitor(), visitor()]
        ids = []
        for person in people:
            await person.connect()
            await person.send_json_to({"type": "start"})
            ids.append((await until(person, "started"))["contact"])
        desk = as_responder()
        await desk.connect()
        for contact_id in ids:
            await desk.send_json_to({"type": "take", "contact": contact_id})
            await until(desk, "took", contact=contact_id)
        for n, person in enumerate(people):
            await person.send_json_to({"type": "message", "id": f"m{n}", "body": f"Hello {n}"})
            assert (await until(desk, "message", id=f"m{n}"))["contact"] == ids[n]
        for comm in (*people, desk):
            await comm.disconnect()

    run(scenario)


def test_reconnect_resumes_with_every_missed_message_and_none_twice(
    layer, line, responder, console
):
    as_responder = console(responder)

    async def scenario():
        person, started = await start_chat()
        desk = as_responder()
        await desk.connect()
        await desk.send_json_to({"type": "take", "contact": started["contact"]})
        await until(desk, "took")
        await person.send_json_to({"type": "message", "id": "v-1", "body": "Still there?"})
        seen = (await until(person, "ack", id="v-1"))["seq"]
        await person.disconnect()  # the connection drops

        for n in range(2):
            body = f"Yes, message {n}"
            await desk.send_json_to(
                {"type": "message", "contact": started["contact"], "id": f"r{n}", "body": body}
            )
            await until(desk, "ack", id=f"r{n}")

        back = visitor()
        await back.connect()
        await back.send_json_to(
            {
                "type": "resume",
                "contact": started["contact"],
                "token": started["token"],
                "last_seq": seen,
            }
        )
        replayed = [await until(back, "message") for _ in range(2)]
        assert [m["seq"] for m in replayed] == [seen + 1, seen + 2]
        await until(back, "taken")
        # The same message sent again (its answer was lost): stored once, same number.
        await back.send_json_to({"type": "message", "id": "v-1", "body": "Still there?"})
        assert (await until(back, "ack", id="v-1"))["seq"] == seen
        await back.disconnect()
        await desk.disconnect()
        return started["contact"]

    contact_id = run(scenario)
    with organization_scope(line.organization):
        assert Message.objects.filter(contact_id=contact_id, client_id="v-1").count() == 1
        assert Message.objects.filter(contact_id=contact_id).count() == 4


def test_a_start_sent_again_after_a_dropped_connection_queues_one_conversation(layer, line):
    async def scenario():
        first = visitor()
        await first.connect()
        await first.send_json_to({"type": "start", "id": "f00d" * 8})
        started = await until(first, "started")
        await first.disconnect()  # the answer may not have reached the page

        again = visitor()
        await again.connect()
        await again.send_json_to({"type": "start", "id": "f00d" * 8})
        restarted = await until(again, "started")
        assert (await until(again, "queue"))["position"] == 1
        # The same conversation; the page's new secret resumes it, the old one no longer does.
        assert restarted["contact"] == started["contact"]
        assert restarted["token"] != started["token"]
        other = visitor()
        assert (await other.connect(timeout=WAIT))[0]
        await other.send_json_to({"type": "start", "id": "beef" * 8})
        assert (await until(other, "started"))["contact"] != started["contact"]
        for comm in (again, other):
            await comm.disconnect()

    run(scenario)
    with organization_scope(line.organization):
        assert Contact.objects.count() == 2


def test_a_console_learns_the_conversations_it_holds_when_it_reconnects(
    layer, line, responder, console
):
    as_responder = console(responder)

    async def scenario():
        person, started = await start_chat()
        desk = as_responder()
        await desk.connect()
        await desk.send_json_to({"type": "take", "contact": started["contact"]})
        await desk.disconnect()  # before (or after) its "took" arrived

        back = as_responder()
        await back.connect()
        await back.send_json_to({"type": "queue"})
        snapshot = await until(back, "queue")
        assert snapshot["contacts"] == [] and snapshot["mine"] == [started["contact"]]
        for comm in (person, back):
            await comm.disconnect()

    run(scenario)


def test_a_wrong_token_cannot_resume(layer, line):
    async def scenario():
        person, started = await start_chat()
        stranger = visitor()
        await stranger.connect()
        await stranger.send_json_to(
            {"type": "resume", "contact": started["contact"], "token": "guess", "last_seq": 0}
        )
        await until(stranger, "ended")
        await stranger.send_json_to({"type": "message", "id": "x", "body": "hi"})
        assert (await until(stranger, "error"))["id"] == ""
        await person.disconnect()
        await stranger.disconnect()

    run(scenario)


def test_after_hours_the_chat_queues_nobody(layer, closed_line):
    async def scenario():
        person = visitor()
        await person.connect()
        await person.send_json_to({"type": "start"})
        await until(person, "closed")
        await person.disconnect()

    run(scenario)
    with organization_scope(closed_line.organization):
        assert not Contact.objects.exists()


def test_care_roles_without_the_responder_role_get_no_console(layer, line, console, make_user, org):
    as_peer = console(make_user("pia", org, [Role.PEER_SPECIALIST, Role.BILLING]))

    async def scenario():
        connected, code = await as_peer().connect()
        assert not connected and code == 4403

    run(scenario)


def test_another_organizations_responder_cannot_take_or_join(
    layer, line, console, make_user, other_org
):
    as_theirs = console(make_user("otto", other_org, [Role.WARMLINE_RESPONDER]))

    async def scenario():
        person, started = await start_chat()
        desk = as_theirs()
        assert (await desk.connect())[0]
        await desk.send_json_to({"type": "queue"})
        assert (await until(desk, "queue"))["contacts"] == []
        await desk.send_json_to({"type": "take", "contact": started["contact"]})
        assert "not found" in (await until(desk, "error"))["message"]
        await desk.send_json_to({"type": "join", "contact": started["contact"], "last_seq": 0})
        assert "not found" in (await until(desk, "error"))["message"]
        await person.disconnect()
        await desk.disconnect()

    run(scenario)


def test_a_supervisor_watches_but_cannot_write(layer, line, responder, supervisor, console):
    as_responder, as_supervisor = console(responder), console(supervisor)

    async def scenario():
        person, started = await start_chat()
        desk, watcher = as_responder(), as_supervisor()
        await desk.connect()
        await watcher.connect()
        await desk.send_json_to({"type": "take", "contact": started["contact"]})
        await until(desk, "took")
        await watcher.send_json_to({"type": "join", "contact": started["contact"], "last_seq": 0})
        await until(watcher, "message", sender="system")
        await person.send_json_to({"type": "message", "id": "v-1", "body": "Hello"})
        await until(watcher, "message", id="v-1")
        await watcher.send_json_to(
            {"type": "message", "contact": started["contact"], "id": "s-1", "body": "hi"}
        )
        assert (await until(watcher, "error", id="s-1"))["message"]
        for comm in (person, desk, watcher):
            await comm.disconnect()

    run(scenario)
