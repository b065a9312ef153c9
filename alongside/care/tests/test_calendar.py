"""The calendar page, appointment changes, dashboard reminders and the iCalendar feed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.care import ical, services
from alongside.care.models import Appointment, CalendarFeed
from alongside.core.models import AuditEvent
from alongside.core.roles import Role

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")

MONDAY = datetime.date(2026, 3, 2)


def _book(participant, actor, start, **extra):
    return services.appointment_create(
        participant=participant,
        actor=actor,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place=extra.pop("place", "Office, room 2"),
        **extra,
    )


def _at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), timezone.get_current_timezone())


def _form(day="2026-03-04", **extra):
    return {
        "date": day,
        "start_time": "10:00",
        "end_time": "11:00",
        "place": "Library, Main St",
        "transportation": "needs_ride",
        "transportation_arranged_by": "",
        "transportation_note": "Sister drives, pick-up 9:30",
        **extra,
    }


def _feed_token(client):
    response = client.post(reverse("care:calendar_feed_manage"), {"action": "reset"})
    url = response.context["feed_url"]
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def _unfold(body):
    return body.replace("\r\n ", "").split("\r\n")


def test_week_lists_only_days_with_appointments(sign_in, member, participant):
    _book(participant, member, _at(MONDAY + datetime.timedelta(days=2), 10))
    response = sign_in(member).get(reverse("care:calendar") + "?week=2026-03-05")
    week = response.context["week"]
    assert week.start == MONDAY
    assert [d.day for d in week.days] == [MONDAY + datetime.timedelta(days=2)]
    assert b"Jordan (sample)" in response.content


def test_supervisor_sees_a_specialists_calendar(sign_in, supervisor, member, participant):
    _book(participant, member, _at(MONDAY, 10))
    url = reverse("care:calendar") + f"?week=2026-03-02&specialist={member.pk}"
    response = sign_in(supervisor).get(url)
    assert response.status_code == 200
    assert len(response.context["week"].days) == 1


def test_specialist_cannot_open_someone_elses_calendar(sign_in, member, supervisor):
    url = reverse("care:calendar") + f"?specialist={supervisor.pk}"
    assert sign_in(member).get(url).status_code == 404


def test_outsider_cannot_open_a_specialist_calendar(sign_in, outsider, member):
    url = reverse("care:calendar") + f"?specialist={member.pk}"
    assert sign_in(outsider).get(url).status_code == 404


def test_book_with_transportation_then_change_and_cancel(sign_in, member, participant):
    client = sign_in(member)
    response = client.post(
        reverse("care:appointment_create", args=[participant.pk]),
        _form(specialist=member.pk, transportation_arranged_by=member.pk),
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(participant=participant)
    assert appointment.transportation_arranged_by == member
    assert appointment.transportation_note == "Sister drives, pick-up 9:30"

    edit = reverse("care:appointment_edit", args=[participant.pk, appointment.pk])
    client.post(edit, _form(specialist=member.pk, place="Office", transportation="bus_pass"))
    appointment.refresh_from_db()
    assert (appointment.place, appointment.transportation) == ("Office", "bus_pass")
    assert appointment.transportation_arranged_by is None

    client.post(reverse("care:appointment_cancel", args=[participant.pk, appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.cancelled_at is not None
    assert client.get(edit).status_code == 404


def test_specialist_must_be_care_staff(sign_in, member, billing_user, participant):
    response = sign_in(member).post(
        reverse("care:appointment_create", args=[participant.pk]),
        _form(specialist=billing_user.pk),
    )
    assert response.status_code == 400
    assert "specialist" in response.context["form"].errors


def test_dashboard_reminds_of_the_next_24_hours(sign_in, member, participant):
    now = timezone.now()
    soon = _book(participant, member, now + datetime.timedelta(hours=20), transportation="bus_pass")
    _book(participant, member, now + datetime.timedelta(hours=30))
    response = sign_in(member).get(reverse("care:dashboard"))
    assert list(response.context["d"].reminders) == [soon]
    assert b"not arranged yet" in response.content


# --- The feed -----------------------------------------------------------------------------


def test_wrong_token_is_404(client, sign_in, member):
    _feed_token(sign_in(member))
    assert client.get(reverse("care:calendar_feed", args=["not-the-token"])).status_code == 404


def test_feed_has_times_and_places_but_no_participant_data(client, sign_in, member, participant):
    start = datetime.datetime(2099, 1, 5, 15, 30, tzinfo=datetime.UTC)
    booked = _book(participant, member, start, place="Library, Main St; room 2")
    cancelled = _book(participant, member, start + datetime.timedelta(days=1))
    services.appointment_cancel(appointment=cancelled, actor=member)
    token = _feed_token(sign_in(member))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("alongside.care.selectors.FEED_FUTURE", datetime.timedelta(days=40000))
        response = client.get(reverse("care:calendar_feed", args=[token]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = _unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert f"UID:{booked.pk}@alongside" in lines
    assert "DTSTART:20990105T153000Z" in lines
    assert "DTEND:20990105T163000Z" in lines
    assert "SUMMARY:Appointment (Alongside)" in lines
    assert "LOCATION:Library\\, Main St\\; room 2" in lines
    assert lines.count("STATUS:CANCELLED") == 1
    assert sum(line.startswith("DTSTAMP:") for line in lines) == 2
    for private in ("Jordan", "555-0142", str(participant.pk)):
        assert private not in body


def test_feed_access_is_audited_without_participant(client, sign_in, member):
    token = _feed_token(sign_in(member))
    client.get(reverse("care:calendar_feed", args=[token]))
    event = AuditEvent.objects.filter(object_type="care.calendar_feed").last()
    assert event is not None
    assert event.actor == member
    assert event.participant_id == ""


def test_token_is_stored_hashed_and_reset_replaces_it(client, sign_in, member):
    specialist = sign_in(member)
    old = _feed_token(specialist)
    feed = CalendarFeed.objects.get(user=member)
    assert old not in feed.token_digest
    new = _feed_token(specialist)
    assert client.get(reverse("care:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("care:calendar_feed", args=[new])).status_code == 200
    specialist.post(reverse("care:calendar_feed_manage"), {"action": "off"})
    assert client.get(reverse("care:calendar_feed", args=[new])).status_code == 404


def test_feed_stops_when_the_role_is_taken_away(client, sign_in, member, org):
    token = _feed_token(sign_in(member))
    membership = member.memberships.get(organization=org)
    membership.roles = [Role.BILLING]
    membership.save()
    assert client.get(reverse("care:calendar_feed", args=[token])).status_code == 404


# --- The writer ---------------------------------------------------------------------------


def test_folding_keeps_characters_whole_and_lines_short():
    line = "SUMMARY:" + "é" * 100
    folded = ical.fold(line)
    assert all(len(piece.encode()) <= 75 for piece in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_text_escaping():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
