"""Walk-in check-in: a QR code per session, "I'm here" with no name and no cookie, counted only
while the session is on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.groups import attendance as taking
from alongside.groups import services
from alongside.groups.checkin import checkin_token, tap_proof

pytestmark = pytest.mark.django_db


def _url(session):
    return reverse("checkin:page", args=[checkin_token(session)])


def _tap(client, session):
    page = client.get(_url(session)).content.decode()
    proof = re.search(r'name="proof" value="([^"]+)"', page)
    return client.post(_url(session), {"proof": proof.group(1) if proof else ""})


def test_check_in_is_open_from_a_little_before_the_start_to_the_end(session):
    starts = taking.session_starts_at(session)
    ends = taking.session_ends_at(session)
    assert not taking.checkin_open(session, starts - timedelta(minutes=31))
    assert taking.checkin_open(session, starts - timedelta(minutes=29))
    assert taking.checkin_open(session, ends)
    assert not taking.checkin_open(session, ends + timedelta(seconds=1))


def test_a_walk_in_is_counted_during_the_session_with_no_cookie(tonight, in_org):
    client = Client()
    page = client.get(_url(tonight))
    assert page.status_code == 200 and "I'm here" in page.content.decode()
    answer = _tap(client, tonight)
    assert answer.status_code == 200
    assert not page.cookies and not answer.cookies
    assert not client.cookies
    tonight.refresh_from_db()
    assert tonight.walk_ins == 1


def test_a_walk_in_outside_the_session_is_not_counted(session, in_org):
    client = Client()
    page = client.get(_url(session)).content.decode()
    assert "Check-in is open only during the meeting" in page
    assert 'name="proof"' not in page
    answer = client.post(_url(session), {"proof": tap_proof(session)})
    assert answer.status_code == 409
    session.refresh_from_db()
    assert session.walk_ins == 0


def test_a_cancelled_session_takes_no_walk_ins(tonight, member, in_org):
    services.session_cancel(
        group=tonight.group, scheduled_date=tonight.scheduled_date, actor=member
    )
    tonight.refresh_from_db()
    assert "cancelled" in Client().get(_url(tonight)).content.decode()
    assert not taking.session_walk_in_add(session=tonight)


def test_a_tap_without_the_page_s_proof_is_refused(tonight, in_org):
    answer = Client().post(_url(tonight), {"proof": "forged"})
    assert answer.status_code == 400
    tonight.refresh_from_db()
    assert tonight.walk_ins == 0


def test_a_bad_token_answers_404():
    assert Client().get(reverse("checkin:page", args=["not-a-token"])).status_code == 404


def test_the_count_is_audited_without_a_person(tonight, in_org):
    _tap(Client(), tonight)
    event = AuditEvent.objects.filter(object_id=str(tonight.pk)).latest("id")
    assert event.actor_id is None


def test_the_printable_sheet_holds_the_qr_code_of_the_check_in_page(
    sign_in, member, group, last_week
):
    page = sign_in(member).get(reverse("groups:checkin_sheet", args=[group.pk, last_week]))
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body
    assert "/checkin/" in body
