"""Care fixtures: participants in ``org`` and in ``other_org``, and the roles around them."""

import datetime

import pytest

from alongside.care import services
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope

TODAY = datetime.date(2026, 3, 2)


def make_participant(organization, actor, name="Jordan (sample)", specialists=(), **data):
    with organization_scope(organization):
        return services.participant_create(
            organization=organization,
            actor=actor,
            data={"preferred_name": name, "focus": "mental_health", **data},
            specialists=specialists,
            enrolled_on=TODAY,
            agreement_how="verbal",
        )


@pytest.fixture
def supervisor(make_user, org):
    return make_user("sue", org, [Role.SUPERVISOR, Role.PEER_SPECIALIST])


@pytest.fixture
def billing_user(make_user, org):
    return make_user("bill", org, [Role.BILLING])


@pytest.fixture
def participant(org, member):
    return make_participant(org, member, specialists=[member], phone="603-555-0142")


@pytest.fixture
def foreign_participant(other_org, outsider):
    return make_participant(other_org, outsider, name="Elsewhere Person (sample)")


@pytest.fixture
def encounter(participant, member, in_org):
    return services.encounter_create(
        participant=participant,
        actor=member,
        data={
            "type": "phone",
            "date": TODAY,
            "start_time": datetime.time(10, 0),
            "end_time": datetime.time(10, 40),
            "service_categories": ["planning"],
            "worked_on": "Looked at bus routes to the new job",
            "response": "Felt hopeful",
            "next_steps": "Try the route on Friday",
        },
    )


@pytest.fixture
def goal(participant, member, in_org):
    return services.goal_create(
        participant=participant,
        actor=member,
        data={
            "text": "I want to get back to playing guitar",
            "service_category": "illness_management",
            "chime": ["identity", "meaning"],
        },
    )
