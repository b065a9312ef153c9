from django.contrib import admin
from django.http import HttpRequest

from alongside.core.models import ApiToken, AuditEvent, Membership, Organization


def _superuser_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


# The Django admin is an operator's tool: superusers only, whatever their staff flag.
admin.site.has_permission = _superuser_only  # type: ignore[method-assign]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "state", "kind", "is_part2_program"]
    search_fields = ["name", "slug"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "roles", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["user", "organization"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "organization", "created_at", "expires_at", "revoked_at"]
    readonly_fields = [
        "prefix",
        "digest",
        "user",
        "organization",
        "created_at",
        "expires_at",
        "last_used_at",
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["id", "occurred_at", "actor_username", "action", "object_type", "object_id"]
    list_filter = ["action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
