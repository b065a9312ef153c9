"""The staff side's services: schedules, single dates, registration, attendance as records."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase

from alongside.care.models import Encounter
from alongside.care.selectors import signed_encounter_minutes
from alongside.care.services import encounter_sign, participant_create
from alongside.core.models import AuditEvent
from alongside.groups import attendance as taking
from alongside.groups import services
from alongside.groups.models import Attendance, Registration, Session
from alongside.groups.tests.staff.conftest import group_data, make_group

pytestmark = pytest.mark.django_db


def test_three_present_and_four_walk_ins_make_seven_and_three_group_encounters(
    session, people, member
):
    taken = taking.attendance_take(
        session=session,
        actor=member,
        present=people,
        walk_ins=4,
        summary="Talked about what keeps us going in winter.",
        notes={people[0]: "Said the walks help."},
    )
    assert taken.headcount == 7
    assert len(taken.encounters) == 3
    encounters = Encounter.objects.filter(pk__in=taken.encounters)
    assert {e.type for e in encounters} == {Encounter.Type.GROUP}
    assert {(e.date, e.start_time, e.end_time) for e in encounters} == {
        (session.date, time(18), time(19))
    }
    assert {e.specialist_id for e in encounters} == {member.pk}
    assert {e.worked_on for e in encounters} == {"Talked about what keeps us going in winter."}
    assert encounters.get(participant=people[0]).response == "Said the walks help."
    session.refresh_from_db()
    assert session.walk_ins == 4


def test_taking_attendance_again_changes_and_never_duplicates(session, people, member):
    first = taking.attendance_take(session=session, actor=member, present=people, walk_ins=2)
    again = taking.attendance_take(
        session=session,
        actor=member,
        present=people[:2],
        absent=people[2:],
        walk_ins=3,
        summary="Changed",
    )
    assert again.headcount == 5
    assert set(again.encounters) <= set(first.encounters)
    assert Encounter.objects.filter(type=Encounter.Type.GROUP).count() == 2
    assert Attendance.objects.filter(session=session).count() == 3
    assert Attendance.objects.get(participant=people[2]).encounter is None
    assert set(Encounter.objects.values_list("worked_on", flat=True)) == {"Changed"}


def test_a_note_naming_another_attendee_is_refused_until_confirmed(session, people, member):
    notes = {people[0]: "Sat next to blake and seemed calmer."}
    with pytest.raises(taking.NamesInNotes) as caught:
        taking.attendance_take(session=session, actor=member, present=people, notes=notes)
    assert caught.value.found == {people[0]: ["blake"]}
    assert not Encounter.objects.exists()
    taken = taking.attendance_take(
        session=session, actor=member, present=people, notes=notes, confirm_names=True
    )
    assert len(taken.encounters) == 3


def test_a_last_name_of_a_registered_person_who_is_absent_also_warns(
    session, group, people, member
):
    services.registration_add(group=group, actor=member, participant=people[2])
    with pytest.raises(taking.NamesInNotes):
        taking.attendance_take(
            session=session,
            actor=member,
            present=people[:1],
            notes={people[0]: "Asked after Ortiz."},
        )


def test_own_name_in_ones_own_note_is_fine(session, people, member):
    taken = taking.attendance_take(
        session=session, actor=member, present=people, notes={people[0]: "Avery led the check-in."}
    )
    assert len(taken.encounters) == 3


def test_someone_not_enrolled_gets_no_note(session, org, member, in_org):
    stranger = participant_create(
        organization=org,
        actor=member,
        data={"preferred_name": "Dana (sample)", "focus": "mental_health"},
    )
    with pytest.raises(ValidationError, match="Not enrolled"):
        taking.attendance_take(session=session, actor=member, present=[stranger])


def test_a_cancelled_date_and_a_moved_one(group, member, last_week, in_org):
    next_week = last_week + timedelta(days=14)
    services.session_cancel(
        group=group, scheduled_date=last_week + timedelta(days=7), actor=member, public_note="Snow"
    )
    services.session_move(
        group=group,
        scheduled_date=next_week,
        actor=member,
        date=next_week + timedelta(days=1),
        start_time=time(17),
        end_time=time(18),
    )
    assert Session.objects.count() == 2
    with pytest.raises(ValidationError):
        services.session_get_or_create(
            group=group, scheduled_date=last_week + timedelta(days=1), actor=member
        )


def test_capacity_is_kept(org, member, people, in_org):
    small = make_group(org, member, slug="small", capacity=2)
    services.registration_add(group=small, actor=member, participant=people[0])
    services.registration_add(group=small, actor=member, first_name="Rosa", contact="603-555-0177")
    with pytest.raises(ValidationError, match="full"):
        services.registration_add(group=small, actor=member, participant=people[1])
    services.registration_withdraw(registration=Registration.objects.first(), actor=member)
    services.registration_add(group=small, actor=member, participant=people[1])


def test_a_public_registration_keeps_the_contact_encrypted(group, member, in_org):
    registration = services.registration_add(
        group=group, actor=member, first_name="Rosa", contact="rosa@example.org"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, contact FROM groups_registration WHERE id = %s",
            [registration.pk.hex if connection.vendor == "sqlite" else registration.pk],
        )
        stored = cursor.fetchone()
    assert "rosa" not in " ".join(stored).lower()
    registration.refresh_from_db()
    assert registration.contact == "rosa@example.org"
    event = AuditEvent.objects.filter(object_id=str(registration.pk)).get()
    assert "rosa" not in str(event.changed_fields).lower()


def test_a_private_link_is_mailed_to_a_registered_address_only(org, member, in_org):
    online = make_group(
        org,
        member,
        slug="online",
        format="online",
        conference_url="https://meet.example.org/circle",
        conference_public=False,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.registration_add(
            group=online, actor=member, first_name="Rosa", contact="rosa@example.org"
        )
        services.registration_add(
            group=online, actor=member, first_name="Sam", contact="603-555-0123"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.org"]
    assert "https://meet.example.org/circle" in message.body
    assert "Rosa" not in message.body


def test_a_cancelled_or_moved_date_is_a_change_the_feeds_see(group, member, last_week, in_org):
    before = group.updated_at
    services.session_cancel(group=group, scheduled_date=last_week + timedelta(days=7), actor=member)
    group.refresh_from_db()
    assert group.updated_at > before


def test_a_signed_group_note_counts_toward_the_facilitator_s_experience(
    session, people, member, last_week
):
    taken = taking.attendance_take(
        session=session, actor=member, present=people[:1], summary="Shared what helps."
    )
    encounter = Encounter.objects.get(pk=taken.encounters[0])
    encounter_sign(encounter=encounter, actor=member)
    assert signed_encounter_minutes(member.pk, until=last_week) == 60


def test_the_directory_listing_follows_the_group_through_its_services(org, member, in_org):
    from alongside.directory.listings import listing_id
    from alongside.directory.models import Service
    from alongside.groups.listing import SOURCE

    def status(slug):
        return Service.objects.get(pk=listing_id(SOURCE, slug)).status

    group = make_group(org, member, listed_publicly=True)
    assert status("circle") == Service.Status.ACTIVE

    services.group_update(
        group=group, actor=member, data=group_data(slug="circle-evenings", listed_publicly=True)
    )
    assert (status("circle"), status("circle-evenings")) == (
        Service.Status.INACTIVE,
        Service.Status.ACTIVE,
    )

    services.group_update(
        group=group, actor=member, data=group_data(slug="circle-evenings", listed_publicly=False)
    )
    assert status("circle-evenings") == Service.Status.INACTIVE
