"""Services that change care records. Each is atomic and audited with the names of what changed.

Audit events carry field names, never values: a note's text or a person's address must not
reach the audit trail, logs or exports.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.access import BREAK_GLASS_DURATION
from alongside.care.models import (
    Appointment,
    BreakGlass,
    CalendarFeed,
    CareSettings,
    Consent,
    Encounter,
    Enrollment,
    Goal,
    GoalProgress,
    NoteAmendment,
    Notification,
    Participant,
    PathwayChange,
    PlanVersion,
    RecoveryPlan,
    Referral,
    Restriction,
    SafetyConcern,
)
from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization
from alongside.core.roles import Role

PARTICIPANT_FIELDS = (
    "preferred_name",
    "legal_name",
    "pronouns",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "ok_to_call",
    "ok_to_text",
    "ok_to_leave_message",
    "preferred_language",
    "focus",
    "gender",
    "race_ethnicity",
    "veteran",
    "medicaid_id",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relationship",
    "pathway",
    "received_from_part2",
)
GOAL_FIELDS = (
    "text",
    "service_category",
    "chime",
    "strengths",
    "steps",
    "who_helps",
    "target_date",
    "status",
)
ENCOUNTER_FIELDS = (
    "type",
    "date",
    "start_time",
    "end_time",
    "setting",
    "service_category",
    "worked_on",
    "response",
    "next_steps",
)


class SignedNoteError(ValidationError):
    """A signed note was about to change in place; amendments are the only way."""


def _audit(
    action: str,
    *,
    actor: Any,
    obj: models.Model,
    participant: Participant | None,
    changed: Iterable[str] = (),
) -> None:
    audit_record(
        action=action,
        actor=actor,
        organization=obj.organization,  # type: ignore[attr-defined]
        obj=obj,
        participant_id=str(participant.pk) if participant else "",
        changed_fields=changed,
    )


def _assign(instance: models.Model, data: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set the allowed fields present in ``data``; return the names whose value changed."""
    changed = []
    for name in allowed:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


def _minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


# --- Participants and enrollment ----------------------------------------------------------


@transaction.atomic
def participant_create(
    *,
    organization: Organization,
    actor: Any,
    data: dict[str, Any],
    specialists: Iterable[Any] = (),
    enrolled_on: date | None = None,
    agreement_how: str = "",
) -> Participant:
    """Create a participant; with ``enrolled_on``, enroll them in the same step."""
    participant = Participant(organization=organization)
    changed = _assign(participant, data, PARTICIPANT_FIELDS)
    participant.full_clean()
    participant.save()
    specialists = list(specialists)
    if specialists:
        participant.specialists.set(specialists)
        changed.append("specialists")
    _audit(Action.CREATE, actor=actor, obj=participant, participant=participant, changed=changed)
    if enrolled_on is not None:
        participant_enroll(
            participant=participant,
            actor=actor,
            enrolled_on=enrolled_on,
            agreement_how=agreement_how,
        )
    return participant


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    actor: Any,
    data: dict[str, Any],
    specialists: Iterable[Any] | None = None,
) -> Participant:
    """Change a participant's details; a pathway change goes through ``pathway_change``."""
    fields = [f for f in PARTICIPANT_FIELDS if f != "pathway"]
    changed = _assign(participant, data, fields)
    participant.full_clean()
    participant.save()
    if specialists is not None:
        new = {user.pk for user in specialists}
        if new != set(participant.specialists.values_list("pk", flat=True)):
            participant.specialists.set(list(specialists))
            changed.append("specialists")
    if changed:
        _audit(
            Action.UPDATE, actor=actor, obj=participant, participant=participant, changed=changed
        )
    return participant


