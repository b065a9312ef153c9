"""Changing workforce records: each through ``core.records`` (validated, saved, audited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.documents import document_delete, document_store
from alongside.core.models import Membership
from alongside.core.records import record_create, record_update
from alongside.core.roles import Role
from alongside.workforce import rules
from alongside.workforce.models import (
    CertificationGoal,
    Credential,
    CredentialStatusChange,
    CredentialType,
    OtherWork,
    StaffProfile,
    SupervisionSession,
    SupervisoryAgreement,
    Training,
)

PROFILE_FIELDS = ["npi"]
CREDENTIAL_FIELDS = ["type", "number", "issued_on", "expires_on"]
TRAINING_FIELDS = ["date", "hours", "topic", "title", "provider"]
OTHER_WORK_FIELDS = ["date", "hours", "description"]
GOAL_FIELDS = ["type", "exam_passed_on"]
AGREEMENT_FIELDS = ["supervisor", "approved_on", "approved_by", "ends_on"]
SUPERVISION_FIELDS = ["supervisor", "date", "minutes", "format", "topics", "note"]
SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.ORG_ADMIN)


def staff_profile_ensure(*, membership: Membership, actor: Any) -> StaffProfile:
    """The member's staff profile, made the first time something is recorded for them."""
    profile = StaffProfile.objects.filter(membership=membership).first()
    if profile is not None:
        return profile
    profile = StaffProfile(
        organization=membership.organization, membership=membership, user=membership.user
    )
    return record_create(profile, actor=actor, fields=["membership", "user"])


def staff_profile_update(*, profile: StaffProfile, actor: Any, data: dict[str, Any]) -> list[str]:
    return record_update(profile, actor=actor, fields=PROFILE_FIELDS, data=data)


def _status_note(credential: Credential, reason: str) -> None:
    today = timezone.localdate()
    CredentialStatusChange.objects.create(
        organization=credential.organization,
        credential=credential,
        status=rules.status_on(credential.type, credential.expires_on, today),
        on=today,
        reason=reason,
    )


@transaction.atomic
def credential_add(*, profile: StaffProfile, actor: Any, data: dict[str, Any]) -> Credential:
    """Record a credential held; without an expiry date, it is the issue date plus the cycle.

    A renewal is a new credential record with the new dates: the old one stays, so the
    question "was this person certified on that day?" still has its answer.
    """
    data = dict(data)
    ctype = data.get("type")
    if not data.get("expires_on") and isinstance(ctype, CredentialType) and data.get("issued_on"):
        data["expires_on"] = rules.default_expiry(ctype, data["issued_on"])
        if data["expires_on"] is None:
            raise ValidationError(
                {
                    "expires_on": _(
                        "The rules loaded for this credential give no renewal cycle: "
                        "give the expiry date printed on the certificate."
                    )
                }
            )
    credential = Credential(
        organization=profile.organization, profile=profile, type=data.get("type")
    )
    credential = record_create(credential, actor=actor, fields=CREDENTIAL_FIELDS, data=data)
    _status_note(credential, "recorded")
    return credential


def allowed_topics(profile: StaffProfile) -> set[str] | None:
    """Topics a training may have: None (any) unless every credential the person holds or works
    toward restricts its topics, and then the topics those credentials allow."""
    types = [c.type for c in profile.credentials.select_related("type")]
    types += [g.type for g in profile.goals.select_related("type")]
    if not types or any(t.topics is None for t in types):
        return None
    return {topic for t in types for topic in t.topics or []}


@transaction.atomic
def training_add(
    *, profile: StaffProfile, actor: Any, data: dict[str, Any], certificate: Any = None
) -> Training:
    """Record a training or CE; a certificate (PDF, PNG or JPEG) is kept in private storage."""
    training = Training(organization=profile.organization, profile=profile)
    for name in TRAINING_FIELDS:
        if name in data:
            setattr(training, name, data[name])
    training.full_clean()
    topics = allowed_topics(profile)
    if topics is not None and training.topic not in topics:
        raise ValidationError(
            {
                "topic": _("Your credential counts these topics only: %(topics)s.")
                % {"topics": ", ".join(sorted(topics))}
            }
        )
    stored = None
    if certificate is not None:
        stored = document_store(certificate, folder="certificates", field="certificate")
        training.certificate_key = stored.key
        training.certificate_type = stored.content_type
        training.certificate_name = (getattr(certificate, "name", "") or "certificate")[:120]
    try:
        fields = [*TRAINING_FIELDS, *(["certificate_key"] if stored else [])]
        return record_create(training, actor=actor, fields=fields)
    except Exception:
        if stored is not None:
            document_delete(stored.key)
        raise


def other_work_add(*, profile: StaffProfile, actor: Any, data: dict[str, Any]) -> OtherWork:
    work = OtherWork(organization=profile.organization, profile=profile)
    return record_create(work, actor=actor, fields=OTHER_WORK_FIELDS, data=data)


def certification_goal_set(
    *, profile: StaffProfile, actor: Any, data: dict[str, Any]
) -> CertificationGoal:
    """Say that someone works toward a credential (and, later, when they passed its exam)."""
    goal = CertificationGoal.objects.filter(profile=profile, type=data.get("type")).first()
    if goal is None:
        goal = CertificationGoal(
            organization=profile.organization, profile=profile, type=data.get("type")
        )
        return record_create(goal, actor=actor, fields=GOAL_FIELDS, data=data)
    record_update(goal, actor=actor, fields=["exam_passed_on"], data=data)
    return goal


def _supervisor_check(supervisor: StaffProfile | None, supervisee: StaffProfile) -> None:
    if supervisor is None:
        raise ValidationError({"supervisor": _("Choose the supervisor.")})
    if supervisor.organization_id != supervisee.organization_id:
        raise ValidationError({"supervisor": _("No supervisor of that name here.")})
    if not supervisor.membership.has_role(*SUPERVISOR_ROLES):
        raise ValidationError(
            {
                "supervisor": _("%(name)s is not a supervisor in this organization.")
                % {"name": supervisor.user.get_full_name() or supervisor.user.get_username()}
            }
        )


def agreement_add(
    *, supervisee: StaffProfile, actor: Any, data: dict[str, Any]
) -> SupervisoryAgreement:
    """Record a supervisory agreement; supervision counts toward certification once approved."""
    _supervisor_check(data.get("supervisor"), supervisee)
    agreement = SupervisoryAgreement(
        organization=supervisee.organization,
        supervisee=supervisee,
        supervisor=data.get("supervisor"),
    )
    return record_create(agreement, actor=actor, fields=AGREEMENT_FIELDS, data=data)


def agreement_approve(
    *, agreement: SupervisoryAgreement, actor: Any, approved_on: date, approved_by: str
) -> list[str]:
    return record_update(
        agreement,
        actor=actor,
        fields=["approved_on", "approved_by"],
        data={"approved_on": approved_on, "approved_by": approved_by},
    )


def supervision_add(
    *, supervisee: StaffProfile, actor: Any, data: dict[str, Any]
) -> SupervisionSession:
    """Log a supervision session (both names, date, minutes, format, topics, a short note)."""
    _supervisor_check(data.get("supervisor"), supervisee)
    data = {**data, "topics": sorted(set(data.get("topics") or []))}
    session = SupervisionSession(
        organization=supervisee.organization,
        supervisee=supervisee,
        supervisor=data.get("supervisor"),
    )
    return record_create(session, actor=actor, fields=SUPERVISION_FIELDS, data=data)
