"""Every page and API route that shows a participant's data writes an audit event naming them.

The walk below takes every staff URL from the URL resolver and every API operation from the
API's own description, so a route added later fails here until it is audited or listed, with
its reason, among those that show no participant data.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from alongside.api import api as api_v1
from alongside.care import services
from alongside.care.models import BreakGlass, CareSettings, Consent, PlanVersion
from alongside.care.views.calendar import this_week_start
from alongside.core.models import AuditEvent
from alongside.core.roles import Role
from alongside.core.services import api_token_create
from alongside.core.tenancy import organization_scope
from alongside.groups import services as group_services
from alongside.groups.tests.staff.conftest import make_group

from .conftest import TODAY, make_participant

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nSigned by Robin (sample)\n%%EOF\n"

# Staff pages that show a participant's data: a GET (with this query) must name them.
SHOWN_PAGES = {
    "care:dashboard": "",
    "care:participant_list": "?show=active",
    "care:participant": "",
    "care:participant_edit": "",
    "care:status_record": "",
    "care:coverage_create": "",
    "care:coverage_edit": "",
    "care:consent_create": "",
    "care:consent_scan": "",
    "care:disclosure_create": "",
    "care:restriction_create": "",
    "care:plan_version_create": "",
    "care:plan_version": "",
    "care:wellness_plan": "",
    "care:wellness_plan_edit": "",
    "care:person_copy": "",
    "care:person_copy_pdf": "",
    "care:goal_create": "",
    "care:goal_edit": "",
    "care:encounter_create": "",
    "care:encounter": "",
    "care:encounter_sign": "",
    "care:safety_create": "",
    "care:safety_resolve": "",
    "care:referral_create": "",
    "care:appointment_create": "",
    "care:appointment_edit": "",
    "care:calendar": "",
    "care:plans_due": "",
    "care:caseload_transfer": "?from={writer}",
    # Groups: the registrations on a group's page, the list to register from, the attendance
    # sheet (its roster and the participants to add).
    "groups:detail": "",
    "groups:registration_add": "",
    "groups:attendance": "",
    # Reports: one person's GPRA interview dates.
    "reports:gpra_participant": "",
}

# Pages and API reads that show participants, walked by a test of their own app (which builds
# what they need to show): billing's run, file, claim, remittance and denials.
WALKED_ELSEWHERE = {
    "billing:batch": "billing/tests/test_audit.py",
    "billing:batch_file": "billing/tests/test_audit.py",
    "billing:claim": "billing/tests/test_audit.py",
    "billing:remittance": "billing/tests/test_audit.py",
    "billing:denials": "billing/tests/test_audit.py",
    "/billing/batches/{batch_id}": "billing/tests/test_audit.py",
    "/billing/batches/{batch_id}/837p": "billing/tests/test_audit.py",
    "/billing/claims/{claim_id}": "billing/tests/test_audit.py",
    "/billing/remittances/{remittance_id}": "billing/tests/test_audit.py",
    # Outcomes: a person's measures, filling one in, one administration (BARC-10 needs a
    # participant whose focus it suits).
    "outcomes:measures": "outcomes/tests/test_audit.py",
    "outcomes:administer": "outcomes/tests/test_audit.py",
    "outcomes:administration": "outcomes/tests/test_audit.py",
    "/participants/{participant_id}/measures": "outcomes/tests/test_audit.py",
    "/participants/{participant_id}/measures/{administration_id}": "outcomes/tests/test_audit.py",
    # A warm-line conversation (anonymous people, not participants): opening it is audited.
    "warmline_staff:contact": "warmline/tests/test_access.py",
    # GPRA: who is due this month, and one episode's dates.
    "reports:gpra_due": "reports/tests/test_gpra.py",
    "reports:gpra_episode": "reports/tests/test_gpra.py",
}

# Staff pages that answer a GET with no participant's data, and why.
NOT_SHOWN_PAGES = {
    # A blank form for a new person.
    "care:participant_create": "blank form",
    # The search form; the names it finds are POSTed (test_break_glass_search_names_each_match).
    "care:break_glass": "search form",
    # Times and places only, never who; each read is audited as the feed's export.
    "care:calendar_feed": "no names",
    # The organization's care settings.
    "care:settings": "settings",
    # The staff overview, the organization switch and the sign-in landing: no care records.
    "core:staff_home": "overview",
    "core:organization_switch": "switch",
    "core:staff_landing": "redirect",
    # The audit report shows the trail itself (who did what), read by admins; its export is
    # audited. It is not a participant's record.
    "core:audit_report": "the trail",
    "core:audit_export": "the trail",
    # Notifications name the staff member who acted and link to the record; never the person.
    "core:notifications": "links only",
    "core:notification_settings": "settings",
    "core:notification_open": "redirect",
    # The team: staff members, their roles and access.
    "core:team": "staff",
    "core:team_invite": "staff",
    "core:team_member": "staff",
    # The public search's synonym list: words, not people.
    "core:synonyms": "search words",
    "core:synonym_add": "search words",
    "core:synonym_edit": "search words",
    # The directory's listings: services, not people in care.
    "directory_staff:queue": "directory",
    "directory_staff:verify": "directory",
    "directory_staff:edit": "directory",
    "directory_staff:history": "directory",
    "directory_staff:review": "directory",
    "directory_staff:claims": "directory",
    "directory_staff:claim_new": "directory",
    # Workforce records are about staff: credentials, training hours, supervision.
    "workforce:home": "staff",
    "workforce:team": "staff",
    "workforce:person": "staff",
    "workforce:credential_add": "staff",
    "workforce:training_add": "staff",
    "workforce:certificate": "staff",
    "workforce:other_work_add": "staff",
    "workforce:goal_add": "staff",
    "workforce:supervision_add": "staff",
    "workforce:agreement_add": "staff",
    "workforce:npi": "staff",
    "workforce:supervision_report": "staff",
    # Groups: their names, times and places, facilitators (staff) and counts; date forms.
    "groups:list": "groups",
    "groups:create": "blank form",
    "groups:edit": "group and staff",
    "groups:session_cancel": "a date",
    "groups:session_move": "a date",
    "groups:checkin_sheet": "a QR code",
    # Billing: the runs (dates, payer, totals), the 835 upload, the organization's identity.
    "billing:home": "runs and payers",
    "billing:batch_create": "blank form",
    "billing:remittances": "files received",
    "billing:settings": "the organization",
    # Outcomes across the program: counts and average change per measure, nobody named.
    "outcomes:program": "counts",
    # The warm line: the queue (channel, a nickname, how long), counts, topics, forms.
    "warmline_staff:console": "queue",
    "warmline_staff:supervisor": "queue and counts",
    "warmline_staff:topics": "topics",
    "warmline_staff:take_a_break": "advice",
    "warmline_staff:end": "blank record form",
    # The organization's lines: names, listings, text numbers; the admin's forms for them.
    "warmline_staff:lines": "lines",
    "warmline_staff:line_create": "blank form",
    "warmline_staff:line_edit": "a line's settings",
    # Reports: counts, never people (a run is audited as a view or an export), definitions.
    "reports:home": "report names",
    "reports:definitions": "definitions",
    "reports:report": "counts only",
    "reports:report_csv": "counts only",
    "reports:report_xlsx": "counts only",
}

# Staff URLs that answer POST only (a GET answers 405, checked below). The writes are audited
# by their services; a form they show again after an error is audited as a view
# (test_form_shown_again_after_an_error_is_audited).
POST_ONLY_PAGES = {
    "care:participant_enrollment",
    "care:coverage_delete",
    "care:consent_revoke",
    "care:goal_progress",
    "care:encounter_autosave_new",
    "care:encounter_autosave",
    "care:encounter_return",
    "care:encounter_cosign",
    "care:encounter_amend",
    "care:referral_status",
    "care:appointment_cancel",
    "care:calendar_feed_manage",
    "care:break_glass_review",
    "core:notifications_read_all",
    "core:notification_read",
    "core:team_member_deactivate",
    "core:team_member_reactivate",
    "core:team_member_two_factor_reset",
    "core:team_member_invitation",
    "core:synonym_delete",
    "directory_staff:claim_decision",
    "directory_staff:claim_end",
    "workforce:agreement_approve",
    "groups:session_reinstate",
    "groups:registration_withdraw",
    "outcomes:link_create",
    "warmline_staff:take",
    "warmline_staff:send",
    "warmline_staff:share",
    "warmline_staff:transfer",
    "warmline_staff:on_duty",
    "warmline_staff:topic_toggle",
    "warmline_staff:transcript_delete",
}

# API reads that show a participant's data (with this query): each must name them.
SHOWN_API = {
    "/participants": "",
    "/participants/{participant_id}": "",
    "/participants/{participant_id}/consents": "",
    "/participants/{participant_id}/plans": "",
    "/participants/{participant_id}/goals": "",
    "/participants/{participant_id}/wellness-plan": "",
    "/participants/{participant_id}/encounters": "",
    "/participants/{participant_id}/encounters/{encounter_id}": "",
    "/participants/{participant_id}/referrals": "",
    "/participants/{participant_id}/appointments": "",
    "/participants/{participant_id}/fhir": "?purpose=treatment",
    "/participants/{participant_id}/housing": "",
    "/participants/{participant_id}/employment": "",
    "/participants/{participant_id}/coverage": "",
    "/participants/{participant_id}/coverages": "",
}

# API reads with no participant's data, and why. (Writes are audited by their services.)
NOT_SHOWN_API = {
    "/me": "the token's own user",
    "/search": "the public directory",
    "/notifications": "links only, as on the page",
    "/staff/{username}/credentials": "staff",
    "/staff/{username}/credentials/{id}/status": "staff",
    "/staff/{username}/progress": "staff",
    "/staff/{username}/trainings": "staff",
    "/staff/{username}/supervision": "staff",
    "/staff/{username}/agreements": "staff",
    "/groups": "groups, their times and facilitators (staff)",
    "/groups/{id}": "a group, its times and facilitators (staff)",
    "/groups/{id}/sessions": "dates and counts",
    "/billing/payers": "payers and their rules",
    "/billing/identity": "the organization",
    "/reports/{name}": "counts only, audited as an export",
}


def _routes():
    """Every URL's name and pattern, from the URL resolver."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)

    return dict(walk(get_resolver().url_patterns, "", ""))


