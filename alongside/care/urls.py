from django.urls import path

from alongside.care import views

app_name = "care"

P = "participants/<uuid:pk>/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/new/", views.participant_create, name="participant_create"),
    path(P, views.participant_detail, name="participant"),
    path(P + "edit/", views.participant_edit, name="participant_edit"),
    path(
        P + "enrollment/<str:action>/",
        views.participant_enrollment,
        name="participant_enrollment",
    ),
    path(P + "consents/new/", views.consent_create, name="consent_create"),
    path(P + "consents/<uuid:consent_id>/revoke/", views.consent_revoke, name="consent_revoke"),
    path(P + "disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path(P + "restrictions/new/", views.restriction_create, name="restriction_create"),
    path(P + "plan/new/", views.plan_version_create, name="plan_version_create"),
    path(P + "goals/new/", views.goal_form, name="goal_create"),
    path(P + "goals/<uuid:goal_id>/", views.goal_form, name="goal_edit"),
    path(P + "goals/<uuid:goal_id>/progress/", views.goal_progress, name="goal_progress"),
    path(P + "encounters/new/", views.encounter_create, name="encounter_create"),
    path(P + "encounters/<uuid:encounter_id>/", views.encounter_detail, name="encounter"),
    path(P + "encounters/<uuid:encounter_id>/sign/", views.encounter_sign, name="encounter_sign"),
    path(
        P + "encounters/<uuid:encounter_id>/amend/",
        views.encounter_amend,
        name="encounter_amend",
    ),
    path(P + "safety/new/", views.safety_concern_create, name="safety_create"),
    path(
        P + "safety/<uuid:concern_id>/resolve/",
        views.safety_concern_resolve,
        name="safety_resolve",
    ),
    path(P + "referrals/new/", views.referral_create, name="referral_create"),
    path(
        P + "referrals/<uuid:referral_id>/status/",
        views.referral_status,
        name="referral_status",
    ),
    path(P + "appointments/new/", views.appointment_create, name="appointment_create"),
    path(
        P + "appointments/<uuid:appointment_id>/",
        views.appointment_edit,
        name="appointment_edit",
    ),
    path(
        P + "appointments/<uuid:appointment_id>/cancel/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/feed/", views.calendar_feed_manage, name="calendar_feed_manage"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path(
        "break-glass/<uuid:grant_id>/review/",
        views.break_glass_review,
        name="break_glass_review",
    ),
    path("settings/", views.care_settings, name="settings"),
]
