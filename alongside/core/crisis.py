"""The crisis lines configured for this deployment (``ALONGSIDE_CRISIS_LINES``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

WAYS = ("call", "text", "chat")


@dataclass(frozen=True)
class CrisisLine:
    label: str
    number: str
    ways: tuple[str, ...]

    @property
    def dial(self) -> str:
        """The number as a ``tel:``/``sms:`` link wants it: digits only."""
        return re.sub(r"\D", "", self.number)

    @property
    def can_call(self) -> bool:
        return "call" in self.ways

    @property
    def can_text(self) -> bool:
        return "text" in self.ways

    @property
    def can_chat(self) -> bool:
        return "chat" in self.ways


def parse_crisis_lines(raw: str) -> tuple[CrisisLine, ...]:
    """Parse ``label|number|ways;…`` where ways is a comma list of call, text, chat."""
    lines = []
    for entry in filter(None, (part.strip() for part in raw.split(";"))):
        parts = [p.strip() for p in entry.split("|")]
        if len(parts) != 3 or not all(parts):
            raise ImproperlyConfigured(
                f"ALONGSIDE_CRISIS_LINES entry {entry!r} must look like 'label|number|call,text'."
            )
        label, number, ways_text = parts
        ways = tuple(w.strip() for w in ways_text.split(",") if w.strip())
        unknown = set(ways) - set(WAYS)
        if unknown or not ways:
            raise ImproperlyConfigured(
                f"ALONGSIDE_CRISIS_LINES entry {entry!r}: ways must be from {', '.join(WAYS)}."
            )
        if not re.sub(r"\D", "", number):
            raise ImproperlyConfigured(f"ALONGSIDE_CRISIS_LINES entry {entry!r} has no number.")
        lines.append(CrisisLine(label, number, ways))
    if not lines:
        raise ImproperlyConfigured("ALONGSIDE_CRISIS_LINES must name at least one crisis line.")
    return tuple(lines)


@cache
def _parsed(raw: str) -> tuple[CrisisLine, ...]:
    return parse_crisis_lines(raw)


def crisis_lines() -> tuple[CrisisLine, ...]:
    return _parsed(settings.ALONGSIDE_CRISIS_LINES)