def _staff_routes():
    return {name: route for name, route in _routes().items() if route.startswith("staff/")}


# Outside ``staff/`` and the API: public pages and sign-in, which show no participant.
# ``measure``: the one-time links a person opens on their own phone; "my progress" shows them
# their own measures and is audited (outcomes/tests/test_links.py).
PUBLIC_NAMESPACES = {
    "directory",
    "hsds",
    "library",
    "careers",
    "groups_public",
    "checkin",
    "measure",
    "warmline",
}
# Named at the root: the public groups feed for meeting finder apps (public groups only).
PUBLIC_ROOT = {"meeting_guide"}
PUBLIC_CORE = {
    "home",
    "crisis",
    "healthz",
    "readyz",
    "login",
    "logout",
    "two_factor",
    "two_factor_enrol",
    "no_membership",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def _api_reads():
    """Every GET operation of ``/api/v1/``, from the description the same routes build."""
    paths = api_v1.get_openapi_schema()["paths"]
    return {path.removeprefix("/api/v1") for path, ops in paths.items() if "get" in ops}


def test_every_staff_url_is_classified():
    routes = set(_staff_routes())
    listed = set(SHOWN_PAGES) | set(NOT_SHOWN_PAGES) | POST_ONLY_PAGES
    listed |= {name for name in WALKED_ELSEWHERE if ":" in name}
    assert routes - listed == set(), "audit these pages, or say why they show no participant"
    assert listed - routes == set(), "these pages are gone: take them off the lists"


def test_no_page_outside_staff_and_the_api_shows_a_participant():
    """A page showing participant data outside ``staff/`` would escape the walk below."""
    strays = []
    for name, route in _routes().items():
        namespace, _, short = name.rpartition(":")
        if route.startswith(("staff/", "api/v1/")) or namespace in PUBLIC_NAMESPACES:
            continue
        if (namespace == "core" and short in PUBLIC_CORE) or name in PUBLIC_ROOT:
            continue
        if namespace == "admin" or route == "api/openapi.json":
            continue  # the operator's admin registers no care model (test below); a schema
        strays.append(name)
    assert strays == []


def test_the_admin_shows_no_care_record():
    assert [m for m in admin.site._registry if m._meta.app_label == "care"] == []


def test_every_api_read_is_classified():
    reads = _api_reads()
    listed = set(SHOWN_API) | set(NOT_SHOWN_API)
    listed |= {path for path in WALKED_ELSEWHERE if path.startswith("/")}
    assert reads - listed == set(), "audit these API reads, or say why they show no participant"
    assert listed - reads == set(), "these API reads are gone: take them off the lists"


@pytest.fixture
def writer(make_user, org):
    """Assigned to the person, author of their records, and a supervisor (caseload transfer)."""
    return make_user("wren", org, [Role.PEER_SPECIALIST, Role.SUPERVISOR])


@pytest.fixture
def person(org, writer, sign_in, settings, tmp_path):
    """A participant with a record of every kind, written through the services and pages."""
    settings.MEDIA_ROOT = tmp_path
    participant = make_participant(
        org, writer, name="Robin (sample)", specialists=[writer], phone="603-555-0177"
    )
    upload = sign_in(writer).post(
        reverse("care:consent_create", args=[participant.pk]),
        {
            "discloser": "Granite Peer (sample)",
            "recipients": "Dr. Lee (sample)",
            "information": "Dates of contact",
            "information_categories": ["encounter_dates"],
            "purposes": ["treatment"],
            "expires_on": "2027-06-01",
            "signature_file": SimpleUploadedFile("consent.pdf", PDF, "application/pdf"),
        },
    )
    assert upload.status_code == 302
    with organization_scope(org):
        ids = _records(participant, writer)
        ids["consent_id"] = Consent.objects.exclude(signature_document="").get().pk
    return participant, ids


def _records(participant, writer):
    common = {"participant": participant, "actor": writer}
    encounter = services.encounter_create(
        **common,
        data={
            "type": "phone",
            "date": TODAY,
            "start_time": datetime.time(10, 0),
            "end_time": datetime.time(10, 40),
            "service_categories": ["planning"],
            "worked_on": "Practised the bus route",
            "response": "Felt ready",
            "next_steps": "Ride it on Friday",
        },
    )
    goal = services.goal_create(
        **common,
        data={"text": "Ride to work on my own", "service_category": "employment_housing"},
    )
    services.plan_version_create(
        **common,
        summary="Getting to work",
        agreed_on=TODAY,
        agreed_how="signed",
        review_by=TODAY + datetime.timedelta(days=30),
    )
    services.wellness_plan_save(
        **common, data={"keeps_me_well": "Morning walks", "updated_on": TODAY}
    )
    coverage = services.coverage_create(
        **common, data={"payer_name": "Medicaid", "member_id": "SAMPLE0001", "starts_on": TODAY}
    )
    services.housing_status_record(**common, data={"status": "home", "since": TODAY})
    services.employment_status_record(**common, data={"status": "looking", "since": TODAY})
    # Its recipient is the API's name for an export by this token's user.
    services.consent_create(
        **common,
        data={
            "discloser": "Granite Peer (sample)",
            "recipients": f"API export to {writer.get_username()}",
            "information": "The record",
            "information_categories": ["demographics", "recovery_plan", "encounter_dates"],
            "purposes": ["treatment"],
            "expiry_event": "When I leave the program",
            "signature_name": "Robin",
            "signed_on": TODAY,
        },
    )
    services.restriction_create(**common, use="family_contact", requested_on=TODAY)
    concern = services.safety_concern_raise(**common, actions=["safety_plan_reviewed"], note="x")
    referral = services.referral_create(**common, provider_name="Harbor Housing (sample)")
    monday = this_week_start(timezone.localdate())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(15)))
    appointment = services.appointment_create(
        **common, starts_at=start, ends_at=start + datetime.timedelta(hours=1), place="Office"
    )
    group = make_group(participant.organization, writer)
    group_services.registration_add(group=group, actor=writer, participant=participant)
    return {
        "group_id": group.pk,
        "day": timezone.localdate() - datetime.timedelta(days=7),
        "pk": participant.pk,
        "participant_id": participant.pk,
        "encounter_id": encounter.pk,
        "goal_id": goal.pk,
        "version_id": PlanVersion.objects.get(plan__participant=participant).pk,
        "coverage_id": coverage.pk,
        "concern_id": concern.pk,
        "referral_id": referral.pk,
        "appointment_id": appointment.pk,
        "kind": "housing",
    }