@transaction.atomic
def participant_enroll(
    *,
    participant: Participant,
    actor: Any,
    enrolled_on: date,
    agreement_how: str,
    agreement_recorded_on: date | None = None,
) -> Enrollment:
    """Open an enrollment (the first, or a re-enrollment after a discharge)."""
    if participant.enrollments.filter(discharged_on__isnull=True).exists():
        raise ValidationError(_("This person is already enrolled."))
    enrollment = Enrollment(
        organization=participant.organization,
        participant=participant,
        enrolled_on=enrolled_on,
        agreement_recorded_on=agreement_recorded_on or enrolled_on,
        agreement_how=agreement_how,
    )
    enrollment.full_clean()
    enrollment.save()
    _audit(
        Action.CREATE,
        actor=actor,
        obj=enrollment,
        participant=participant,
        changed=["enrolled_on", "agreement_recorded_on", "agreement_how"],
    )
    return enrollment


@transaction.atomic
def participant_reenroll(
    *, participant: Participant, actor: Any, enrolled_on: date, agreement_how: str
) -> Enrollment:
    """Enroll again someone who was discharged; the earlier enrollments stay as history."""
    if not participant.enrollments.filter(discharged_on__isnull=False).exists():
        raise ValidationError(_("This person was never discharged; enroll them instead."))
    return participant_enroll(
        participant=participant, actor=actor, enrolled_on=enrolled_on, agreement_how=agreement_how
    )


@transaction.atomic
def participant_discharge(
    *, participant: Participant, actor: Any, discharged_on: date, reason: str, note: str = ""
) -> Enrollment:
    """Close the open enrollment."""
    enrollment = (
        participant.enrollments.select_for_update().filter(discharged_on__isnull=True).first()
    )
    if enrollment is None:
        raise ValidationError(_("This person is not enrolled."))
    enrollment.discharged_on = discharged_on
    enrollment.discharge_reason = reason
    enrollment.discharge_note = note
    enrollment.full_clean()
    enrollment.save()
    _audit(
        Action.UPDATE,
        actor=actor,
        obj=enrollment,
        participant=participant,
        changed=["discharged_on", "discharge_reason", "discharge_note"],
    )
    return enrollment


@transaction.atomic
def participant_pathway_change(
    *, participant: Participant, actor: Any, to_pathway: str, reason: str
) -> PathwayChange:
    """Move between brief and ongoing support, keeping the reason."""
    if to_pathway == participant.pathway:
        raise ValidationError({"to_pathway": _("They are already on this pathway.")})
    change = PathwayChange(
        organization=participant.organization,
        participant=participant,
        from_pathway=participant.pathway,
        to_pathway=to_pathway,
        reason=reason,
        changed_by=actor,
    )
    change.full_clean()
    change.save()
    participant.pathway = to_pathway
    participant.save(update_fields=["pathway", "updated_at"])
    _audit(
        Action.UPDATE, actor=actor, obj=participant, participant=participant, changed=["pathway"]
    )
    return change


# --- Consent and restrictions -------------------------------------------------------------


@transaction.atomic
def consent_create(*, participant: Participant, actor: Any, data: dict[str, Any]) -> Consent:
    """Record a consent to share, as the person gave it."""
    consent = Consent(
        organization=participant.organization, participant=participant, created_by=actor
    )
    changed = _assign(
        consent,
        data,
        (
            "discloser",
            "recipients",
            "general_designation",
            "information",
            "purposes",
            "purpose_detail",
            "expires_on",
            "expiry_event",
            "signature_name",
            "signed_on",
            "signature_file",
        ),
    )
    consent.full_clean()
    consent.save()
    _audit(Action.CREATE, actor=actor, obj=consent, participant=participant, changed=changed)
    return consent


@transaction.atomic
def consent_revoke(*, consent: Consent, actor: Any, revoked_on: date, revoked_how: str) -> Consent:
    """Revoke a consent from ``revoked_on``; it stays on file, marked revoked."""
    if consent.revoked_on is not None:
        raise ValidationError(_("This consent is already revoked."))
    consent.revoked_on = revoked_on
    consent.revoked_how = revoked_how
    consent.full_clean()
    consent.save(update_fields=["revoked_on", "revoked_how", "updated_at"])
    _audit(
        Action.UPDATE,
        actor=actor,
        obj=consent,
        participant=consent.participant,
        changed=["revoked_on", "revoked_how"],
    )
    return consent


