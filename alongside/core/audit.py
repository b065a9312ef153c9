"""The audit trail: recording events into the HMAC chain, and verifying the chain.

Each event's ``hash`` is HMAC-SHA256(key, previous event's hash + canonical JSON of the
event). Altering, removing or reordering any event breaks the chain at that point.

Two things the chain alone cannot show are covered here too:

- Events removed from the *end* (or every event) leave no gap. A **checkpoint** is the
  chain's head (event count, last id and hash, time) signed with the key and written
  outside the database; verifying against checkpoints fails when the chain is shorter than
  one or no longer holds its head.
- A wrong key makes every event fail, which reads like tampering. A changed event fails
  alone: the events after it still verify, because each covers the stored hash before it.
  So when an event and every one of the next ``KEY_LOOKAHEAD`` fail, the key is named as the
  cause. Checkpoints also carry the key's fingerprint, which settles it outright.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from alongside.core.client import client_ip
from alongside.core.models import AuditEvent, Organization
from alongside.lib.logging import request_id_var

if TYPE_CHECKING:
    from django.http import HttpRequest

Action = AuditEvent.Action
GENESIS = "0" * 64
# How many events after a failing one must fail too before the key is blamed, not the event.
KEY_LOOKAHEAD = 8
CHECKPOINT_TAG = "alongside-audit-checkpoint"


def _canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"))


def _hmac(message: str) -> str:
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _digest(prev_hash: str, content: dict[str, Any]) -> str:
    return _hmac(prev_hash + _canonical(content))


def key_fingerprint() -> str:
    """A short name for the audit key that reveals nothing of it (an HMAC of a fixed label)."""
    return _hmac("alongside audit key fingerprint")[:16]


def _lock_chain_tail() -> None:
    # Appends must be serial or two events would claim the same predecessor. SQLite
    # already serialises writers (transaction_mode IMMEDIATE); PostgreSQL needs a lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x41554454])


def _event(
    *,
    action: str,
    request: HttpRequest | None,
    actor: Any,
    organization: Organization | None,
    obj: Any,
    object_type: str,
    object_id: str,
    participant_id: str,
    changed_fields: Iterable[str],
    actor_username: str,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if organization is None and request is not None:
        organization = getattr(request, "organization", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    return AuditEvent(
        occurred_at=timezone.now(),
        actor=actor,
        actor_username=actor_username or (actor.get_username() if actor is not None else ""),
        organization=organization,
        action=Action(action),
        object_type=object_type,
        object_id=str(object_id),
        participant_id=str(participant_id or ""),
        request_id=request_id_var.get() if request is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        user_agent=user_agent,
        changed_fields=sorted(set(changed_fields)),
    )


def _append(events: list[AuditEvent]) -> None:
    with transaction.atomic():
        _lock_chain_tail()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev = last or GENESIS
        for event in events:
            event.prev_hash = prev
            event.hash = prev = _digest(prev, event.chained_content())
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            # One statement; the ids it assigns ascend in list order, which the chain follows.
            AuditEvent.objects.bulk_create(events)


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: Any = None,
    organization: Organization | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    participant_id: str = "",
    changed_fields: Iterable[str] = (),
    actor_username: str = "",
) -> AuditEvent:
    """Append one event to the audit trail (inside the caller's transaction, if any)."""
    event = _event(
        action=action,
        request=request,
        actor=actor,
        organization=organization,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        participant_id=participant_id,
        changed_fields=changed_fields,
        actor_username=actor_username,
    )
    _append([event])
    return event


def audit_views(
    *, request: HttpRequest, participant_ids: Iterable[Any], object_type: str
) -> list[AuditEvent]:
    """One view event per participant a page or API answer showed, each naming the person.

    A list shows people as surely as a record does, so each is named, as an opening of their
    record would be. All are appended at once. When nobody was shown, one event still says the
    page was opened.
    """
    ids = list(dict.fromkeys(str(pk) for pk in participant_ids))
    events = [
        _event(
            action=Action.VIEW,
            request=request,
            actor=None,
            organization=None,
            obj=None,
            object_type=object_type,
            object_id=pk,
            participant_id=pk,
            changed_fields=(),
            actor_username="",
        )
        for pk in ids or [""]
    ]
    _append(events)
    return events


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    reason: str
    wrong_key: bool = False


@dataclass(frozen=True)
class ChainHead:
    """Where the chain ends: how many events, and the last one's id and hash."""

    count: int
    last_id: int | None
    last_hash: str


@dataclass(frozen=True)
class Checkpoint:
    """A signed record of the chain's head, kept outside the database."""

    head: ChainHead
    at: str
    key: str
    mac: str

    def content(self) -> dict[str, Any]:
        return {
            "count": self.head.count,
            "last_id": self.head.last_id,
            "last_hash": self.head.last_hash,
            "at": self.at,
            "key": self.key,
        }

    def line(self) -> str:
        """One line of JSON, as written to a checkpoint file or to syslog."""
        return _canonical(self.content() | {"hmac": self.mac})


def audit_head() -> ChainHead:
    """The chain's head, read in one transaction."""
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        if last is None:
            return ChainHead(0, None, GENESIS)
        count = AuditEvent.objects.filter(id__lte=last[0]).count()
    return ChainHead(count, last[0], last[1])


def audit_checkpoint_make(head: ChainHead | None = None) -> Checkpoint:
    """Sign the chain's head (now) with the audit key."""
    head = head or audit_head()
    at = timezone.now().isoformat(timespec="seconds")
    unsigned = Checkpoint(head, at, key_fingerprint(), "")
    return Checkpoint(head, at, unsigned.key, _hmac(_canonical(unsigned.content())))


def audit_checkpoints_parse(text: str) -> list[Checkpoint]:
    """Checkpoints from a file's text: lines of JSON, or syslog lines with the tag before it.

    Lines that are not checkpoints (other syslog messages) are skipped; a line that is one
    but does not parse raises ValueError naming its line number.
    """
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if CHECKPOINT_TAG in stripped:
            stripped = stripped[stripped.index(CHECKPOINT_TAG) + len(CHECKPOINT_TAG) :]
            stripped = stripped.lstrip(": ")
        elif not stripped.startswith("{"):
            continue
        try:
            data = json.loads(stripped)
            head = ChainHead(int(data["count"]), data["last_id"], str(data["last_hash"]))
            found.append(Checkpoint(head, str(data["at"]), str(data["key"]), str(data["hmac"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {number} is not a readable checkpoint") from exc
    return found


def _checkpoint_problem(checkpoint: Checkpoint) -> ChainProblem | None:
    if checkpoint.key != key_fingerprint():
        return ChainProblem(
            None,
            f"the checkpoint of {checkpoint.at} was signed with the key whose "
            f"fingerprint is {checkpoint.key}, but ALONGSIDE_AUDIT_KEY's is {key_fingerprint()}",
            wrong_key=True,
        )
    expected = _hmac(_canonical(checkpoint.content()))
    if not hmac.compare_digest(checkpoint.mac, expected):
        return ChainProblem(None, f"the checkpoint of {checkpoint.at} was altered")
    return None


def _verifies(event: AuditEvent) -> bool:
    return hmac.compare_digest(event.hash, _digest(event.prev_hash, event.chained_content()))


def _failure(event: AuditEvent, first: bool) -> ChainProblem:
    following = list(AuditEvent.objects.filter(id__gt=event.pk).order_by("id")[:KEY_LOOKAHEAD])
    if following and not any(_verifies(later) for later in following):
        where = (
            "no event verifies under ALONGSIDE_AUDIT_KEY"
            if first
            else "the events before this one verify, but neither it nor the ones after do"
        )
        return ChainProblem(
            event.pk,
            f"{where}, so the trail was signed with another key (only if the key "
            "is certainly right were all these events rewritten)",
            wrong_key=True,
        )
    if first and not following:
        return ChainProblem(
            event.pk,
            "it does not verify: its content was changed, or ALONGSIDE_AUDIT_KEY is not the "
            "key it was written with (a single event cannot tell which; a checkpoint can)",
        )
    return ChainProblem(event.pk, "its content was changed after it was written")


def audit_chain_verify(
    batch_size: int = 2000, checkpoints: Iterable[Checkpoint] = ()
) -> ChainProblem | None:
    """Walk the chain in order; return the first problem, or None when intact.

    With ``checkpoints``, also check that each is genuine and that the chain still holds
    the head it recorded: as many events up to it, the same last event.
    """
    checkpoints = list(checkpoints)
    for checkpoint in checkpoints:
        problem = _checkpoint_problem(checkpoint)
        if problem is not None:
            return problem
    wanted = {c.head.last_id for c in checkpoints if c.head.last_id is not None}
    seen: dict[int, tuple[int, str]] = {}
    expected_prev = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return ChainProblem(
                event.pk, "does not follow the event before it (one was removed or reordered)"
            )
        if not _verifies(event):
            return _failure(event, first=count == 0)
        expected_prev = event.hash
        count += 1
        if event.pk in wanted:
            seen[event.pk] = (count, event.hash)
    for checkpoint in checkpoints:
        head = checkpoint.head
        if head.count > count:
            return ChainProblem(
                None,
                f"the trail is shorter than the checkpoint of {checkpoint.at}: it had "
                f"{head.count} events then and has {count} now",
            )
        if head.last_id is not None and seen.get(head.last_id) != (head.count, head.last_hash):
            return ChainProblem(
                None,
                f"the trail differs from the checkpoint of {checkpoint.at}: its event "
                f"{head.last_id} is not the one recorded then",
            )
    return None
