"""Care records v2 for notes: words are never lost, and authorship is protected.

Only the author edits and signs a note; signing signs what was on screen; drafts save as they
are typed; a supervisor returns a draft with a comment or co-signs; future dates are refused and
an encounter may cross midnight; attempted and collateral contacts are counted apart.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alongside.care import selectors, services
from alongside.care.models import Encounter
from alongside.core.models import AuditEvent
from alongside.core.services import api_token_create

from .conftest import TODAY
from .test_api import Api

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")

FORM = {
    "type": "phone",
    "contact": "person",
    "date": "2026-03-02",
    "start_time": "10:00",
    "end_time": "10:40",
    "service_categories": ["planning"],
}

NOTE = {
    "type": "phone",
    "date": TODAY,
    "start_time": datetime.time(9),
    "end_time": datetime.time(9, 30),
    "service_categories": ["planning"],
    "worked_on": "x",
}


def _note_url(name, encounter):
    return reverse(f"care:{name}", args=[encounter.participant_id, encounter.pk])


def _signed(encounter, member):
    return services.encounter_sign(encounter=encounter, actor=member)


# --- Only the author edits and signs ------------------------------------------------------


def test_only_the_author_edits_a_draft(encounter, supervisor):
    with pytest.raises(services.NotTheAuthorError):
        services.encounter_update(encounter=encounter, actor=supervisor, data={"worked_on": "x"})
    encounter.refresh_from_db()
    assert encounter.worked_on == "Looked at bus routes to the new job"


def test_a_supervisor_reads_a_draft_without_a_form_or_sign_button(sign_in, supervisor, encounter):
    page = sign_in(supervisor).get(_note_url("encounter", encounter)).content.decode()
    assert "Looked at bus routes to the new job" in page
    assert "Only bob, who wrote this note, can change or sign it." in page
    assert "Sign…" not in page and 'name="worked_on"' not in page
    assert "Return to the author" in page


def test_a_supervisors_post_to_a_draft_changes_nothing(sign_in, supervisor, encounter):
    client = sign_in(supervisor)
    client.post(_note_url("encounter", encounter), {**FORM, "worked_on": "rewritten"})
    client.post(_note_url("encounter_sign", encounter), {"digest": services.note_digest(encounter)})
    encounter.refresh_from_db()
    assert encounter.worked_on == "Looked at bus routes to the new job"
    assert not encounter.is_signed


# --- Sign what is on screen ---------------------------------------------------------------


def test_sign_saves_what_is_on_screen_and_confirms_exactly_that(sign_in, member, encounter):
    client = sign_in(member)
    typed = {**FORM, "worked_on": "Typed just now, never saved", "sign": "1"}
    response = client.post(_note_url("encounter", encounter), typed)
    assert response["Location"] == _note_url("encounter_sign", encounter)
    confirm = client.get(response["Location"])
    assert "Typed just now, never saved" in confirm.content.decode()
    client.post(response["Location"], {"digest": confirm.context["digest"]})
    encounter.refresh_from_db()
    assert encounter.is_signed
    assert encounter.worked_on == "Typed just now, never saved"


def test_a_note_changed_after_confirmation_is_not_signed(sign_in, member, encounter):
    client = sign_in(member)
    digest = client.get(_note_url("encounter_sign", encounter)).context["digest"]
    services.encounter_update(encounter=encounter, actor=member, data={"worked_on": "Later"})
    response = client.post(_note_url("encounter_sign", encounter), {"digest": digest})
    assert response.status_code == 409
    assert "Later" in response.content.decode()
    encounter.refresh_from_db()
    assert not encounter.is_signed


def test_signing_an_empty_note_keeps_what_was_typed(sign_in, member, encounter):
    services.encounter_update(
        encounter=encounter, actor=member, data={"worked_on": "", "response": "", "next_steps": ""}
    )
    client = sign_in(member)
    typed = {**FORM, "setting": "Library on Main St", "sign": "1"}
    response = client.post(_note_url("encounter", encounter), typed)
    assert response.status_code == 400
    assert "worked_on" in response.context["form"].errors
    assert "What you typed is saved as a draft." in response.content.decode()
    encounter.refresh_from_db()
    assert encounter.setting == "Library on Main St"
    assert not encounter.is_signed


def test_a_new_note_signed_at_once_goes_to_the_confirmation(sign_in, member, participant):
    client = sign_in(member)
    new = reverse("care:encounter_create", args=[participant.pk])
    response = client.post(new, {**FORM, "worked_on": "First words", "sign": "1"})
    encounter = Encounter.objects.get(participant=participant)
    assert response["Location"] == _note_url("encounter_sign", encounter)


# --- Autosave -----------------------------------------------------------------------------


def test_autosave_saves_the_draft_and_says_when(sign_in, member, encounter):
    client = sign_in(member)
    response = client.post(
        _note_url("encounter_autosave", encounter),
        {**FORM, "worked_on": "Saved as typed"},
        HTTP_HX_REQUEST="true",
    )
    assert "Draft saved at" in response.content.decode()
    encounter.refresh_from_db()
    assert encounter.worked_on == "Saved as typed"


def test_autosave_keeps_the_words_while_a_time_is_unfinished(sign_in, member, encounter):
    client = sign_in(member)
    unfinished = {**FORM, "end_time": "", "worked_on": "Words first"}
    response = client.post(_note_url("encounter_autosave", encounter), unfinished)
    assert "Some fields need a look" in response.content.decode()
    encounter.refresh_from_db()
    assert (encounter.worked_on, encounter.end_time) == ("Words first", datetime.time(10, 40))


def test_a_new_note_autosaves_then_its_submit_changes_that_note(sign_in, member, participant):
    client = sign_in(member)
    page = client.get(reverse("care:encounter_create", args=[participant.pk]))
    typed = {**FORM, "draft": str(page.context["note_id"]), "worked_on": "First words"}
    autosave = reverse("care:encounter_autosave_new", args=[participant.pk])
    assert "Draft saved at" in client.post(autosave, typed).content.decode()
    client.post(autosave, {**typed, "worked_on": "More words"})
    client.post(reverse("care:encounter_create", args=[participant.pk]), typed)
    assert [e.worked_on for e in Encounter.objects.filter(participant=participant)] == [
        "First words"
    ]


def test_a_new_note_autosaves_nothing_until_the_form_is_complete(sign_in, member, participant):
    unfinished = {"draft": "", "worked_on": "Early words"}
    response = sign_in(member).post(
        reverse("care:encounter_autosave_new", args=[participant.pk]), unfinished
    )
    assert "Saving as you type starts" in response.content.decode()
    assert not Encounter.objects.exists()


def test_only_the_author_autosaves(sign_in, supervisor, encounter):
    response = sign_in(supervisor).post(
        _note_url("encounter_autosave", encounter), {**FORM, "worked_on": "Not mine"}
    )
    assert response.status_code == 403
    encounter.refresh_from_db()
    assert encounter.worked_on == "Looked at bus routes to the new job"


# --- Return with a comment, co-sign -------------------------------------------------------


def test_a_supervisor_returns_a_draft_and_the_author_sees_the_comment(
    sign_in, member, supervisor, encounter
):
    sign_in(supervisor).post(
        _note_url("encounter_return", encounter), {"comment": "Add what the next step is."}
    )
    encounter.refresh_from_db()
    assert (encounter.returned_by, encounter.return_comment) == (
        supervisor,
        "Add what the next step is.",
    )
    client = sign_in(member)
    assert (
        "Add what the next step is."
        in client.get(_note_url("encounter", encounter)).content.decode()
    )
    assert "Returned with a comment" in client.get(reverse("care:dashboard")).content.decode()
    # The trail names the field, never the comment's words.
    events = [e for e in AuditEvent.objects.all() if "return_comment" in e.changed_fields]
    assert events and "next step" not in str(events[0].__dict__)


def test_a_specialist_cannot_return_or_cosign(sign_in, make_user, org, member, encounter):
    from alongside.core.roles import Role

    peer = make_user("pat", org, [Role.PEER_SPECIALIST])
    client = sign_in(peer)
    assert (
        client.post(_note_url("encounter_return", encounter), {"comment": "x"}).status_code == 403
    )
    with pytest.raises(ValidationError):
        services.encounter_return(encounter=encounter, actor=peer, comment="x")
    _signed(encounter, member)
    assert client.post(_note_url("encounter_cosign", encounter)).status_code == 403


def test_no_one_reviews_their_own_note(supervisor, participant):
    note = services.encounter_create(
        participant=participant,
        actor=supervisor,
        data=NOTE,
    )
    with pytest.raises(ValidationError):
        services.encounter_return(encounter=note, actor=supervisor, comment="Looks fine")


def test_a_supervisor_cosigns_a_signed_note_once(sign_in, member, supervisor, encounter):
    with pytest.raises(ValidationError):
        services.encounter_cosign(encounter=encounter, actor=supervisor)
    _signed(encounter, member)
    client = sign_in(supervisor)
    client.post(_note_url("encounter_cosign", encounter))
    encounter.refresh_from_db()
    assert encounter.cosigned_by == supervisor and encounter.cosigned_at is not None
    assert "Co-signed by sue" in client.get(_note_url("encounter", encounter)).content.decode()
    with pytest.raises(ValidationError):
        services.encounter_cosign(encounter=encounter, actor=supervisor)


def test_required_cosignatures_are_listed_for_supervisors(sign_in, admin, member, encounter):
    sign_in(admin).post(reverse("care:settings"), {"not_seen_days": "30", "require_cosign": "on"})
    _signed(encounter, member)
    page = sign_in(admin).get(reverse("care:dashboard")).content.decode()
    assert "Signed notes to co-sign" in page
    assert _note_url("encounter", encounter) in page
    note = sign_in(member).get(_note_url("encounter", encounter)).content.decode()
    assert "Waiting for a supervisor" in note


# --- Dates and times ----------------------------------------------------------------------


def test_a_note_dated_in_the_future_is_refused(sign_in, member, participant):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = sign_in(member).post(
        reverse("care:encounter_create", args=[participant.pk]),
        {**FORM, "date": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "date" in response.context["form"].errors


def test_an_encounter_may_cross_midnight(sign_in, member, participant):
    client = sign_in(member)
    overnight = {**FORM, "start_time": "22:00", "end_time": "02:00", "ends_next_day": "on"}
    client.post(reverse("care:encounter_create", args=[participant.pk]), overnight)
    encounter = Encounter.objects.get(participant=participant)
    assert encounter.duration_minutes == 240
    page = client.get(_note_url("encounter", encounter)).content.decode()
    assert "10:00 PM–2:00 AM the next day" in page


def test_an_end_before_the_start_without_next_day_is_refused(member, participant):
    data = {**NOTE, "start_time": datetime.time(22), "end_time": datetime.time(2)}
    with pytest.raises(ValidationError) as refused:
        services.encounter_create(participant=participant, actor=member, data=data)
    assert "end_time" in refused.value.message_dict


# --- Attempted and collateral contacts ----------------------------------------------------


def test_attempted_and_collateral_contacts_are_counted_apart(org, member, participant):
    today = timezone.localdate()
    for contact in ["person", "no_answer", "left_message", "no_show", "family", "provider"]:
        services.encounter_create(
            participant=participant,
            actor=member,
            data={
                **NOTE,
                "contact": contact,
                "date": today,
                "start_time": datetime.time(0, 1),
                "end_time": datetime.time(0, 10),
            },
        )
    contacts = selectors.caseload_dashboard(member.memberships.get(organization=org)).contacts
    assert (contacts.person, contacts.attempted, contacts.collateral) == (1, 3, 2)


def test_the_participant_page_says_a_contact_was_only_attempted(
    sign_in, member, participant, encounter
):
    encounter.contact = Encounter.Contact.NO_ANSWER
    encounter.save(update_fields=["contact"])
    page = sign_in(member).get(reverse("care:participant", args=[participant.pk]))
    assert "Tried to reach them: no answer" in page.content.decode()


def test_a_forged_draft_id_of_another_note_makes_a_new_note(sign_in, member, org, encounter):
    from .conftest import make_participant

    other = make_participant(org, member, name="Casey (sample)", specialists=[member])
    new = reverse("care:encounter_create", args=[other.pk])
    response = sign_in(member).post(new, {**FORM, "draft": str(encounter.pk)})
    assert response.status_code == 302
    assert Encounter.objects.filter(participant=other).count() == 1
    encounter.refresh_from_db()
    assert encounter.participant_id != other.pk


# --- Another organization -----------------------------------------------------------------


def test_outsider_gets_404_on_every_new_page_and_endpoint(sign_in, outsider, member, encounter):
    client = sign_in(outsider)
    for name in ["encounter_sign", "encounter_autosave", "encounter_return", "encounter_cosign"]:
        assert client.post(_note_url(name, encounter), {"comment": "x"}).status_code == 404, name
    assert client.get(_note_url("encounter_sign", encounter)).status_code == 404
    new = reverse("care:encounter_autosave_new", args=[encounter.participant_id])
    assert client.post(new, {**FORM, "draft": str(encounter.pk)}).status_code == 404
    api = Api(api_token_create(user=outsider, organization=outsider.memberships.get().organization))
    base = f"/participants/{encounter.participant_id}/encounters/{encounter.pk}"
    assert api.post(f"{base}/return", {"comment": "x"}).status_code == 404
    assert api.post(f"{base}/cosign").status_code == 404


# --- The API ------------------------------------------------------------------------------


def test_api_refuses_another_specialists_draft_and_reviews_it(org, member, supervisor, encounter):
    base = f"/participants/{encounter.participant_id}/encounters/{encounter.pk}"
    boss = Api(api_token_create(user=supervisor, organization=org))
    assert boss.patch(base, {"worked_on": "Rewritten"}).status_code == 403
    returned = boss.post(f"{base}/return", {"comment": "Say what is next."})
    assert returned.json()["return_comment"] == "Say what is next."
    author = Api(api_token_create(user=member, organization=org))
    assert author.post(f"{base}/return", {"comment": "x"}).status_code == 403
    assert author.post(f"{base}/sign").json()["status"] == "signed"
    cosigned = boss.post(f"{base}/cosign").json()
    assert cosigned["cosigned_by"] == "sue"
    assert boss.post(f"{base}/cosign").status_code == 409


def test_an_attempt_does_not_count_as_seeing_the_person(org, member, participant):
    services.encounter_create(
        participant=participant,
        actor=member,
        data={**NOTE, "contact": "no_answer", "date": timezone.localdate()},
    )
    dashboard = selectors.caseload_dashboard(member.memberships.get(organization=org))
    assert participant in dashboard.not_seen


def test_an_overnight_encounter_ends_the_next_day_in_fhir(member, participant):
    from alongside.care.fhir import encounter_resource

    note = services.encounter_create(
        participant=participant,
        actor=member,
        data={**NOTE, "start_time": datetime.time(22), "end_time": datetime.time(2)}
        | {"ends_next_day": True},
    )
    period = encounter_resource(note, participant)["period"]
    assert period["start"].startswith("2026-03-02T22:00")
    assert period["end"].startswith("2026-03-03T02:00")


def test_api_signs_only_the_version_its_author_read(org, member, encounter):
    base = f"/participants/{encounter.participant_id}/encounters/{encounter.pk}"
    api = Api(api_token_create(user=member, organization=org))
    read = api.get(base).json()["digest"]
    api.patch(base, {"next_steps": "Changed in another tab"})
    assert api.post(f"{base}/sign?digest={read}").status_code == 409
    fresh = api.get(base).json()["digest"]
    assert api.post(f"{base}/sign?digest={fresh}").json()["status"] == "signed"
