from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.core.landing import ROLES_WITHOUT_PAGES
from alongside.core.tenancy import (
    StaffRequest,
    memberships_for,
    staff_required,
    switch_organization,
)


@staff_required()
def staff_home(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "core/staff_home.html",
        {
            "memberships": memberships_for(request.user),
            "role_pages_missing": [
                role for role in ROLES_WITHOUT_PAGES if request.membership.has_role(role)
            ],
        },
    )


@require_POST
@staff_required()
def organization_switch(request: StaffRequest) -> HttpResponse:
    membership = switch_organization(request, request.POST.get("organization", ""))
    messages.success(
        request, _("You are now working in %(org)s.") % {"org": membership.organization.name}
    )
    # Straight to the work of the role held there, as after signing in.
    return redirect("core:staff_landing")
