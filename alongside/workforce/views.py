"""Workforce pages: one's own status, a person's record, the team table, the forms that add
to them, a certificate's download and the supervision report.

Thin views: role check → ``staff_member_or_404`` (404 for anyone the member may not see) →
form → service → redirect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alongside.core.audit import Action, audit_record
from alongside.core.documents import document_response
from alongside.core.forms import form_view
from alongside.core.tenancy import get_for_org_or_404, staff_required
from alongside.workforce import selectors, services
from alongside.workforce.access import TEAM_ROLES, sees_a_team, staff_member_or_404
from alongside.workforce.forms import (
    AgreementForm,
    ApprovalForm,
    CredentialForm,
    GoalForm,
    NpiForm,
    OtherWorkForm,
    ReportForm,
    SupervisionForm,
    TrainingForm,
)
from alongside.workforce.models import StaffProfile, SupervisoryAgreement, Training

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.forms import BaseForm
    from django.http import HttpRequest, HttpResponse

    from alongside.core.models import Membership
    from alongside.core.tenancy import StaffRequest

FORM_METHODS = ["GET", "HEAD", "POST"]


def _person_url(member: Membership) -> str:
    return reverse("workforce:person", args=[member.user.get_username()])


def _person_context(request: StaffRequest, member: Membership) -> dict[str, Any]:
    today = timezone.localdate()
    row = selectors.my_status(member, today)
    profile = row.profile
    context: dict[str, Any] = {
        "member": member,
        "profile": profile,
        "row": row,
        "today": today,
        "is_self": member.user_id == request.user.pk,
        "sees_team": sees_a_team(request.membership),
        "progress": [selectors.progress(profile, goal.type, today) for goal in row.goals],
    }
    if profile is not None:
        context["trainings"] = profile.trainings.all()[:50]
        context["sessions"] = profile.supervision_received.select_related("supervisor__user")[:20]
        context["agreements"] = profile.agreements_as_supervisee.select_related("supervisor__user")
        context["other_work"] = profile.other_work.all()[:20]
    return context


@require_safe
@staff_required()
def home(request: StaffRequest) -> HttpResponse:
    """One's own credentials, CE, progress and supervision."""
    context = _person_context(request, request.membership)
    return render(request, "workforce/person.html", context)


@require_safe
@staff_required()
def person(request: StaffRequest, username: str) -> HttpResponse:
    member = staff_member_or_404(request, username)
    return render(request, "workforce/person.html", _person_context(request, member))


@require_safe
@staff_required(*TEAM_ROLES)
def team(request: StaffRequest) -> HttpResponse:
    """The team's credentials, soonest problem first."""
    today = timezone.localdate()
    lines = selectors.team_lines(request.membership, today)
    return render(request, "workforce/team.html", {"lines": lines, "today": today})


def _form_page(
    request: StaffRequest,
    member: Membership,
    form: BaseForm,
    *,
    title: str,
    save: Callable[[StaffProfile, dict[str, Any]], Any],
    success: str,
    multipart: bool = False,
    intro: str = "",
) -> HttpResponse:
    def run(data: dict[str, Any]) -> Any:
        # A refused form leaves nothing behind, not even the profile made for it.
        with transaction.atomic():
            profile = services.staff_profile_ensure(membership=member, actor=request.user)
            return save(profile, data)

    return form_view(
        request,
        form,
        save=run,
        done=lambda _result: redirect(_person_url(member)),
        success=success,
        template="workforce/form.html",
        context={
            "title": title,
            "member": member,
            "multipart": multipart,
            "intro": intro,
            "submit": _("Save"),
        },
    )


