"""The audit trail: recording events into the HMAC chain, and verifying the chain.

Each event's ``hash`` is HMAC-SHA256(key, previous event's hash + canonical JSON of the
event). Altering, removing or reordering any event breaks the chain at that point.
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


def _digest(prev_hash: str, content: dict[str, Any]) -> str:
    message = prev_hash + json.dumps(content, sort_keys=True, separators=(",", ":"))
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def _lock_chain_tail() -> None:
    # Appends must be serial or two events would claim the same predecessor. SQLite
    # already serialises writers (transaction_mode IMMEDIATE); PostgreSQL needs a lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x41554454])


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
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if organization is None and request is not None:
        organization = getattr(request, "organization", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    event = AuditEvent(
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
    with transaction.atomic():
        _lock_chain_tail()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or GENESIS
        event.hash = _digest(event.prev_hash, event.chained_content())
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def audit_chain_verify(batch_size: int = 2000) -> ChainProblem | None:
    """Walk the chain in order; return the first broken event, or None when intact."""
    expected_prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return ChainProblem(
                event.pk, "does not follow the event before it (one was removed or reordered)"
            )
        if not hmac.compare_digest(event.hash, _digest(event.prev_hash, event.chained_content())):
            return ChainProblem(event.pk, "its content was changed after it was written")
        expected_prev = event.hash
    return None
