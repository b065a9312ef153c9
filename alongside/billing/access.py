"""Who may use billing: the billing role and organization admins, nobody else.

A billing clerk sees participants' names, coverage and the facts of each encounter (signed or
not, date, minutes, type); never a note's words. Another organization's batch, claim or
remittance answers 404, as everywhere.
"""

from __future__ import annotations

from alongside.core.models import Membership
from alongside.core.roles import Role

BILLING_ROLES = (Role.BILLING, Role.ORG_ADMIN)


def can_bill(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(*BILLING_ROLES)
