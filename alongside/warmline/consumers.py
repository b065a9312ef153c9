"""The warm line's WebSockets: the person's chat and the responders' console.

The protocol, in JSON objects with a ``type``:

- The person: ``start`` (id, name, code) → ``started`` (contact, token) and ``queue``
  (position), or ``closed``, or ``limited`` (too many starts from one address this hour); a
  ``start`` sent again with the same id gets the same conversation back;
  ``resume`` (contact, token, last_seq) → every message after ``last_seq`` again, then the
  state; ``message`` (id, body) → ``ack`` (id, seq) once it is stored; ``typing``; ``end``.
- A responder: ``queue`` → the waiting contacts and the ones it holds (``mine``); then
  ``queue_add`` (entry) and ``queue_remove`` (contact) as people join and leave the queue;
  ``take`` (contact); ``join`` (contact, last_seq); ``message`` (contact, id, body) →
  ``ack``; ``typing``; ``end``; ``transfer``.
- Both receive ``message`` (contact, seq, id, sender, kind, body, url, at), ``typing``,
  ``taken`` and ``ended``. A message may arrive more than once (delivery is at least once);
  its ``seq`` tells a page it has it already, and a gap in ``seq`` tells it to resume.
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Any

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from alongside.core.audit import Action, audit_record
from alongside.core.client import over_hourly_limit, scope_client_ip
from alongside.core.roles import Role
from alongside.core.tenancy import SESSION_KEY, memberships_for, organization_scope
from alongside.warmline import selectors, services
from alongside.warmline.events import contact_group, queue_group, waiting_group
from alongside.warmline.models import Contact, Message

Status = Contact.Status


def _db(function: Any) -> Any:
    """Run ``function`` (database work) off the event loop. By default in a pool of threads,
    so that one slow query does not hold up every socket of the worker; tests keep it in
    one thread (``WARMLINE_DB_ONE_THREAD``) so that the test's own connection does it."""
    return database_sync_to_async(function, thread_sensitive=bool(settings.WARMLINE_DB_ONE_THREAD))


# After someone ahead leaves the queue, a waiting page's place is read again this many seconds
# later: once for a burst of departures, not once per departure.
RECOUNT_PAUSE = 1.0

WATCH_ROLES = (Role.WARMLINE_RESPONDER, Role.SUPERVISOR, Role.ORG_ADMIN)


def _error(text: str, client_id: str = "") -> dict[str, Any]:
    return {"type": "error", "id": client_id, "message": text}


def _over_start_limit(scope: dict[str, Any]) -> bool:
    """At most ``WARMLINE_CHAT_STARTS_PER_HOUR`` chats an hour from one address."""
    address = scope_client_ip(scope) or ""
    return over_hourly_limit("warmline_start", address, settings.WARMLINE_CHAT_STARTS_PER_HOUR)


def _replay(contact: Contact, last_seq: Any) -> list[dict[str, Any]]:
    try:
        after = max(0, int(last_seq or 0))
    except (TypeError, ValueError):
        after = 0
    return [services.message_event(m) for m in selectors.messages_after(contact, after)]


