"""Who sees the warm line's contacts: its responders, supervisors and admins, in its org."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alongside.core.audit import Action, audit_record
from alongside.core.roles import Role
from alongside.core.tenancy import get_for_org_or_404, staff_required
from alongside.warmline.models import Contact

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

RESPONDER_ROLES = (Role.WARMLINE_RESPONDER,)
WATCH_ROLES = (Role.WARMLINE_RESPONDER, Role.SUPERVISOR, Role.ORG_ADMIN)
LEAD_ROLES = (Role.SUPERVISOR, Role.ORG_ADMIN)
ADMIN_ROLES = (Role.ORG_ADMIN,)

responder_required = staff_required(*RESPONDER_ROLES)
watch_required = staff_required(*WATCH_ROLES)
lead_required = staff_required(*LEAD_ROLES)
admin_required = staff_required(*ADMIN_ROLES)


def contact_for_request_or_404(request: StaffRequest, pk: Any, *, audited: bool = False) -> Contact:
    """The organization's contact, or 404; ``audited`` writes the transcript's opening."""
    contact = get_for_org_or_404(
        Contact.objects.select_related("line", "responder"), request.organization, pk=pk
    )
    if audited:
        audit_record(action=Action.VIEW, request=request, obj=contact)
    return contact
