"""Workforce fixtures: the credential types of the test files, and staff in ``org``."""

import datetime
from pathlib import Path

import pytest

from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope
from alongside.workforce import services
from alongside.workforce.loader import credentials_load
from alongside.workforce.models import CredentialType

FILES = Path(__file__).parent / "credentials"
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def types(db):
    credentials_load([FILES])
    return {t.code: t for t in CredentialType.objects.all()}


@pytest.fixture
def crsw(types):
    return types["nh-crsw"]


@pytest.fixture
def cpss(types):
    return types["sc-cpss"]


def profile_of(user, organization):
    membership = user.memberships.get(organization=organization)
    with organization_scope(organization):
        return services.staff_profile_ensure(membership=membership, actor=user)


@pytest.fixture
def supervisor(make_user, org):
    return make_user("sue", org, [Role.SUPERVISOR, Role.PEER_SPECIALIST])


@pytest.fixture
def peer(make_user, org):
    """A second peer specialist in ``org``, supervised by nobody."""
    return make_user("pat", org, [Role.PEER_SPECIALIST])


@pytest.fixture
def member_profile(member, org):
    return profile_of(member, org)


@pytest.fixture
def supervisor_profile(supervisor, org):
    return profile_of(supervisor, org)


@pytest.fixture
def agreement(member_profile, supervisor_profile, supervisor, org):
    """Sue supervises Bob, approved by the board a year before ``TODAY``."""
    with organization_scope(org):
        return services.agreement_add(
            supervisee=member_profile,
            actor=supervisor,
            data={
                "supervisor": supervisor_profile,
                "approved_on": datetime.date(2025, 3, 1),
                "approved_by": "NH Board of Licensing (test)",
            },
        )


def add_credential(profile, actor, ctype, issued_on, expires_on=None, number="T-1"):
    with organization_scope(profile.organization):
        return services.credential_add(
            profile=profile,
            actor=actor,
            data={
                "type": ctype,
                "number": number,
                "issued_on": issued_on,
                "expires_on": expires_on,
            },
        )


def add_training(profile, actor, day, hours, topic="ethics", **extra):
    with organization_scope(profile.organization):
        return services.training_add(
            profile=profile,
            actor=actor,
            data={"date": day, "hours": hours, "topic": topic, "title": f"{topic} course", **extra},
        )