@transaction.atomic
def restriction_create(
    *, participant: Participant, actor: Any, use: str, detail: str = "", requested_on: date
) -> Restriction:
    """Record the person's request that their information not be used in some way."""
    restriction = Restriction(
        organization=participant.organization,
        participant=participant,
        use=use,
        detail=detail,
        requested_on=requested_on,
    )
    restriction.full_clean()
    restriction.save()
    _audit(
        Action.CREATE,
        actor=actor,
        obj=restriction,
        participant=participant,
        changed=["use", "detail", "requested_on"],
    )
    return restriction


# --- Recovery plan and goals --------------------------------------------------------------


def _plan_for(participant: Participant) -> RecoveryPlan:
    plan, _created = RecoveryPlan.objects.get_or_create(
        participant=participant, defaults={"organization": participant.organization}
    )
    return plan


@transaction.atomic
def plan_version_create(
    *, participant: Participant, actor: Any, summary: str, agreed_on: date, agreed_how: str
) -> PlanVersion:
    """Record a newly agreed version of the person's recovery plan."""
    plan = _plan_for(participant)
    last = plan.versions.aggregate(n=models.Max("number"))["n"] or 0
    version = PlanVersion(
        organization=participant.organization,
        plan=plan,
        number=last + 1,
        summary=summary,
        agreed_on=agreed_on,
        agreed_how=agreed_how,
        created_by=actor,
    )
    version.full_clean()
    version.save()
    _audit(
        Action.CREATE,
        actor=actor,
        obj=version,
        participant=participant,
        changed=["summary", "agreed_on", "agreed_how"],
    )
    return version


@transaction.atomic
def goal_create(*, participant: Participant, actor: Any, data: dict[str, Any]) -> Goal:
    """Add a goal, in the person's own words, to their recovery plan."""
    goal = Goal(
        organization=participant.organization, participant=participant, plan=_plan_for(participant)
    )
    changed = _assign(goal, data, GOAL_FIELDS)
    goal.full_clean()
    goal.save()
    _audit(Action.CREATE, actor=actor, obj=goal, participant=participant, changed=changed)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, actor: Any, data: dict[str, Any]) -> Goal:
    """Change a goal (its words, steps, status, …)."""
    changed = _assign(goal, data, GOAL_FIELDS)
    goal.full_clean()
    goal.save()
    if changed:
        _audit(Action.UPDATE, actor=actor, obj=goal, participant=goal.participant, changed=changed)
    return goal


@transaction.atomic
def goal_progress_add(*, goal: Goal, actor: Any, note: str) -> GoalProgress:
    """Note progress on a goal."""
    progress = GoalProgress(organization=goal.organization, goal=goal, note=note, written_by=actor)
    progress.full_clean()
    progress.save()
    _audit(Action.CREATE, actor=actor, obj=progress, participant=goal.participant, changed=["note"])
    return progress


# --- Encounters and notes -----------------------------------------------------------------


def _check_goals(participant: Participant, goals: Iterable[Goal]) -> list[Goal]:
    goals = list(goals)
    if any(goal.participant_id != participant.pk for goal in goals):
        raise ValidationError({"goals": _("Choose goals of this person.")})
    return goals


def _set_duration(encounter: Encounter) -> None:
    if encounter.start_time and encounter.end_time:
        encounter.duration_minutes = max(
            0, _minutes_between(encounter.start_time, encounter.end_time)
        )


@transaction.atomic
def encounter_create(
    *,
    participant: Participant,
    actor: Any,
    data: dict[str, Any],
    goals: Iterable[Goal] = (),
    specialist: Any = None,
) -> Encounter:
    """Write a draft encounter note; the duration comes from the start and end times."""
    encounter = Encounter(
        organization=participant.organization,
        participant=participant,
        specialist=specialist or actor,
        duration_minutes=0,
    )
    changed = _assign(encounter, data, ENCOUNTER_FIELDS)
    _set_duration(encounter)
    encounter.full_clean()
    encounter.save()
    goals = _check_goals(participant, goals)
    if goals:
        encounter.goals.set(goals)
        changed.append("goals")
    _audit(Action.CREATE, actor=actor, obj=encounter, participant=participant, changed=changed)
    return encounter


