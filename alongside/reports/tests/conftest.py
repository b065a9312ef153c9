"""Reports fixtures: people with the answers a split needs, encounters, and the period."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.care import services as care_services
from alongside.care.tests.conftest import make_participant
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope
from alongside.reports.catalog import REPORTS, run_report


def period():
    """The 90 days up to today: notes cannot be dated in the future."""
    end = timezone.localdate()
    return end - timedelta(days=89), end


def make_person(organization, actor, name="Jordan (sample)", **data):
    return make_participant(organization, actor, name=name, **data)


def make_encounter(participant, actor, day, *, minutes=40, **data):
    start = datetime.time(10, 0)
    end = (datetime.datetime.combine(day, start) + timedelta(minutes=minutes)).time()
    with organization_scope(participant.organization):
        return care_services.encounter_create(
            participant=participant,
            actor=actor,
            data={
                "type": "phone",
                "date": day,
                "start_time": start,
                "end_time": end,
                "service_categories": ["planning"],
                **data,
            },
        )


def run(organization, name="quarterly", *, start=None, end=None, suppressed=False):
    first, last = period()
    with organization_scope(organization):
        return run_report(REPORTS[name], start or first, end or last, suppressed=suppressed)


def metric(result, name):
    return next(item for item in result.results if item.metric.name == name)


def cell(result, name, dimension, category, measure):
    found = [
        r.value
        for r in metric(result, name).rows
        if (r.dimension, r.category, r.measure) == (dimension, category, measure)
    ]
    assert len(found) == 1, (name, dimension, category, measure, found)
    return found[0]


@pytest.fixture
def supervisor(make_user, org):
    return make_user("sue", org, [Role.SUPERVISOR, Role.PEER_SPECIALIST])


@pytest.fixture
def writer(make_user, org):
    return make_user("wren", org, [Role.PEER_SPECIALIST])
