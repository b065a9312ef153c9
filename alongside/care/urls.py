from django.urls import path

from alongside.care.views import (
    access,
    calendar,
    circumstances,
    consent,
    encounters,
    participants,
    person_copy,
    plans,
    referrals,
    safety,
    team,
)

app_name = "care"

P = "participants/<uuid:pk>/"

urlpatterns = [
    path("", participants.dashboard, name="dashboard"),
    path("participants/", participants.participant_list, name="participant_list"),
    path("participants/new/", participants.participant_create, name="participant_create"),
    path(P, participants.participant_detail, name="participant"),
    path(P + "edit/", participants.participant_edit, name="participant_edit"),
    path(
        P + "enrollment/<str:action>/",
        participants.participant_enrollment,
        name="participant_enrollment",
    ),
    path(P + "status/<str:kind>/", circumstances.status_record, name="status_record"),
    path(P + "coverage/new/", circumstances.coverage_create, name="coverage_create"),
    path(P + "coverage/<uuid:coverage_id>/", circumstances.coverage_edit, name="coverage_edit"),
    path(
        P + "coverage/<uuid:coverage_id>/delete/",
        circumstances.coverage_delete,
        name="coverage_delete",
    ),
    path(P + "consents/new/", consent.consent_create, name="consent_create"),
    path(P + "consents/<uuid:consent_id>/revoke/", consent.consent_revoke, name="consent_revoke"),
    path(P + "consents/<uuid:consent_id>/scan/", consent.consent_scan, name="consent_scan"),
    path(P + "disclosures/new/", consent.disclosure_create, name="disclosure_create"),
    path(P + "restrictions/new/", consent.restriction_create, name="restriction_create"),
    path(P + "plan/new/", plans.plan_version_create, name="plan_version_create"),
    path(P + "plan/<uuid:version_id>/", plans.plan_version_detail, name="plan_version"),
    path(P + "wellness-plan/", plans.wellness_plan, name="wellness_plan"),
    path(P + "wellness-plan/edit/", plans.wellness_plan_edit, name="wellness_plan_edit"),
    path(P + "copy/", person_copy.person_copy_page, name="person_copy"),
    path(P + "copy/pdf/", person_copy.person_copy_download, name="person_copy_pdf"),
    path(P + "goals/new/", plans.goal_form, name="goal_create"),
    path(P + "goals/<uuid:goal_id>/", plans.goal_form, name="goal_edit"),
    path(P + "goals/<uuid:goal_id>/progress/", plans.goal_progress, name="goal_progress"),
    path(P + "encounters/new/", encounters.encounter_create, name="encounter_create"),
    path(
        P + "encounters/new/autosave/",
        encounters.encounter_autosave_new,
        name="encounter_autosave_new",
    ),
    path(P + "encounters/<uuid:encounter_id>/", encounters.encounter_detail, name="encounter"),
    path(
        P + "encounters/<uuid:encounter_id>/sign/", encounters.encounter_sign, name="encounter_sign"
    ),
    path(
        P + "encounters/<uuid:encounter_id>/autosave/",
        encounters.encounter_autosave,
        name="encounter_autosave",
    ),
    path(
        P + "encounters/<uuid:encounter_id>/return/",
        encounters.encounter_return,
        name="encounter_return",
    ),
    path(
        P + "encounters/<uuid:encounter_id>/cosign/",
        encounters.encounter_cosign,
        name="encounter_cosign",
    ),
    path(
        P + "encounters/<uuid:encounter_id>/amend/",
        encounters.encounter_amend,
        name="encounter_amend",
    ),
    path(P + "safety/new/", safety.safety_concern_create, name="safety_create"),
    path(
        P + "safety/<uuid:concern_id>/resolve/",
        safety.safety_concern_resolve,
        name="safety_resolve",
    ),
    path(P + "referrals/new/", referrals.referral_create, name="referral_create"),
    path(
        P + "referrals/<uuid:referral_id>/status/",
        referrals.referral_status,
        name="referral_status",
    ),
    path(P + "appointments/new/", calendar.appointment_create, name="appointment_create"),
    path(
        P + "appointments/<uuid:appointment_id>/",
        calendar.appointment_edit,
        name="appointment_edit",
    ),
    path(
        P + "appointments/<uuid:appointment_id>/cancel/",
        calendar.appointment_cancel,
        name="appointment_cancel",
    ),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/feed/", calendar.calendar_feed_manage, name="calendar_feed_manage"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("break-glass/", access.break_glass, name="break_glass"),
    path(
        "break-glass/<uuid:grant_id>/review/",
        access.break_glass_review,
        name="break_glass_review",
    ),
    path("settings/", access.care_settings_edit, name="settings"),
    path("plans/due/", plans.plans_due, name="plans_due"),
    path("caseload/transfer/", team.caseload_transfer, name="caseload_transfer"),
]