@transaction.atomic
def encounter_update(
    *, encounter: Encounter, actor: Any, data: dict[str, Any], goals: Iterable[Goal] | None = None
) -> Encounter:
    """Change a draft note. A signed note never changes: amend it instead."""
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if locked.is_signed:
        raise SignedNoteError(_("This note is signed. Add an amendment instead of editing it."))
    changed = _assign(encounter, data, ENCOUNTER_FIELDS)
    _set_duration(encounter)
    encounter.full_clean()
    encounter.save()
    if goals is not None:
        goals = _check_goals(encounter.participant, goals)
        if {g.pk for g in goals} != set(encounter.goals.values_list("pk", flat=True)):
            encounter.goals.set(goals)
            changed.append("goals")
    if changed:
        _audit(
            Action.UPDATE,
            actor=actor,
            obj=encounter,
            participant=encounter.participant,
            changed=changed,
        )
    return encounter


@transaction.atomic
def encounter_sign(*, encounter: Encounter, actor: Any) -> Encounter:
    """Sign a draft note; from now on it can only be amended."""
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if locked.is_signed:
        raise SignedNoteError(_("This note is already signed."))
    if locked.specialist_id != getattr(actor, "pk", None):
        raise ValidationError(_("Only the specialist who wrote this note can sign it."))
    if not (locked.worked_on or locked.response or locked.next_steps):
        raise ValidationError({"worked_on": _("Write the note before signing it.")})
    Encounter.objects.filter(pk=encounter.pk).update(
        status=Encounter.Status.SIGNED, signed_at=timezone.now(), signed_by=actor
    )
    encounter.refresh_from_db()
    _audit(
        Action.UPDATE,
        actor=actor,
        obj=encounter,
        participant=encounter.participant,
        changed=["status", "signed_at", "signed_by"],
    )
    return encounter


@transaction.atomic
def note_amend(*, encounter: Encounter, actor: Any, text: str) -> NoteAmendment:
    """Append an amendment to a signed note, with who wrote it and when."""
    if not encounter.is_signed:
        raise ValidationError(_("A draft note can still be edited; amend only signed notes."))
    amendment = NoteAmendment(
        organization=encounter.organization, encounter=encounter, text=text, written_by=actor
    )
    amendment.full_clean()
    amendment.save()
    _audit(
        Action.CREATE,
        actor=actor,
        obj=amendment,
        participant=encounter.participant,
        changed=["text"],
    )
    return amendment


# --- Safety -------------------------------------------------------------------------------


@transaction.atomic
def safety_concern_raise(
    *,
    participant: Participant,
    actor: Any,
    actions: list[str],
    note: str,
    encounter: Encounter | None = None,
) -> SafetyConcern:
    """Record a safety concern and what was done, and tell the organization's supervisors."""
    if encounter is not None and encounter.participant_id != participant.pk:
        raise ValidationError({"encounter": _("Choose an encounter of this person.")})
    concern = SafetyConcern(
        organization=participant.organization,
        participant=participant,
        encounter=encounter,
        actions=sorted(set(actions)),
        note=note,
        raised_by=actor,
        supervisor_notified=True,
    )
    concern.full_clean()
    concern.save()
    Notification.objects.create(
        organization=participant.organization,
        kind=Notification.Kind.SAFETY_CONCERN,
        audience_role=Role.SUPERVISOR,
        participant=participant,
        safety_concern=concern,
    )
    _audit(
        Action.CREATE,
        actor=actor,
        obj=concern,
        participant=participant,
        changed=["actions", "note", "encounter", "supervisor_notified"],
    )
    return concern


