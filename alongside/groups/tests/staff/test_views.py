"""The staff pages: groups, a date's attendance (constant queries), and 404 elsewhere."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.care.models import Encounter
from alongside.care.tests.conftest import make_participant
from alongside.groups import attendance as taking
from alongside.groups import services
from alongside.groups.models import Group, Registration, Session
from alongside.groups.tests.staff.conftest import make_group

pytestmark = pytest.mark.django_db


def _attendance_url(group, day):
    return reverse("groups:attendance", args=[group.pk, day])


def _post_attendance(client, group, day, people, **extra):
    body = {"walk_ins": "4", "summary": "Shared what helps.", "action": "save"}
    for person in people:
        body[f"status_{person.pk}"] = "present"
    body.update(extra)
    return client.post(_attendance_url(group, day), body)


@pytest.fixture
def registered(group, people, member, in_org):
    for person in people:
        services.registration_add(group=group, actor=member, participant=person)
    return people


def test_the_pages_of_a_group_open(sign_in, member, group, last_week, registered):
    client = sign_in(member)
    staff = client.get("/staff/")
    assert reverse("groups:list") in staff.content.decode()
    for url in [
        reverse("groups:list"),
        reverse("groups:create"),
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:edit", args=[group.pk]),
        reverse("groups:registration_add", args=[group.pk]),
        reverse("groups:session_cancel", args=[group.pk, last_week + timedelta(days=7)]),
        reverse("groups:session_move", args=[group.pk, last_week + timedelta(days=7)]),
        reverse("groups:checkin_sheet", args=[group.pk, last_week]),
        _attendance_url(group, last_week),
    ]:
        assert client.get(url).status_code == 200, url


def test_create_a_group_with_two_weekdays_on_the_page(sign_in, member, in_org):
    client = sign_in(member)
    answer = client.post(
        reverse("groups:create"),
        {
            "name": "Monday and Wednesday Circle (sample)",
            "slug": "mon-wed",
            "kind": "peer_support",
            "service_category": "education",
            "format": "in_person",
            "address": "1 Elm Street",
            "city": "Keene",
            "state": "NH",
            "language": "en",
            "timezone": "America/New_York",
            "is_open": "on",
            "active": "on",
            "facilitators": [str(member.pk)],
            "schedule-TOTAL_FORMS": "2",
            "schedule-INITIAL_FORMS": "0",
            "schedule-0-weekday": "0",
            "schedule-0-start_time": "18:00",
            "schedule-0-end_time": "19:00",
            "schedule-1-weekday": "2",
            "schedule-1-start_time": "18:00",
            "schedule-1-end_time": "19:00",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    group = Group.objects.get(slug="mon-wed")
    assert sorted(group.meeting_times.values_list("weekday", flat=True)) == [0, 2]


def test_attendance_on_the_page_makes_group_encounters(
    sign_in, member, group, last_week, registered
):
    client = sign_in(member)
    answer = _post_attendance(client, group, last_week, registered)
    assert answer.status_code == 302
    assert Encounter.objects.filter(type="group").count() == 3
    session = Session.objects.get(group=group, scheduled_date=last_week)
    assert session.walk_ins == 4
    _post_attendance(client, group, last_week, registered)
    assert Encounter.objects.filter(type="group").count() == 3


def test_a_note_naming_someone_else_comes_back_with_a_warning(
    sign_in, member, group, last_week, registered
):
    client = sign_in(member)
    note = {f"note_{registered[0].pk}": "Talked with Blake after."}
    warned = _post_attendance(client, group, last_week, registered, **note)
    assert warned.status_code == 400
    assert "Save anyway" in warned.content.decode()
    assert not Encounter.objects.exists()
    saved = _post_attendance(client, group, last_week, registered, action="confirm", **note)
    assert saved.status_code == 302
    assert Encounter.objects.filter(type="group").count() == 3


def test_add_a_participant_on_the_spot(sign_in, member, org, group, last_week, registered):
    newcomer = make_participant(org, member, name="Dana (sample)")
    client = sign_in(member)
    page = client.post(
        _attendance_url(group, last_week),
        {"add": str(newcomer.pk), "action": "add", "walk_ins": "0"},
    )
    assert page.status_code == 200
    assert "Dana (sample)" in page.content.decode()
    _post_attendance(client, group, last_week, [*registered, newcomer], added=[str(newcomer.pk)])
    assert Encounter.objects.filter(type="group", participant=newcomer).exists()


@pytest.mark.parametrize("count", [3, 20])
def test_the_attendance_page_asks_a_fixed_number_of_queries(
    count, sign_in, member, org, group, last_week, django_assert_max_num_queries, in_org
):
    people = [make_participant(org, member, name=f"Person {i} (sample)") for i in range(count)]
    for person in people:
        services.registration_add(group=group, actor=member, participant=person)
    session = services.session_get_or_create(group=group, scheduled_date=last_week, actor=member)
    taking.attendance_take(session=session, actor=member, present=people, walk_ins=1)
    client = sign_in(member)
    client.get(_attendance_url(group, last_week))
    with django_assert_max_num_queries(25):
        answer = client.get(_attendance_url(group, last_week))
    assert len(re.findall(r'value="present"[^>]*checked', answer.content.decode())) == count


def test_outsider_gets_404_on_every_page_that_takes_an_id(
    sign_in, outsider, member, org, group, last_week, registered, in_org
):
    registration = Registration.objects.first()
    client = sign_in(outsider)
    for url in [
        reverse("groups:detail", args=[group.pk]),
        reverse("groups:edit", args=[group.pk]),
        reverse("groups:registration_add", args=[group.pk]),
        reverse("groups:session_cancel", args=[group.pk, last_week]),
        reverse("groups:session_move", args=[group.pk, last_week]),
        reverse("groups:checkin_sheet", args=[group.pk, last_week]),
        _attendance_url(group, last_week),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("groups:registration_withdraw", args=[group.pk, registration.pk]),
        reverse("groups:session_reinstate", args=[group.pk, last_week]),
        _attendance_url(group, last_week),
    ]:
        assert client.post(url).status_code == 404, url


def test_another_organizations_participant_cannot_be_added(
    sign_in, member, group, last_week, other_org, outsider
):
    stranger = make_participant(other_org, outsider, name="Elsewhere Person (sample)")
    client = sign_in(member)
    answer = _post_attendance(client, group, last_week, [], added=[str(stranger.pk)])
    assert answer.status_code == 302
    assert not Encounter.objects.with_scopes_disabled().filter(participant=stranger).exists()


def test_a_date_the_group_does_not_meet_on_answers_404(sign_in, member, group, last_week):
    client = sign_in(member)
    assert client.get(_attendance_url(group, last_week + timedelta(days=1))).status_code == 404


def test_a_member_without_a_care_role_is_refused(sign_in, member_without_role, group):
    client = sign_in(member_without_role)
    assert client.get(reverse("groups:list")).status_code == 403
    assert client.get(reverse("groups:detail", args=[group.pk])).status_code == 403


def test_cancel_and_move_a_date_on_the_page(sign_in, member, group, last_week, in_org):
    client = sign_in(member)
    one, two = last_week + timedelta(days=7), last_week + timedelta(days=14)
    client.post(reverse("groups:session_cancel", args=[group.pk, one]), {"public_note": "Snow"})
    client.post(
        reverse("groups:session_move", args=[group.pk, two]),
        {"date": two.isoformat(), "start_time": "17:00", "end_time": "18:00"},
    )
    sessions = {s.scheduled_date: s for s in Session.objects.all()}
    assert sessions[one].cancelled and sessions[one].public_note == "Snow"
    assert sessions[two].start_time == time(17)
    page = client.get(reverse("groups:detail", args=[group.pk])).content.decode()
    assert "Cancelled" in page and "Snow" in page


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_of_groups_asks_a_fixed_number_of_queries(
    count, sign_in, member, org, django_assert_max_num_queries, in_org
):
    for number in range(count):
        group = make_group(org, member, slug=f"group-{number}")
        services.session_cancel(
            group=group, scheduled_date=timezone.localdate() + timedelta(days=7), actor=member
        )
    client = sign_in(member)
    client.get(reverse("groups:list"))
    with django_assert_max_num_queries(14):
        answer = client.get(reverse("groups:list"))
    assert answer.content.decode().count('class="card"') == count


def test_a_group_note_is_on_the_participant_s_record(sign_in, member, group, last_week, registered):
    client = sign_in(member)
    _post_attendance(client, group, last_week, registered)
    note = Encounter.objects.get(participant=registered[0])
    page = client.get(reverse("care:participant", args=[registered[0].pk])).content.decode()
    assert reverse("care:encounter", args=[registered[0].pk, note.pk]) in page
    assert note.get_type_display() in page
