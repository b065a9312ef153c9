"""Fixtures of the staff side: a weekly group of ``org`` that met a week ago, its session, and
enrolled participants. Test modules import the ones they use."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from alongside.care.tests.conftest import make_participant
from alongside.core.tenancy import organization_scope
from alongside.groups import services
from alongside.groups.models import Group

EVENING = {"start_time": time(18), "end_time": time(19)}
NEW_YORK = ZoneInfo("America/New_York")


def group_data(**extra):
    return {
        "name": "Tuesday Night Recovery Circle (sample)",
        "slug": "circle",
        "kind": Group.Kind.PEER_SUPPORT,
        "format": Group.Format.IN_PERSON,
        "address": "12 Main Street",
        "city": "Concord",
        "state": "NH",
        "timezone": "America/New_York",
        **extra,
    }


def make_group(organization, actor, *, weekday=None, **extra):
    """A weekly group of ``organization``, by default on the weekday of a week ago."""
    last_week = timezone.localdate() - timedelta(days=7)
    weekday = last_week.weekday() if weekday is None else weekday
    with organization_scope(organization):
        return services.group_create(
            organization=organization,
            actor=actor,
            data=group_data(**extra),
            meeting_times=[{"weekday": weekday, **EVENING}],
            facilitators=[actor],
        )


@pytest.fixture
def last_week():
    return timezone.localdate() - timedelta(days=7)


@pytest.fixture
def group(org, member):
    return make_group(org, member)


@pytest.fixture
def session(group, member, last_week, in_org):
    return services.session_get_or_create(group=group, scheduled_date=last_week, actor=member)


@pytest.fixture
def people(org, member):
    """Three enrolled participants of ``org``."""
    return [
        make_participant(org, member, name=name, legal_name=legal)
        for name, legal in [
            ("Avery (sample)", "Avery Stone"),
            ("Blake (sample)", "Blake Rivera"),
            ("Camila (sample)", "Camila Ortiz"),
        ]
    ]


@pytest.fixture
def foreign_group(other_org, outsider):
    return make_group(other_org, outsider, slug="elsewhere-circle")


@pytest.fixture
def tonight(session, member, in_org):
    """``session`` moved to today, on now in New York, until the end of the day."""
    now = timezone.now().astimezone(NEW_YORK)
    start = max(datetime.combine(now.date(), time(0), NEW_YORK), now - timedelta(minutes=1))
    return services.session_move(
        group=session.group,
        scheduled_date=session.scheduled_date,
        actor=member,
        date=now.date(),
        start_time=start.time().replace(microsecond=0),
        end_time=time(23, 59, 59, 999999),
    )