@transaction.atomic
def safety_concern_resolve(*, concern: SafetyConcern, actor: Any) -> SafetyConcern:
    """Mark a safety concern as followed up and resolved."""
    if concern.resolved_at is not None:
        raise ValidationError(_("This concern is already resolved."))
    concern.resolved_at = timezone.now()
    concern.resolved_by = actor
    concern.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    Notification.objects.filter(safety_concern=concern, read_at__isnull=True).update(
        read_at=concern.resolved_at
    )
    _audit(
        Action.UPDATE,
        actor=actor,
        obj=concern,
        participant=concern.participant,
        changed=["resolved_at", "resolved_by"],
    )
    return concern


# --- Referrals and appointments -----------------------------------------------------------


def _directory_service_name(service_id: Any) -> str:
    from alongside.care.selectors import directory_listing_name

    name = directory_listing_name(service_id)
    if name is None:
        raise ValidationError({"directory_service_id": _("That directory listing was not found.")})
    return name


@transaction.atomic
def referral_create(
    *,
    participant: Participant,
    actor: Any,
    provider_name: str = "",
    directory_service_id: Any = None,
    status: str = Referral.Status.SUGGESTED,
    warm_handoff_note: str = "",
) -> Referral:
    """Refer to a directory listing (by id) or to a named provider."""
    if directory_service_id:
        provider_name = provider_name or _directory_service_name(directory_service_id)
    referral = Referral(
        organization=participant.organization,
        participant=participant,
        directory_service_id=directory_service_id or None,
        provider_name=provider_name,
        status=status,
        warm_handoff_note=warm_handoff_note,
        made_by=actor,
    )
    referral.full_clean()
    referral.save()
    _audit(
        Action.CREATE,
        actor=actor,
        obj=referral,
        participant=participant,
        changed=["provider_name", "directory_service_id", "status", "warm_handoff_note"],
    )
    return referral


@transaction.atomic
def referral_update(*, referral: Referral, actor: Any, data: dict[str, Any]) -> Referral:
    """Move a referral along (made, connected, declined, closed) or add to the hand-off note."""
    changed = _assign(referral, data, ("status", "warm_handoff_note"))
    referral.full_clean()
    referral.save()
    if changed:
        _audit(
            Action.UPDATE,
            actor=actor,
            obj=referral,
            participant=referral.participant,
            changed=changed,
        )
    return referral


@transaction.atomic
def appointment_create(
    *,
    participant: Participant,
    actor: Any,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    specialist: Any = None,
    transportation: str = Appointment.Transportation.NONE,
    transportation_arranged_by: Any = None,
    transportation_note: str = "",
) -> Appointment:
    """Book an appointment, noting any help needed to get there."""
    appointment = Appointment(
        organization=participant.organization,
        participant=participant,
        specialist=specialist or actor,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        transportation=transportation,
        transportation_arranged_by=transportation_arranged_by,
        transportation_note=transportation_note,
    )
    appointment.full_clean()
    appointment.save()
    _audit(
        Action.CREATE,
        actor=actor,
        obj=appointment,
        participant=participant,
        changed=["starts_at", "ends_at", "place", "specialist", "transportation"],
    )
    return appointment


APPOINTMENT_FIELDS = (
    "specialist",
    "starts_at",
    "ends_at",
    "place",
    "transportation",
    "transportation_arranged_by",
    "transportation_note",
)


@transaction.atomic
def appointment_update(
    *, appointment: Appointment, actor: Any, data: dict[str, Any]
) -> Appointment:
    """Move an appointment, change its place or specialist, or note the transportation."""
    if appointment.cancelled_at is not None:
        raise ValidationError(_("This appointment was cancelled; book a new one."))
    changed = _assign(appointment, data, APPOINTMENT_FIELDS)
    appointment.full_clean()
    appointment.save()
    if changed:
        _audit(
            Action.UPDATE,
            actor=actor,
            obj=appointment,
            participant=appointment.participant,
            changed=changed,
        )
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, actor: Any, at: datetime | None = None
) -> Appointment:
    """Cancel an appointment; it stays on file, and calendar feeds mark it cancelled."""
    if appointment.cancelled_at is None:
        appointment.cancelled_at = at or timezone.now()
        appointment.save(update_fields=["cancelled_at", "updated_at"])
        _audit(
            Action.UPDATE,
            actor=actor,
            obj=appointment,
            participant=appointment.participant,
            changed=["cancelled_at"],
        )
    return appointment


