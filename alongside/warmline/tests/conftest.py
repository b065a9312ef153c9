"""Fixtures of the warm line: a line open around the clock (or closed today), its people."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope
from alongside.directory.models import Organization as Provider
from alongside.directory.models import Phone, Schedule, Service
from alongside.warmline import services
from alongside.warmline.models import Contact, Topic

EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"


def make_listing(*, closed_today: bool = False) -> Service:
    """A warm line's directory listing, open all day every day; or closed today by a dated row."""
    provider = Provider.objects.create(name="Granite Warm Line (test)")
    service = Service.objects.create(
        organization=provider, name="Granite Warm Line (test)", verified_on=timezone.localdate()
    )
    Schedule.objects.create(
        service=service, byday=EVERY_DAY, opens_at=time(0), closes_at=time(23, 59)
    )
    if closed_today:
        today = timezone.localdate()
        Schedule.objects.create(
            service=service,
            valid_from=today - timedelta(days=2),
            valid_to=today + timedelta(days=2),
            closed=True,
            description="Closed for training (test)",
        )
    Phone.objects.create(service=service, number="603-555-0142")
    return service


def make_line(org, *, closed_today: bool = False, sms_number: str = "+16035550142", slug: str = ""):
    listing = make_listing(closed_today=closed_today)
    with organization_scope(org):
        return services.line_create(
            organization=org,
            actor=None,
            name="Granite Warm Line (test)",
            slug=slug or f"granite-{org.slug}",
            listing_id=listing.pk,
            sms_number=sms_number,
        )


@pytest.fixture(autouse=True)
def _socket_work_in_the_test_thread(settings):
    """The sockets' database work runs in the test's thread, on its connection."""
    settings.WARMLINE_DB_ONE_THREAD = True


@pytest.fixture
def line(org):
    return make_line(org)


@pytest.fixture
def closed_line(org):
    return make_line(org, closed_today=True)


@pytest.fixture
def responder(make_user, org):
    return make_user("rowan", org, [Role.WARMLINE_RESPONDER])


@pytest.fixture
def second_responder(make_user, org):
    return make_user("sky", org, [Role.WARMLINE_RESPONDER])


@pytest.fixture
def supervisor(make_user, org):
    return make_user("sam", org, [Role.SUPERVISOR])


@pytest.fixture
def topic(org):
    with organization_scope(org):
        return Topic.objects.create(organization=org, name="Loneliness")


def start_chat(line, **extra):
    with organization_scope(line.organization):
        contact, token = services.contact_start(
            line=line, channel=Contact.Channel.CHAT, is_open=True, **extra
        )
    return contact, token


@pytest.fixture
def waiting(line):
    return start_chat(line, display_name="Jo")[0]


@pytest.fixture
def talking(line, responder):
    contact = start_chat(line)[0]
    with organization_scope(line.organization):
        services.contact_take(contact=contact, responder=responder)
    return contact
