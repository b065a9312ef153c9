"""Live events to the people in a conversation and to the console, sent once a write committed.

Groups: ``contact_group`` (the person and the responders in one conversation),
``queue_group`` (every console of an organization) and ``waiting_group`` (everyone waiting on
one line). A change of the queue is read once and sent to all, not read by each listener.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def contact_group(contact_id: Any) -> str:
    return f"warmline.contact.{contact_id}"


def queue_group(organization_id: Any) -> str:
    """Every console of an organization: told the whole queue when it changes."""
    return f"warmline.queue.{organization_id}"


def waiting_group(line_id: Any) -> str:
    """Everyone waiting on a line: told only the order of contact ids, to find their place."""
    return f"warmline.waiting.{line_id}"


def publish_on_commit(group: str, data: dict[str, Any]) -> None:
    """Send ``data`` to everyone in ``group`` after the transaction commits."""
    transaction.on_commit(lambda: publish(group, data))


def publish(group: str, data: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, {"type": "warmline.event", "data": data})