@transaction.atomic
def calendar_feed_reset(*, organization: Organization, user: Any) -> str:
    """Give ``user`` a new calendar feed token (the old one stops working); return the token.

    The token is shown once: only its SHA-256 digest is stored.
    """
    token = secrets.token_urlsafe(32)
    feed, _created = CalendarFeed.objects.update_or_create(
        organization=organization,
        user=user,
        defaults={"token_digest": calendar_token_digest(token), "last_used_at": None},
    )
    audit_record(
        action=Action.UPDATE,
        actor=user,
        organization=organization,
        obj=feed,
        changed_fields=["token_digest"],
    )
    return token


@transaction.atomic
def calendar_feed_delete(*, organization: Organization, user: Any) -> None:
    """Turn the calendar feed off."""
    for feed in CalendarFeed.objects.filter(organization=organization, user=user):
        audit_record(action=Action.DELETE, actor=user, organization=organization, obj=feed)
        feed.delete()


def calendar_feed_used(*, feed: CalendarFeed, at: datetime) -> None:
    """Note when a calendar app last fetched the feed (shown on the calendar page)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=at)


def calendar_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Access: break-glass and settings -----------------------------------------------------


@transaction.atomic
def break_glass_open(
    *, participant: Participant, actor: Any, reason: str, at: datetime | None = None
) -> BreakGlass:
    """Open a record outside one's caseload for a few hours; supervisors review it after."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you need to open this record.")})
    at = at or timezone.now()
    grant = BreakGlass(
        organization=participant.organization,
        participant=participant,
        user=actor,
        reason=reason,
        opened_at=at,
        expires_at=at + BREAK_GLASS_DURATION,
    )
    grant.full_clean()
    grant.save()
    Notification.objects.create(
        organization=participant.organization,
        kind=Notification.Kind.BREAK_GLASS,
        audience_role=Role.SUPERVISOR,
        participant=participant,
    )
    audit_record(
        action=Action.BREAK_GLASS,
        actor=actor,
        organization=participant.organization,
        obj=grant,
        participant_id=str(participant.pk),
        changed_fields=["reason", "expires_at"],
    )
    return grant


@transaction.atomic
def break_glass_review(*, grant: BreakGlass, actor: Any) -> BreakGlass:
    """A supervisor has looked at why the record was opened."""
    grant.reviewed_by = actor
    grant.reviewed_at = timezone.now()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "updated_at"])
    Notification.objects.filter(
        kind=Notification.Kind.BREAK_GLASS,
        participant=grant.participant,
        created_at__lte=grant.reviewed_at,
        read_at__isnull=True,
    ).update(read_at=grant.reviewed_at)
    _audit(
        Action.UPDATE,
        actor=actor,
        obj=grant,
        participant=grant.participant,
        changed=["reviewed_by", "reviewed_at"],
    )
    return grant


@transaction.atomic
def care_settings_update(
    *,
    organization: Organization,
    actor: Any,
    own_caseload_only: bool,
    not_seen_days: int,
    safety_protocol: str = "",
    is_part2_program: bool | None = None,
) -> CareSettings:
    """Change the organization's care settings (and whether it is a Part 2 program)."""
    if is_part2_program is not None and is_part2_program != organization.is_part2_program:
        organization.is_part2_program = is_part2_program
        organization.save(update_fields=["is_part2_program"])
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            organization=organization,
            obj=organization,
            changed_fields=["is_part2_program"],
        )
    settings_row, _created = CareSettings.objects.get_or_create(organization=organization)
    changed = _assign(
        settings_row,
        {
            "own_caseload_only": own_caseload_only,
            "not_seen_days": not_seen_days,
            "safety_protocol": safety_protocol,
        },
        ("own_caseload_only", "not_seen_days", "safety_protocol"),
    )
    settings_row.full_clean()
    settings_row.save()
    if changed:
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            organization=organization,
            obj=settings_row,
            changed_fields=changed,
        )
    return settings_row
