"""Staff pages: the chart and its table on the participant's page, filling in together, the
focus refusal, corrections, the program's counts, and another organization's ids."""

import datetime
import re

import pytest
from django.urls import reverse

from alongside.care import services as care_services
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope
from alongside.outcomes.models import Administration

from .conftest import all_fives, make_participant, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(barc, person, member, in_org):
    """Three totals over a year and a goal set between them."""
    for day, values in ((datetime.date(2025, 3, 1), 3), (datetime.date(2025, 9, 1), 4)):
        record(person, barc, member, answers={str(n): values for n in range(1, 11)}, day=day)
    record(person, barc, member, answers={**all_fives(), "1": 1}, day=datetime.date(2026, 2, 1))
    care_services.goal_create(
        participant=person, actor=member,
        data={"text": "Back to the climbing gym", "service_category": "education"},
    )  # fmt: skip
    return person


def test_the_chart_and_its_table_carry_the_same_numbers(sign_in, member, history):
    body = sign_in(member).get(reverse("care:participant", args=[history.pk])).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    chart = re.findall(r'class="point"[^>]*data-day="([\d-]+)" data-total="(\d+)"', svg)
    table = re.findall(r'<tr data-day="([\d-]+)" data-total="(\d+)"><td>[^<]+</td><td>(\d+)', body)
    assert chart == [(day, total) for day, total, _cell in table]
    assert [int(total) for _day, total in chart] == [30, 40, 46]
    assert all(total == cell for _day, total, cell in table)
    assert 'class="reference"' in svg and 'data-value="47"' in svg
    assert "goal goal--set" in svg and "Back to the climbing gym" in body
    assert "Change since the first time: +16. Since the time before: +6." in body


def test_no_chart_library_is_loaded(sign_in, member, history):
    body = sign_in(member).get(reverse("outcomes:measures", args=[history.pk])).content.decode()
    assert not re.search(r'<script[^>]+src="https?://', body)


def test_filling_in_together(sign_in, barc, person, member):
    url = reverse("outcomes:administer", args=[person.pk, "BARC-10"])
    data = {f"item_{k}": v for k, v in all_fives().items()} | {"completed_on": "2026-01-05"}
    answer = sign_in(member).post(url, data)
    assert answer.status_code == 302
    with organization_scope(person.organization):
        assert Administration.objects.get().total == 50


def test_a_value_out_of_range_on_the_staff_page_names_the_item(sign_in, barc, person, member):
    url = reverse("outcomes:administer", args=[person.pk, "BARC-10"])
    data = {f"item_{k}": v for k, v in all_fives().items()} | {"completed_on": "2026-01-05"}
    answer = sign_in(member).post(url, {**data, "item_9": "0"})
    assert answer.status_code == 400 and "Item 9 takes 1 to 6" in answer.content.decode()


def test_offering_an_unsuitable_measure_answers_409(sign_in, barc, mh_person, member):
    client = sign_in(member)
    page = client.get(reverse("outcomes:administer", args=[mh_person.pk, "BARC-10"]))
    assert page.status_code == 409 and "does not suit" in page.content.decode()
    link = client.post(
        reverse("outcomes:link_create", args=[mh_person.pk]),
        {"kind": "fill", "instrument": "BARC-10"},
    )
    assert link.status_code == 409


def test_a_correction_from_the_page_keeps_both(sign_in, barc, person, member, in_org):
    wrong = record(person, barc, member, answers={**all_fives(), "3": 1})
    url = reverse("outcomes:administer", args=[person.pk, "BARC-10"]) + f"?corrects={wrong.pk}"
    data = {f"item_{k}": v for k, v in all_fives().items()} | {"completed_on": "2026-01-05"}
    assert sign_in(member).post(url, data).status_code == 302
    assert Administration.objects.count() == 2
    assert Administration.objects.get(supersedes=wrong).total == 50


def test_the_program_view_counts_and_averages_without_ranking(sign_in, supervisor, history):
    page = sign_in(supervisor).get(reverse("outcomes:program") + "?start=2025-01-01&end=2026-03-01")
    body = page.content.decode()
    row = re.search(r"<td>BARC-10</td><td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td>", body)
    assert row and row.groups() == ("1", "1", "+16.0")
    assert "bob" not in body and "Riley" not in body


def test_the_program_view_is_for_supervisors(sign_in, member):
    assert sign_in(member).get(reverse("outcomes:program")).status_code == 403


def test_the_measures_page_keeps_its_queries(
    sign_in, member, history, django_assert_max_num_queries
):
    client = sign_in(member)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("outcomes:measures", args=[history.pk])).status_code == 200


def test_outsider_gets_404_on_every_page_that_takes_an_id(sign_in, outsider, barc, history):
    with organization_scope(history.organization):
        administration = Administration.objects.first()
    client = sign_in(outsider)
    for url in (
        reverse("outcomes:measures", args=[history.pk]),
        reverse("outcomes:administer", args=[history.pk, "BARC-10"]),
        reverse("outcomes:administration", args=[history.pk, administration.pk]),
    ):
        assert client.get(url).status_code == 404, url
    link = reverse("outcomes:link_create", args=[history.pk])
    assert client.post(link, {"kind": "progress"}).status_code == 404


def test_an_administration_of_another_person_answers_404(sign_in, member, barc, history, org):
    with organization_scope(org):
        administration = Administration.objects.first()
    other = make_participant(org, member, name="Sky (sample)", focus="substance_use")
    url = reverse("outcomes:administration", args=[other.pk, administration.pk])
    assert sign_in(member).get(url).status_code == 404


@pytest.fixture
def supervisor(make_user, org):
    return make_user("sue", org, [Role.SUPERVISOR, Role.PEER_SPECIALIST])
