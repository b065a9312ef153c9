"""Race and ethnicity with several answers; housing and work with their dates (issue 19)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.care import selectors, services
from alongside.care.models import EmploymentStatus, HousingStatus
from alongside.core.services import api_token_create

from .conftest import TODAY

pytestmark = pytest.mark.usefixtures("in_org")

PREFER_NOT_ALONE = "cannot go with other answers"


def _api(user, organization):
    token = api_token_create(user=user, organization=organization)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method, path, body=None):
        client = Client()
        if method == "get":
            return client.get(f"/api/v1{path}", **headers)
        return getattr(client, method)(
            f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers
        )

    return call


def _details(participant, **changes):
    return {"preferred_name": participant.preferred_name, "focus": participant.focus, **changes}


# --- Race and ethnicity ------------------------------------------------------------------


def test_the_form_keeps_every_answer_in_the_questions_order(sign_in, member, participant):
    url = reverse("care:participant_edit", args=[participant.pk])
    response = sign_in(member).post(
        url, _details(participant, race_ethnicity=["white", "middle_eastern_north_african"])
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.race_ethnicity == ["middle_eastern_north_african", "white"]


def test_the_form_refuses_prefer_not_to_say_with_another_answer(sign_in, member, participant):
    url = reverse("care:participant_edit", args=[participant.pk])
    response = sign_in(member).post(
        url, _details(participant, race_ethnicity=["prefer_not_to_say", "asian"])
    )
    assert response.status_code == 400
    assert PREFER_NOT_ALONE in str(response.context["form"].errors["race_ethnicity"])
    participant.refresh_from_db()
    assert participant.race_ethnicity == []


def test_the_form_shows_the_question_as_checkboxes_in_a_fieldset(sign_in, member, participant):
    page = sign_in(member).get(reverse("care:participant_edit", args=[participant.pk]))
    html = page.content.decode()
    assert "<legend>Race and ethnicity" in html
    assert 'type="checkbox" name="race_ethnicity" value="middle_eastern_north_african"' in html


def test_prefer_not_to_say_alone_is_kept(member, participant):
    services.participant_update(
        participant=participant, actor=member, data={"race_ethnicity": ["prefer_not_to_say"]}
    )
    participant.refresh_from_db()
    assert participant.race_ethnicity_labels == ["Prefer not to say"]


def test_the_api_takes_and_returns_a_list(member, org, participant):
    api = _api(member, org)
    response = api(
        "patch", f"/participants/{participant.pk}", {"race_ethnicity": ["white", "black"]}
    )
    assert response.status_code == 200
    assert response.json()["race_ethnicity"] == ["black", "white"]
    assert api("get", f"/participants/{participant.pk}").json()["race_ethnicity"] == [
        "black",
        "white",
    ]


def test_the_api_refuses_prefer_not_to_say_with_another_answer(member, org, participant):
    api = _api(member, org)
    response = api(
        "patch",
        f"/participants/{participant.pk}",
        {"race_ethnicity": ["prefer_not_to_say", "white"]},
    )
    assert response.status_code == 400
    assert PREFER_NOT_ALONE in " ".join(response.json()["errors"]["race_ethnicity"])


def test_the_api_refuses_an_old_single_value(member, org, participant):
    api = _api(member, org)
    response = api("patch", f"/participants/{participant.pk}", {"race_ethnicity": "white"})
    assert response.status_code == 400


def test_the_participant_page_shows_the_answers(sign_in, member, participant):
    services.participant_update(
        participant=participant, actor=member, data={"race_ethnicity": ["asian", "white"]}
    )
    page = sign_in(member).get(reverse("care:participant", args=[participant.pk]))
    assert "Asian, White" in page.content.decode()


# --- Housing and work --------------------------------------------------------------------


def _housing(participant, member, status, since):
    return services.housing_status_record(
        participant=participant, actor=member, data={"status": status, "since": since}
    )


def test_housing_on_a_day_is_the_latest_that_had_started(member, participant):
    _housing(participant, member, "shelter", datetime.date(2025, 1, 10))
    _housing(participant, member, "recovery_housing", datetime.date(2025, 6, 1))
    assert selectors.housing_on(participant, datetime.date(2025, 1, 9)) is None
    assert selectors.housing_on(participant, datetime.date(2025, 5, 31)).status == "shelter"
    assert selectors.housing_on(participant, datetime.date(2025, 6, 1)).status == (
        "recovery_housing"
    )


def test_a_change_recorded_late_still_sits_at_its_date(member, participant):
    _housing(participant, member, "home", datetime.date(2025, 9, 1))
    _housing(participant, member, "family_friends", datetime.date(2025, 3, 1))  # noted later
    assert selectors.housing_on(participant, datetime.date(2025, 10, 1)).status == "home"
    assert selectors.housing_on(participant, datetime.date(2025, 4, 1)).status == ("family_friends")


def test_employment_on_a_day(member, participant):
    for status, since in (("looking", "2025-01-01"), ("part_time", "2025-08-15")):
        services.employment_status_record(
            participant=participant,
            actor=member,
            data={"status": status, "since": datetime.date.fromisoformat(since)},
        )
    assert selectors.employment_on(participant, datetime.date(2025, 8, 14)).status == "looking"
    assert selectors.employment_on(participant, datetime.date(2026, 1, 1)).status == "part_time"


def test_a_status_cannot_start_in_the_future(member, participant):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        _housing(participant, member, "home", tomorrow)
    assert "since" in raised.value.message_dict
    assert not HousingStatus.objects.exists()


def test_the_page_records_housing_and_shows_current_and_history(sign_in, member, participant):
    client = sign_in(member)
    url = reverse("care:status_record", args=[participant.pk, "housing"])
    client.post(url, {"status": "shelter", "since": "2025-02-01"})
    response = client.post(url, {"status": "home", "since": "2025-07-01"})
    assert response.status_code == 302
    assert response["Location"].endswith("#circumstances")
    page = client.get(reverse("care:participant", args=[participant.pk])).content.decode()
    assert "Own or rented home" in page
    assert "Housing from Feb 1, 2025: Shelter" in page


def test_the_page_records_work(sign_in, member, participant):
    url = reverse("care:status_record", args=[participant.pk, "employment"])
    sign_in(member).post(url, {"status": "student", "since": "2025-09-01"})
    assert EmploymentStatus.objects.get(participant=participant).status == "student"


def test_the_page_names_a_future_date(sign_in, member, participant):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("care:status_record", args=[participant.pk, "employment"])
    response = sign_in(member).post(url, {"status": "student", "since": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "since" in response.context["form"].errors
    assert not EmploymentStatus.objects.exists()


def test_an_unknown_history_answers_404(sign_in, member, participant):
    url = reverse("care:status_record", args=[participant.pk, "hobbies"])
    assert sign_in(member).get(url).status_code == 404


def test_the_api_records_and_lists_housing_and_work(member, org, participant):
    api = _api(member, org)
    base = f"/participants/{participant.pk}"
    created = api("post", f"{base}/housing", {"status": "shelter", "since": "2025-02-01"})
    assert created.status_code == 201
    api("post", f"{base}/employment", {"status": "retired", "since": "2024-12-31"})
    detail = api("get", f"/participants/{participant.pk}").json()
    assert [h["status"] for h in detail["housing"]] == ["shelter"]
    assert detail["employment"][0] == {
        "id": detail["employment"][0]["id"],
        "status": "retired",
        "since": "2024-12-31",
    }
    listed = api("get", f"/participants/{participant.pk}/housing").json()
    assert listed[0]["since"] == "2025-02-01"


def test_the_api_refuses_a_future_since(member, org, participant):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _api(member, org)(
        "post",
        f"/participants/{participant.pk}/housing",
        {"status": "home", "since": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "since" in response.json()["errors"]


# --- Another organization -----------------------------------------------------------------


def test_outsider_gets_404_on_every_new_page(sign_in, outsider, participant):
    client = sign_in(outsider)
    for kind in ("housing", "employment"):
        url = reverse("care:status_record", args=[participant.pk, kind])
        assert client.get(url).status_code == 404
        body = {"status": "prefer_not_to_say", "since": TODAY.isoformat()}
        assert client.post(url, body).status_code == 404
    assert not HousingStatus.objects.exists()


def test_outsider_gets_404_on_every_new_endpoint(outsider, other_org, participant):
    api = _api(outsider, other_org)
    for kind in ("housing", "employment"):
        path = f"/participants/{participant.pk}/{kind}"
        assert api("get", path).status_code == 404
        body = {"status": "prefer_not_to_say", "since": "2025-01-01"}
        assert api("post", path, body).status_code == 404
