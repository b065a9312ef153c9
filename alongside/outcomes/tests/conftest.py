"""Outcomes fixtures: BARC-10 loaded from the shipped file, and people of each focus."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from alongside.care.tests.conftest import TODAY, make_participant  # noqa: F401
from alongside.outcomes import services
from alongside.outcomes.loader import instruments_load
from alongside.outcomes.models import Instrument

INSTRUMENTS = Path(__file__).resolve().parents[3] / "content" / "instruments"
BARC = INSTRUMENTS / "barc-10.yaml"


def all_fives() -> dict[str, int]:
    return {str(n): 5 for n in range(1, 11)}


@pytest.fixture
def barc(db):
    instruments_load([BARC])
    return Instrument.objects.get(code="BARC-10")


@pytest.fixture
def person(org, member):
    """A participant whose focus is substance use, on ``member``'s caseload."""
    return make_participant(
        org, member, name="Riley (sample)", specialists=[member], focus="substance_use"
    )


@pytest.fixture
def mh_person(org, member):
    """A participant whose focus is mental health, which BARC-10 does not suit."""
    return make_participant(org, member, name="Morgan (sample)", specialists=[member])


@pytest.fixture
def foreign_person(other_org, outsider):
    return make_participant(other_org, outsider, name="Elsewhere (sample)", focus="substance_use")


def record(person, barc, member, answers=None, day=None, **extra):
    return services.administration_record(
        participant=person,
        instrument=barc,
        answers=all_fives() if answers is None else answers,
        completed_on=day or datetime.date(2026, 1, 5),
        actor=member,
        **extra,
    )
