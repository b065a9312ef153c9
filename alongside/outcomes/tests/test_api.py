"""The measures API: record, list with change, one-time links, 409 and 404."""

import pytest
from django.test import Client

from alongside.core.services import api_token_create
from alongside.core.tenancy import organization_scope
from alongside.outcomes.models import Administration

from .conftest import all_fives, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(member, org):
    token = api_token_create(user=member, organization=org)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(api, person, body, what="measures"):
    return api.post(
        f"/api/v1/participants/{person.pk}/{what}", body, content_type="application/json"
    )


def _measure(**extra):
    return {"instrument": "BARC-10", "answers": all_fives(), "completed_on": "2026-01-05", **extra}


def test_record_a_measure(api, barc, person):
    answer = _post(api, person, _measure(answers={**all_fives(), "10": 1}))
    assert answer.status_code == 201
    body = answer.json()
    assert body["total"] == 46 and body["complete"] is True and body["missing"] == []
    assert set(body) == {"id", "total", "complete", "missing"}


def test_missing_items_are_listed_and_no_total_is_made(api, barc, person):
    body = _post(api, person, _measure(answers={"1": 5, "2": None})).json()
    assert body["total"] is None and body["complete"] is False
    assert body["missing"] == [str(n) for n in range(2, 11)]


@pytest.mark.parametrize("value", [0, 7])
def test_a_value_out_of_range_answers_400_naming_the_item(api, barc, person, value):
    answer = _post(api, person, _measure(answers={**all_fives(), "3": value}))
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["3"]
    assert "Item 3" in answer.json()["errors"]["3"][0]


def test_an_unsuitable_measure_answers_409(api, barc, mh_person):
    assert _post(api, mh_person, _measure()).status_code == 409
    assert _post(api, mh_person, {"instrument": "BARC-10"}, "measure-links").status_code == 409


def test_the_list_has_totals_and_change(api, barc, person, member, in_org):
    record(person, barc, member, answers={str(n): 3 for n in range(1, 11)})
    _post(api, person, _measure(completed_on="2026-02-05"))
    rows = api.get(f"/api/v1/participants/{person.pk}/measures").json()
    assert [r["total"] for r in rows] == [30, 50]
    assert rows[1]["change_since_first"] == 20 and rows[1]["change_since_previous"] == 20
    assert rows[0]["change_since_first"] is None


def test_a_correction_through_the_api_keeps_both(api, barc, person, member, in_org):
    wrong = record(person, barc, member, answers={**all_fives(), "1": 1})
    assert _post(api, person, _measure(supersedes=str(wrong.pk))).status_code == 201
    rows = api.get(f"/api/v1/participants/{person.pk}/measures").json()
    assert [(r["total"], r["superseded"]) for r in rows] == [(46, True), (50, False)]


def test_a_one_time_link(api, barc, person):
    answer = _post(api, person, {"instrument": "BARC-10"}, "measure-links")
    assert answer.status_code == 201
    body = answer.json()
    assert "/measure/" in body["url"] and body["instrument"] == "BARC-10"
    assert Client().get(body["url"]).status_code == 200


def test_another_organization_s_participant_answers_404(api, barc, foreign_person):
    assert _post(api, foreign_person, _measure()).status_code == 404
    assert api.get(f"/api/v1/participants/{foreign_person.pk}/measures").status_code == 404
    links = _post(api, foreign_person, {"instrument": "BARC-10"}, "measure-links")
    assert links.status_code == 404


def test_another_organization_s_administration_answers_404(
    api, barc, person, foreign_person, outsider
):
    with organization_scope(foreign_person.organization):
        theirs = record(foreign_person, barc, outsider)
    url = f"/api/v1/participants/{person.pk}/measures/{theirs.pk}"
    assert api.get(url).status_code == 404
    assert _post(api, person, _measure(supersedes=str(theirs.pk))).status_code == 404
    with organization_scope(person.organization):
        assert not Administration.objects.exists()


def test_an_administration_cannot_be_changed_or_deleted(api, barc, person, member, in_org):
    kept = record(person, barc, member)
    url = f"/api/v1/participants/{person.pk}/measures/{kept.pk}"
    for method in (api.put, api.patch, api.delete):
        assert method(url, {}, content_type="application/json").status_code == 405
    kept.refresh_from_db()
    assert kept.total == 50
