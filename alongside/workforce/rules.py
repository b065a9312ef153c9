"""What a credential's rules say about a person on a given day. Pure functions, no database.

Rules, for a credential that expires on E with ``grace_days`` G:
- ``active`` up to 91 days before E; ``expiring`` from 90 days before E through E itself (a
  credential is good through its expiry date);
- ``grace`` from the day after E through E + G (no grace at all when G is 0);
- from E + G + 1: ``lapsed``, or ``retraining_required`` where the type says so.
- Continuing education counts in the current cycle only: from the later of the issue date and
  E minus ``cycle_months``, through the day asked about (hours taken in grace still count
  toward the renewal they were late for). Each topic minimum and the total are have/need.
- Where the expiry is not given, it is the issue date plus ``cycle_months``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from alongside.workforce.models import AfterGrace, CredentialType, Status

EXPIRING_DAYS = 90


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months; the 31st lands on a shorter month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(ctype: CredentialType, issued_on: date) -> date | None:
    """The issue date plus the renewal cycle; None where the rules give no cycle."""
    if ctype.cycle_months is None:
        return None
    return add_months(issued_on, ctype.cycle_months)


def status_on(ctype: CredentialType, expires_on: date, on: date) -> Status:
    """The credential's status on ``on`` (see the module's rules)."""
    if on <= expires_on:
        return Status.EXPIRING if (expires_on - on).days <= EXPIRING_DAYS else Status.ACTIVE
    if on <= expires_on + timedelta(days=ctype.grace_days):
        return Status.GRACE
    if ctype.after_grace == AfterGrace.RETRAINING_REQUIRED:
        return Status.RETRAINING_REQUIRED
    return Status.LAPSED


def is_in_force(status: str) -> bool:
    """Whether someone holding a credential in ``status`` is certified that day.

    In grace the credential has expired: renewal is still possible, but the person is not
    certified for billing until it is renewed.
    """
    return status in (Status.ACTIVE, Status.EXPIRING)


def cycle_start(ctype: CredentialType, issued_on: date, expires_on: date) -> date:
    if ctype.cycle_months is None:
        return issued_on
    return max(issued_on, add_months(expires_on, -ctype.cycle_months))


def hours_text(value: Decimal | float | int) -> str:
    number = Decimal(value).quantize(Decimal("0.01")).normalize()
    return f"{number:f}"


def topic_words(slug: str) -> str:
    return slug.replace("_", " ").replace("-", " ")


@dataclass
class Tally:
    """Hours had against hours needed, total and by topic, and what is still missing.

    A need of None is a figure the rules do not give: nothing is missing against it.
    """

    total: tuple[Decimal, Decimal | None]
    by_topic: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        pairs = [self.total, *self.by_topic.values()]
        return all(need is None or have >= need for have, need in pairs)

    def missing(self) -> list[str]:
        """In plain words, e.g. ``ethics 4 of 6 hours``; the total last."""
        lines = [
            _("%(topic)s %(have)s of %(need)s hours")
            % {"topic": topic_words(topic), "have": hours_text(have), "need": hours_text(need)}
            for topic, (have, need) in self.by_topic.items()
            if have < need
        ]
        have, need = self.total
        if need is not None and have < need:
            lines.append(
                _("%(have)s of %(need)s hours in all")
                % {"have": hours_text(have), "need": hours_text(need)}
            )
        return lines

    def as_dict(self) -> dict[str, dict[str, float | None]]:
        need = self.total[1]
        out: dict[str, dict[str, float | None]] = {
            "total": {"have": float(self.total[0]), "need": None if need is None else float(need)}
        }
        for topic, (have, need) in self.by_topic.items():
            out[topic] = {"have": float(have), "need": float(need)}
        return out


def tally(
    hours: Iterable[tuple[str, Decimal]],
    *,
    total_need: Decimal | None,
    by_topic: Mapping[str, Any],
) -> Tally:
    """Add up ``(topic, hours)`` pairs against a total and per-topic minimums."""
    total = Decimal(0)
    per_topic: dict[str, Decimal] = {}
    for topic, amount in hours:
        total += Decimal(amount)
        per_topic[topic] = per_topic.get(topic, Decimal(0)) + Decimal(amount)
    return Tally(
        total=(total, None if total_need is None else Decimal(total_need)),
        by_topic={
            topic: (per_topic.get(topic, Decimal(0)), Decimal(str(need)))
            for topic, need in by_topic.items()
        },
    )
