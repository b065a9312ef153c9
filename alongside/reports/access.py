"""Who may run reports: organization admins and supervisors, on their own organization."""

from alongside.core.roles import Role

REPORT_ROLES = (Role.ORG_ADMIN, Role.SUPERVISOR)
