"""The Team pages: an organization admin invites people, sets roles and turns access off and on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.core import services_team
from alongside.core.forms import InviteForm, MemberRolesForm, act_and_tell, form_view
from alongside.core.models import Membership
from alongside.core.people import display_name, role_label
from alongside.core.roles import Role
from alongside.core.selectors import team_for_org
from alongside.core.tenancy import StaffRequest, get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from django.http import HttpResponse

admin_required = staff_required(Role.ORG_ADMIN)


@require_http_methods(["GET", "HEAD"])
@admin_required
def team(request: StaffRequest) -> HttpResponse:
    members = [(m, [role_label(r) for r in m.roles]) for m in team_for_org(request.organization)]
    return render(request, "core/team/team.html", {"members": members})


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def member_invite(request: StaffRequest) -> HttpResponse:
    return form_view(
        request,
        InviteForm(request.POST or None),
        save=lambda data: services_team.member_invite(
            organization=request.organization,
            actor=request.user,
            data=data,
            site_url=_site_url(request),
        ),
        done=lambda membership: redirect("core:team_member", pk=membership.pk),
        success=_("Invitation sent."),
        template="core/team/invite.html",
        context={},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@admin_required
def member(request: StaffRequest, pk: int) -> HttpResponse:
    membership = _member_or_404(request, pk)
    return form_view(
        request,
        MemberRolesForm(request.POST or None, initial={"roles": membership.roles}),
        save=lambda data: services_team.member_roles_change(
            membership=membership, actor=request.user, roles=data["roles"]
        ),
        done=lambda saved: redirect("core:team_member", pk=saved.pk),
        success=_("Roles saved."),
        template="core/team/member.html",
        context={
            "member": membership,
            "name": display_name(membership.user),
            "roles": [role_label(r) for r in membership.roles],
            "is_self": membership.user_id == request.user.pk,
        },
    )


@require_POST
@admin_required
def member_deactivate(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda m: services_team.member_deactivate(membership=m, actor=request.user),
        _("%(name)s can no longer sign in to this organization or use its API tokens."),
    )


@require_POST
@admin_required
def member_reactivate(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda m: services_team.member_reactivate(membership=m, actor=request.user),
        _("%(name)s can work in this organization again."),
    )


@require_POST
@admin_required
def member_two_factor_reset(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda m: services_team.member_two_factor_reset(
            membership=m, actor=request.user, site_url=_site_url(request)
        ),
        _("%(name)s was e-mailed a link to set up an authenticator app again."),
    )


@require_POST
@admin_required
def member_invitation_resend(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda m: services_team.member_invitation_resend(
            membership=m, actor=request.user, site_url=_site_url(request)
        ),
        _("The invitation was sent to %(name)s again."),
    )


def _member_or_404(request: StaffRequest, pk: int) -> Membership:
    return get_for_org_or_404(
        Membership.objects.select_related("user", "organization"), request.organization, pk=pk
    )


def _act(
    request: StaffRequest, pk: int, act: Callable[[Membership], Any], success: str
) -> HttpResponse:
    membership = _member_or_404(request, pk)
    act_and_tell(
        request,
        lambda: act(membership),
        success % {"name": display_name(membership.user)},
    )
    return redirect("core:team_member", pk=membership.pk)


def _site_url(request: StaffRequest) -> str:
    # The host was checked against ALLOWED_HOSTS, so the link cannot point elsewhere.
    return request.build_absolute_uri("/").rstrip("/")