def _path(route, ids):
    """``route`` (a URL pattern or an API path) with the ids it names filled in."""
    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", lambda m: str(ids[m[1] or m[2]]), route)


def _named(participant, since):
    return AuditEvent.objects.filter(id__gt=since, participant_id=str(participant.pk)).exists()


def _last_event_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_every_page_that_shows_a_participant_names_them(sign_in, writer, person):
    participant, ids = person
    routes = _staff_routes()
    client = sign_in(writer)
    unaudited = []
    for name, query in SHOWN_PAGES.items():
        # A group's pages name the group by ``pk``.
        named = ids | {"pk": ids["group_id"]} if name.startswith("groups:") else ids
        url = "/" + _path(routes[name], named) + query.format(writer=writer.pk)
        since = _last_event_id()
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        if not _named(participant, since):
            unaudited.append(name)
    assert unaudited == []


def test_every_api_read_that_shows_a_participant_names_them(writer, org, person):
    participant, ids = person
    token = api_token_create(user=writer, organization=org)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    unaudited = []
    for path, query in SHOWN_API.items():
        since = _last_event_id()
        response = client.get("/api/v1" + _path(path, ids) + query)
        assert response.status_code == 200, (path, response.status_code)
        if not _named(participant, since):
            unaudited.append(path)
    assert unaudited == []


