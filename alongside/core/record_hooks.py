"""Rules an app above care lays on care's records, without care importing that app.

Billing is the one user: an encounter on a submitted claim must not change what was billed,
and an amendment to its note should be looked at by whoever handles the claim. Each app
registers its functions once (``AppConfig.ready``), by name, so a second ``ready`` changes
nothing. Care asks here; it never learns who answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# (record, names of the fields about to change) -> the reason it may not change, or None.
EditCheck = Callable[[Any, frozenset[str]], str | None]
# (record, actor) -> None: told after an amendment to a record was saved.
AmendmentListener = Callable[[Any, Any], None]

_edit_checks: dict[str, EditCheck] = {}
_amendment_listeners: dict[str, AmendmentListener] = {}


def register_edit_check(name: str, check: EditCheck) -> None:
    _edit_checks[name] = check


def register_amendment_listener(name: str, listener: AmendmentListener) -> None:
    _amendment_listeners[name] = listener


def edit_refusal(record: Any, fields: Iterable[str]) -> str | None:
    """The first reason a registered check gives for refusing this change, or None."""
    names = frozenset(fields)
    for check in _edit_checks.values():
        reason = check(record, names)
        if reason:
            return reason
    return None


def amendment_recorded(record: Any, actor: Any) -> None:
    for listener in _amendment_listeners.values():
        listener(record, actor)