def _data(request: StaffRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_http_methods(FORM_METHODS)
@staff_required()
def credential_add(request: StaffRequest, username: str) -> HttpResponse:
    member = staff_member_or_404(request, username)
    return _form_page(
        request,
        member,
        CredentialForm(_data(request)),
        title=_("Add a credential"),
        intro=_("A renewal is added as a credential of its own, with its new dates."),
        save=lambda profile, data: services.credential_add(
            profile=profile, actor=request.user, data=data
        ),
        success=_("Credential saved."),
    )


@require_http_methods(FORM_METHODS)
@staff_required()
def training_add(request: StaffRequest, username: str) -> HttpResponse:
    member = staff_member_or_404(request, username)
    form = TrainingForm(_data(request), request.FILES if request.method == "POST" else None)

    def save(profile: StaffProfile, data: dict[str, Any]) -> Training:
        certificate = data.pop("certificate", None)
        return services.training_add(
            profile=profile, actor=request.user, data=data, certificate=certificate
        )

    return _form_page(
        request,
        member,
        form,
        title=_("Add a training or CE"),
        save=save,
        success=_("Training saved."),
        multipart=True,
    )


@require_http_methods(FORM_METHODS)
@staff_required()
def other_work_add(request: StaffRequest, username: str) -> HttpResponse:
    member = staff_member_or_404(request, username)
    return _form_page(
        request,
        member,
        OtherWorkForm(_data(request)),
        title=_("Log other peer support work"),
        intro=_(
            "Signed notes in the care records already count as experience. Log here only "
            "work that is not in them."
        ),
        save=lambda profile, data: services.other_work_add(
            profile=profile, actor=request.user, data=data
        ),
        success=_("Work logged."),
    )


@require_http_methods(FORM_METHODS)
@staff_required()
def goal_add(request: StaffRequest, username: str) -> HttpResponse:
    member = staff_member_or_404(request, username)
    return _form_page(
        request,
        member,
        GoalForm(_data(request)),
        title=_("Working toward a credential"),
        save=lambda profile, data: services.certification_goal_set(
            profile=profile, actor=request.user, data=data
        ),
        success=_("Saved."),
    )


def _supervisor_profile(request: StaffRequest, data: dict[str, Any]) -> dict[str, Any]:
    supervisor = data.get("supervisor")
    if supervisor is not None:
        data["supervisor"] = services.staff_profile_ensure(
            membership=supervisor, actor=request.user
        )
    return data


@require_http_methods(FORM_METHODS)
@staff_required()
def supervision_add(request: StaffRequest, username: str) -> HttpResponse:
    member = staff_member_or_404(request, username)
    form = SupervisionForm(
        _data(request), organization=request.organization, exclude_user=member.user_id
    )
    return _form_page(
        request,
        member,
        form,
        title=_("Log supervision"),
        save=lambda profile, data: services.supervision_add(
            supervisee=profile, actor=request.user, data=_supervisor_profile(request, data)
        ),
        success=_("Supervision logged."),
    )


@require_http_methods(FORM_METHODS)
@staff_required()
def agreement_add(request: StaffRequest, username: str) -> HttpResponse:
    member = staff_member_or_404(request, username)
    form = AgreementForm(
        _data(request), organization=request.organization, exclude_user=member.user_id
    )
    return _form_page(
        request,
        member,
        form,
        title=_("Add a supervisory agreement"),
        intro=_(
            "Supervised hours count toward certification only from the day the agreement is "
            "approved (in New Hampshire, by the board)."
        ),
        save=lambda profile, data: services.agreement_add(
            supervisee=profile, actor=request.user, data=_supervisor_profile(request, data)
        ),
        success=_("Agreement saved."),
    )


@require_http_methods(FORM_METHODS)
@staff_required()
def agreement_approve(request: StaffRequest, username: str, agreement_id: str) -> HttpResponse:
    """Record the approval of a pending agreement (the board's letter came, say)."""
    member = staff_member_or_404(request, username)
    agreement = get_for_org_or_404(
        SupervisoryAgreement.objects.select_related("supervisor__user"),
        request.organization,
        pk=agreement_id,
        supervisee__membership=member,
    )
    return _form_page(
        request,
        member,
        ApprovalForm(_data(request), initial={"approved_by": agreement.approved_by}),
        title=_("Record the agreement's approval"),
        intro=_("Supervision from this date on counts toward certification."),
        save=lambda _profile, data: services.agreement_approve(
            agreement=agreement, actor=request.user, **data
        ),
        success=_("Approval recorded."),
    )


@require_http_methods(FORM_METHODS)
@staff_required()
def npi_edit(request: StaffRequest, username: str) -> HttpResponse:
    member = staff_member_or_404(request, username)
    profile = selectors.profile_for(member)
    form = NpiForm(_data(request), initial={"npi": profile.npi if profile else ""})
    return _form_page(
        request,
        member,
        form,
        title=_("National Provider Identifier"),
        save=lambda profile, data: services.staff_profile_update(
            profile=profile, actor=request.user, data=data
        ),
        success=_("NPI saved."),
    )


@require_safe
@staff_required()
def certificate(request: StaffRequest, username: str, training_id: str) -> HttpResponse:
    """A training certificate, as a download; every download is in the audit trail."""
    member = staff_member_or_404(request, username)
    training = get_for_org_or_404(
        Training, request.organization, pk=training_id, profile__membership=member
    )
    if not training.certificate_key:
        raise Http404
    audit_record(action=Action.EXPORT, request=request, obj=training)
    return document_response(training.certificate_key, filename=training.certificate_name)


@require_safe
@staff_required()
def supervision_report(request: StaffRequest, username: str) -> HttpResponse:
    """Supervision received between two dates: hours by format and topic, and each session."""
    member = staff_member_or_404(request, username)
    form = ReportForm(request.GET or None)
    report = None
    if form.is_bound and form.is_valid():
        profile = selectors.profile_for(member)
        if profile is not None:
            report = selectors.supervision_report(
                profile, form.cleaned_data["start"], form.cleaned_data["end"]
            )
    return render(
        request,
        "workforce/report.html",
        {"form": form, "member": member, "report": report, "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


def my_credentials_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The signed-in member's credentials: a card on the staff dashboard (core.panels)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    return {"row": selectors.my_status(membership, timezone.localdate())}