def test_post_only_pages_show_nothing_on_a_get(sign_in, writer, person):
    _participant, ids = person
    routes = _staff_routes()
    ids |= {"action": "discharge", "grant_id": ids["pk"], "consent_id": ids["consent_id"]}
    client = sign_in(writer)
    for name in sorted(POST_ONLY_PAGES):
        if not name.startswith("care:"):
            continue
        assert client.get("/" + _path(routes[name], ids)).status_code == 405, name


def test_participant_list_names_each_person_shown(sign_in, member, org):
    people = [make_participant(org, member, name=f"Sam {n} (sample)") for n in range(3)]
    sign_in(member).get(reverse("care:participant_list") + "?show=active")
    named = AuditEvent.objects.filter(object_type="care.participant_list")
    assert sorted(named.values_list("participant_id", flat=True)) == sorted(
        str(p.pk) for p in people
    )


def test_participant_list_writes_its_events_at_once(
    sign_in, member, org, django_assert_max_num_queries
):
    for n in range(12):
        make_participant(org, member, name=f"Sam {n} (sample)")
    client = sign_in(member)
    client.get(reverse("care:participant_list"))
    with django_assert_max_num_queries(16):
        client.get(reverse("care:participant_list") + "?show=active")


def test_break_glass_search_names_each_match(sign_in, make_user, member, org):
    with organization_scope(org):
        CareSettings.objects.create(organization=org, own_caseload_only=True)
    theirs = make_participant(org, member, name="Kai Alder (sample)", specialists=[member])
    mine = make_participant(org, member, name="Kai Birch (sample)")
    seeker = make_user("sam", org, [Role.PEER_SPECIALIST])
    with organization_scope(org):
        mine.specialists.set([seeker])
    page = sign_in(seeker).post(reverse("care:break_glass"), {"q": "Kai"})
    assert "Kai Alder" in page.content.decode()
    named = AuditEvent.objects.filter(object_type="care.break_glass_search", actor=seeker)
    assert list(named.values_list("participant_id", flat=True)) == [str(theirs.pk)]
    assert not BreakGlass.objects.exists()


