"""Caseload transfer: an admin or supervisor moves one specialist's participants to another."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alongside.care import selectors
from alongside.care.access import TEAM_ROLES
from alongside.care.forms import care_staff
from alongside.care.models import Participant
from alongside.care.services.participants import caseload_transfer as transfer
from alongside.core.audit import audit_views
from alongside.core.forms import form_view
from alongside.core.models import Membership, Organization
from alongside.core.people import display_name
from alongside.core.tenancy import get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class CaseloadTransferForm(forms.Form):
    to_user = PersonChoiceField(
        label=gettext_lazy("Move them to"), queryset=get_user_model().objects.none()
    )
    participants = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Participants to move"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Everyone is ticked; untick anyone who should stay."),
    )

    def __init__(self, *args: Any, organization: Organization, caseload: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["to_user"].queryset = care_staff(organization)  # type: ignore[attr-defined]
        self.fields["participants"].queryset = caseload  # type: ignore[attr-defined]
        self.initial.setdefault("participants", list(caseload))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(*TEAM_ROLES)
def caseload_transfer(request: StaffRequest) -> HttpResponse:
    """Pick whose caseload (a GET, so the page works without JavaScript), then where it goes."""
    organization = request.organization
    chosen = request.GET.get("from", "")
    if not chosen:
        return render(request, "care/caseload_transfer.html", _context(organization, None))
    if not chosen.isdigit():
        raise Http404
    from_member = get_for_org_or_404(
        Membership.objects.select_related("user"), organization, user_id=int(chosen)
    )
    from_user = from_member.user
    caseload = Participant.objects.filter(specialists=from_user).order_by("preferred_name", "id")

    def save(data: dict[str, Any]) -> list[Participant]:
        return transfer(
            organization=organization,
            from_user=from_user,
            to_user=data["to_user"],
            actor=request.user,
            participants=data["participants"],
        )

    here = reverse("care:caseload_transfer") + f"?from={from_user.pk}"
    response = form_view(
        request,
        CaseloadTransferForm(request.POST or None, organization=organization, caseload=caseload),
        save=save,
        done=lambda moved: redirect(here),
        success=_("The participants were moved."),
        template="care/caseload_transfer.html",
        context=_context(organization, from_member),
    )
    if not response.has_header("Location"):
        # The form lists the caseload by name.
        audit_views(
            request=request,
            participant_ids=caseload.values_list("pk", flat=True),
            object_type="care.caseload_transfer",
        )
    return response


def _context(organization: Organization, from_member: Membership | None) -> dict[str, Any]:
    people = selectors.caseload_keepers(organization)
    return {
        "people": [(u.pk, display_name(u)) for u in people],
        "from_member": from_member,
        "from_name": display_name(from_member.user) if from_member else "",
    }