class _Consumer(AsyncJsonWebsocketConsumer):
    """Channels' consumer, without its hop to the worker's one sync thread before every event
    (``aclose_old_connections``): every piece of database work here goes through ``_db``,
    which closes stale connections in the thread that owns them. Under load that hop, once per
    message for every socket, queued all of a worker's events behind one thread."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class VisitorConsumer(_Consumer):
    """The person reaching out: no account, no cookie; a secret token lets the page resume."""

    contact_id: str | None = None
    line_id: str | None = None
    organization: Any = None
    position = 0  # the place in the queue last told to the page; 0 once answered
    recount: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.recount is not None:
            self.recount.cancel()
        await self._leave()

    async def _leave(self) -> None:
        if self.contact_id and self.organization is not None:
            await self.channel_layer.group_discard(
                contact_group(self.contact_id), self.channel_name
            )
            await self.channel_layer.group_discard(waiting_group(self.line_id), self.channel_name)

    async def _join(self, contact: Contact) -> None:
        self.contact_id = str(contact.pk)
        self.line_id = str(contact.line_id)
        self.organization = contact.organization
        await self.channel_layer.group_add(contact_group(contact.pk), self.channel_name)
        await self.channel_layer.group_add(waiting_group(contact.line_id), self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "start":
            await self._start(content)
        elif kind == "resume":
            await self._resume(content)
        elif self.contact_id is None:
            await self.send_json(_error(_("Start a conversation first.")))
        elif kind == "message":
            await self._message(content)
        elif kind == "typing":
            await self.channel_layer.group_send(
                contact_group(self.contact_id),
                {
                    "type": "warmline.event",
                    "data": services.typing_event(self.contact_id, Message.Sender.VISITOR),
                },
            )
        elif kind == "end":
            await _db(self._end)()

    async def _start(self, content: dict[str, Any]) -> None:
        if self.contact_id is not None:
            return
        if await sync_to_async(_over_start_limit)(self.scope):
            await self.send_json({"type": "limited"})
            return
        started = await _db(self._start_contact)(
            str(content.get("name") or ""),
            str(content.get("code") or ""),
            str(content.get("id") or "")[:64],
        )
        if started is None:
            await self.send_json({"type": "closed"})
            return
        contact, token = started
        await self._join(contact)
        await self.send_json({"type": "started", "contact": str(contact.pk), "token": token})
        await self._catch_up(contact, 0)

    def _start_contact(self, name: str, code: str, start_id: str) -> tuple[Contact, str] | None:
        line = selectors.public_line()
        if line is None:
            return None
        with organization_scope(line.organization):
            try:
                return services.contact_start(
                    line=line,
                    channel=Contact.Channel.CHAT,
                    is_open=selectors.line_is_open(line),
                    display_name=name[:40],
                    return_code=code[:64],
                    start_id=start_id,
                )
            except services.LineClosed:
                return None

    async def _resume(self, content: dict[str, Any]) -> None:
        contact = await _db(self._resumed)(
            str(content.get("contact") or ""), str(content.get("token") or "")
        )
        if contact is None:
            await self.send_json({"type": "ended", "contact": str(content.get("contact") or "")})
            return
        await self._join(contact)
        await self._catch_up(contact, content.get("last_seq"))

    async def _catch_up(self, contact: Contact, last_seq: Any) -> None:
        """Listen first (``_join``), then read what was missed and where things stand: a
        message or a take in between arrives twice (the page skips the second), never not at
        all."""
        replay, status, position = await _db(self._state_after)(contact, last_seq)
        for event in replay:
            await self.send_json(event)
        self.position = position
        if status == Status.QUEUED:
            await self.send_json({"type": "queue", "position": position})
        elif status == Status.ACTIVE:
            await self.send_json({"type": "taken", "contact": str(contact.pk)})
        else:
            await self.send_json({"type": "ended", "contact": str(contact.pk)})

    def _state_after(
        self, contact: Contact, last_seq: Any
    ) -> tuple[list[dict[str, Any]], str, int]:
        with organization_scope(contact.organization):
            contact.refresh_from_db(fields=["status"])
            queued = contact.status == Status.QUEUED
            position = selectors.queue_position(contact) if queued else 0
            return _replay(contact, last_seq), contact.status, position

    def _resumed(self, contact_id: str, token: str) -> Contact | None:
        try:
            contact = (
                Contact.objects.with_scopes_disabled()
                .select_related("organization")
                .filter(pk=contact_id)
                .first()
            )
        except ValidationError:
            return None
        if contact is None or contact.status == Status.ENDED or not contact.resume_digest:
            return None
        if not hmac.compare_digest(contact.resume_digest, services.resume_digest(token)):
            return None
        return contact

    async def _message(self, content: dict[str, Any]) -> None:
        client_id = str(content.get("id") or "")[:64]
        try:
            seq = await _db(self._store)(str(content.get("body") or ""), client_id)
        except ValidationError as exc:
            await self.send_json(_error(" ".join(exc.messages), client_id))
            return
        await self.send_json({"type": "ack", "id": client_id, "seq": seq})

    def _contact(self) -> Contact:
        return Contact.objects.select_related("organization", "line").get(pk=str(self.contact_id))

    async def _recount(self) -> None:
        await asyncio.sleep(RECOUNT_PAUSE)
        self.recount = None
        position = await _db(self._position)()
        if self.position and position and position != self.position:
            self.position = position
            await self.send_json({"type": "queue", "position": position})

    def _position(self) -> int:
        with organization_scope(self.organization):
            contact = self._contact()
            return selectors.queue_position(contact) if contact.status == Status.QUEUED else 0

    def _store(self, body: str, client_id: str) -> int:
        with organization_scope(self.organization):
            message, _new = services.message_store(
                contact=self._contact(),
                sender=Message.Sender.VISITOR,
                body=body,
                client_id=client_id,
            )
            return message.seq

    def _end(self) -> None:
        with organization_scope(self.organization):
            services.contact_end(contact=self._contact())

    async def warmline_event(self, event: dict[str, Any]) -> None:
        data = event["data"]
        kind = data.get("type")
        if kind == "queue_left":
            # Someone left the queue of this line: read our place again, once for a burst.
            if self.position and self.recount is None:
                self.recount = asyncio.create_task(self._recount())
            return
        if data.get("contact") != self.contact_id:
            return
        if kind == "taken":
            self.position = 0
        if kind == "typing" and data.get("sender") == Message.Sender.VISITOR:
            return
        await self.send_json(data)
        if kind == "ended":
            await self._leave()
            self.contact_id = None


class ResponderConsumer(_Consumer):
    """A responder's console (or a supervisor watching): signed in, two-factor, in one
    organization; only a ``warmline_responder`` takes contacts and writes."""

    membership: Any = None

    async def connect(self) -> None:
        self.membership = await _db(self._membership)()
        if self.membership is None:
            await self.close(code=4403)
            return
        self.joined: set[str] = set()
        await self.channel_layer.group_add(
            queue_group(self.membership.organization_id), self.channel_name
        )
        await self.accept()

    def _membership(self) -> Any:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        session = self.scope.get("session") or {}
        memberships = memberships_for(user)
        chosen = session.get(SESSION_KEY)
        membership = (memberships.filter(organization_id=chosen).first() if chosen else None) or (
            memberships.first()
        )
        if membership is None or not membership.has_role(*WATCH_ROLES):
            return None
        if settings.ALONGSIDE_REQUIRE_2FA:
            device = Device.from_persistent_id(session.get(DEVICE_ID_SESSION_KEY) or "")
            if device is None or device.user_id != user.pk:
                return None
        return membership

    @property
    def can_write(self) -> bool:
        return bool(self.membership.has_role(Role.WARMLINE_RESPONDER))

    async def disconnect(self, code: int) -> None:
        if self.membership is None:
            return
        await self.channel_layer.group_discard(
            queue_group(self.membership.organization_id), self.channel_name
        )
        for contact_id in getattr(self, "joined", set()):
            await self.channel_layer.group_discard(contact_group(contact_id), self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        contact_id = str(content.get("contact") or "")
        client_id = str(content.get("id") or "")[:64]
        if kind == "queue":
            await self._send_queue()
            return
        if kind == "join":
            await self._join(contact_id, content.get("last_seq"))
            return
        if kind not in {"take", "message", "typing", "end", "transfer"}:
            return
        if not self.can_write:
            await self.send_json(_error(_("Only a warm line responder can do that."), client_id))
            return
        try:
            answer = await _db(self._act)(kind, contact_id, content)
        except ValidationError as exc:
            await self.send_json(_error(" ".join(exc.messages), client_id))
            return
        if kind in {"take", "transfer"}:
            await self._join(contact_id, 0, audited=False)
        if kind == "typing":
            await self.channel_layer.group_send(
                contact_group(contact_id),
                {
                    "type": "warmline.event",
                    "data": services.typing_event(contact_id, Message.Sender.RESPONDER),
                },
            )
        if answer is not None:
            await self.send_json(answer)

    def _contact(self, contact_id: str) -> Contact:
        try:
            contact = (
                Contact.objects.select_related("organization", "line").filter(pk=contact_id).first()
            )
        except ValidationError:
            contact = None
        if contact is None:
            raise ValidationError(_("That conversation was not found."))
        return contact

    def _act(self, kind: str, contact_id: str, content: dict[str, Any]) -> dict[str, Any] | None:
        user = self.membership.user
        with organization_scope(self.membership.organization):
            contact = self._contact(contact_id)
            if kind == "take":
                if not services.contact_take(contact=contact, responder=user):
                    raise ValidationError(_("Someone else has answered this person."))
                return {"type": "took", "contact": contact_id}
            if contact.responder_id != user.pk or contact.status != Status.ACTIVE:
                raise ValidationError(_("This conversation is not yours to write in."))
            if kind == "message":
                client_id = str(content.get("id") or "")[:64]
                message, _new = services.message_store(
                    contact=contact,
                    sender=Message.Sender.RESPONDER,
                    body=str(content.get("body") or ""),
                    client_id=client_id,
                    author=user,
                )
                return {"type": "ack", "id": client_id, "seq": message.seq}
            if kind == "end":
                services.contact_end(contact=contact, actor=user)
                return None
            if kind == "transfer":
                services.crisis_transfer(contact=contact, actor=user)
                return {
                    "type": "transfer_steps",
                    "contact": contact_id,
                    "steps": [_(step) for step in services.WARM_TRANSFER_STEPS],
                }
        return None

    async def _join(self, contact_id: str, last_seq: Any, audited: bool = True) -> None:
        try:
            replay = await _db(self._replay)(contact_id, last_seq, audited)
        except ValidationError as exc:
            await self.send_json(_error(" ".join(exc.messages)))
            return
        if contact_id not in self.joined:
            self.joined.add(contact_id)
            await self.channel_layer.group_add(contact_group(contact_id), self.channel_name)
            # Read again now that we listen: nothing stored in between is missed.
            replay = await _db(self._replay)(contact_id, last_seq, False)
        for event in replay:
            await self.send_json(event)

    def _replay(self, contact_id: str, last_seq: Any, audited: bool) -> list[dict[str, Any]]:
        with organization_scope(self.membership.organization):
            contact = self._contact(contact_id)
            if audited and not last_seq:
                # Opening a transcript is audited; a reconnect that resumes it is not again.
                audit_record(
                    action=Action.VIEW,
                    actor=self.membership.user,
                    organization=contact.organization,
                    obj=contact,
                )
            return _replay(contact, last_seq)

    def _queue_snapshot(self) -> dict[str, Any]:
        with organization_scope(self.membership.organization):
            waiting = [services.queue_entry(c) for c in selectors.queue()]
            # The conversations this responder holds: a console that reconnects (or whose
            # answer to a take was lost with its connection) joins them again.
            mine = [
                str(pk)
                for pk in selectors.active_contacts(self.membership.user).values_list(
                    "pk", flat=True
                )
            ]
        return {"type": "queue", "contacts": waiting, "mine": mine}

    async def _send_queue(self) -> None:
        await self.send_json(await _db(self._queue_snapshot)())

    async def warmline_event(self, event: dict[str, Any]) -> None:
        data = event["data"]
        kind = data.get("type")
        if kind in {"queue_add", "queue_remove"}:
            await self.send_json(data)
            return
        if data.get("contact") not in self.joined:
            return
        if kind == "typing" and data.get("sender") == Message.Sender.RESPONDER:
            return
        await self.send_json(data)