def test_form_shown_again_after_an_error_is_audited(sign_in, member, participant):
    client = sign_in(member)
    since = _last_event_id()
    url = reverse("care:participant_edit", args=[participant.pk])
    response = client.post(url, {"preferred_name": ""})
    assert response.status_code == 400
    event = AuditEvent.objects.get(id__gt=since, participant_id=str(participant.pk))
    assert event.action == "view" and event.actor == member


def test_post_only_form_shown_again_after_an_error_is_audited(sign_in, member, participant, goal):
    client = sign_in(member)
    since = _last_event_id()
    response = client.post(reverse("care:goal_progress", args=[participant.pk, goal.pk]), {})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(
        id__gt=since, action="view", participant_id=str(participant.pk)
    ).exists()


# Answers to an autosave: a status line ("Draft saved at 10:02"), never the note.
STATUS_ONLY = {"care:encounter_autosave", "care:encounter_autosave_new"}


def test_every_form_shown_again_after_an_error_names_the_person(sign_in, writer, person):
    """An empty POST to each page of a person's record: a form shown again names them."""
    participant, ids = person
    routes = _staff_routes()
    ids |= {"action": "discharge", "consent_id": ids["consent_id"]}
    client = sign_in(writer)
    shown_again, unaudited = [], []
    # The forms first: an empty POST to an action (cancel an appointment) may do it.
    for name in [*SHOWN_PAGES, *sorted(POST_ONLY_PAGES - STATUS_ONLY)]:
        if not name.startswith("care:") or "<uuid:pk>" not in routes[name]:
            continue
        since = _last_event_id()
        response = client.post("/" + _path(routes[name], ids))
        if response.status_code in {302, 405}:
            continue
        shown_again.append(name)
        assert response.status_code in {200, 400, 409}, (name, response.status_code)
        if not _named(participant, since):
            unaudited.append(name)
    assert unaudited == []
    assert "care:participant_edit" in shown_again and "care:goal_progress" in shown_again
