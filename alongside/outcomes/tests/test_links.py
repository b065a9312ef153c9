"""One-time links: the person fills in on their own phone, with no account and no cookie."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.outcomes import services
from alongside.outcomes.models import Administration, LinkKind, MeasureLink

from .conftest import all_fives, record

pytestmark = pytest.mark.django_db


def _link(person, member, barc, kind=LinkKind.FILL, now=None):
    _link, token = services.measure_link_create(
        participant=person, actor=member, kind=kind, instrument=barc, now=now
    )
    return reverse("measure:page", args=[token])


def _answers(values):
    return {f"item_{key}": value for key, value in values.items()}


def test_the_page_sets_no_cookie_before_submit_and_says_who_sees(barc, person, member, in_org):
    client = Client()
    page = client.get(_link(person, member, barc))
    body = page.content.decode()
    assert page.status_code == 200
    assert "There are more important things to me in life" in body
    assert "Granite Peer Support (test)" in body and "will see them" in body
    assert "Riley" not in body  # the link may be forwarded: no name on the page
    assert not page.cookies and not client.cookies
    assert "csrfmiddlewaretoken" not in body and "<script" not in body.split("</head>")[1]


def test_the_answers_are_recorded_and_the_link_is_used_up(barc, person, member, in_org):
    url = _link(person, member, barc)
    client = Client()
    answer = client.post(url, _answers(all_fives()))
    assert answer.status_code == 200 and "50" in answer.content.decode()
    assert not answer.cookies and not client.cookies
    administration = Administration.objects.get()
    assert administration.total == 50 and administration.via == "link"
    assert administration.entered_by is None
    again = Client().get(url)
    assert again.status_code == 410
    assert Client().post(url, _answers(all_fives())).status_code == 410
    assert Administration.objects.count() == 1


def test_the_link_expires_after_seven_days(barc, person, member, in_org):
    url = _link(person, member, barc, now=timezone.now() - datetime.timedelta(days=7, minutes=1))
    assert Client().get(url).status_code == 410
    fresh = _link(person, member, barc, now=timezone.now() - datetime.timedelta(days=6))
    assert Client().get(fresh).status_code == 200


def test_an_unknown_token_is_closed():
    assert Client().get(reverse("measure:page", args=["not-a-token"])).status_code == 410


def test_a_value_out_of_range_is_refused_naming_the_item(barc, person, member, in_org):
    url = _link(person, member, barc)
    answer = Client().post(url, _answers({**all_fives(), "2": "7"}))
    assert answer.status_code == 400
    assert "Item 2 takes 1 to 6" in answer.content.decode()
    assert not Administration.objects.exists()
    assert Client().get(url).status_code == 200  # still open: nothing was recorded


def test_skipped_items_are_listed_and_no_total_is_made(barc, person, member, in_org):
    answers = all_fives()
    del answers["5"]
    answer = Client().post(_link(person, member, barc), _answers(answers))
    assert "no total" in answer.content.decode()
    assert Administration.objects.get().missing == ["5"]


def test_i_d_rather_not_from_the_phone(barc, person, member, in_org):
    Client().post(_link(person, member, barc), {"declined": "on"})
    assert Administration.objects.get().declined


def test_no_link_for_a_measure_that_does_not_suit(barc, mh_person, member, in_org):
    with pytest.raises(services.Unsuitable):
        _link(mh_person, member, barc)
    assert not MeasureLink.objects.exists()


def test_the_token_is_kept_only_as_a_digest(barc, person, member, in_org):
    token = _link(person, member, barc).rstrip("/").split("/")[-1]
    assert token not in MeasureLink.objects.get().digest


def test_my_progress_shows_the_chart_once_and_is_audited(barc, person, member, in_org):
    record(person, barc, member)
    url = _link(person, member, None, kind=LinkKind.PROGRESS)
    client = Client()
    # Opening the link (as a messaging app does to draw a preview) only offers the button.
    for _ in range(2):
        offer = client.get(url)
        assert offer.status_code == 200 and "<svg" not in offer.content.decode()
        assert f'action="{url}"' in offer.content.decode()
    page = client.post(url)
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and 'data-total="50"' in body
    assert not client.cookies
    assert AuditEvent.objects.filter(
        object_type="outcomes.my_progress", participant_id=str(person.pk)
    ).exists()
    assert Client().post(url).status_code == 410


def test_the_staff_link_page_shows_a_qr_code(sign_in, barc, person, member):
    page = sign_in(member).post(
        reverse("outcomes:link_create", args=[person.pk]),
        {"kind": "fill", "instrument": "BARC-10"},
    )
    body = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in body
    url = re.search(r'value="(http[^"]+/measure/[^"]+)"', body)
    assert url and Client().get(url.group(1)).status_code == 200
