"""The Django admin: an operator's tool, for superusers only, whose changes are audited.

The staff pages change memberships through services that audit each change; the admin saves
models directly, so ``AuditedAdmin`` writes the same kind of event for each save and delete.
The admins other packages register (accounts, second-factor devices, sign-in lockouts) are
replaced by audited copies of themselves, and a test holds every registered admin to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from alongside.core.audit import Action, audit_record
from alongside.core.models import ApiToken, AuditEvent, Membership, Organization


def _superuser_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


# The Django admin is an operator's tool: superusers only, whatever their staff flag.
admin.site.has_permission = _superuser_only  # type: ignore[method-assign]


class AuditedAdminMixin:
    """Audits every save of a model admin (the names of the fields changed) and delete."""

    # The action of a change; a membership's is a permission change, as on the team page.
    change_action: str = Action.UPDATE

    def audited_organization(self, obj: Any) -> Organization | None:
        return getattr(obj, "organization", None)

    def _audit(self, request: HttpRequest, obj: Any, action: str, fields: list[str]) -> None:
        audit_record(
            action=action,
            request=request,
            organization=self.audited_organization(obj),
            obj=obj,
            changed_fields=fields,
        )

    def audited_fields(self, form: ModelForm) -> list[str]:
        """The names of the fields the form changed, as the trail should name them."""
        return list(form.changed_data)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        fields = self.audited_fields(form)
        changed = _really_changed(obj, fields) if change else fields
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        # The admin's change view runs in one transaction: the event and the change go together.
        if change and not changed:
            return
        self._audit(request, obj, self.change_action if change else Action.CREATE, changed)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, obj, Action.DELETE, [])
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Model]) -> None:
        for obj in queryset:
            self._audit(request, obj, Action.DELETE, [])
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A model admin whose saves and deletes are audited."""


class AuditedUserAdmin(AuditedAdminMixin, UserAdmin):
    """Django's account admin, audited, its own password page too (never the password)."""

    def audited_fields(self, form: ModelForm) -> list[str]:
        # The add form's password boxes are one change: the password.
        names = super().audited_fields(form)
        return list(dict.fromkeys("password" if "password" in n else n for n in names))

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            self._audit(request, user, Action.UPDATE, ["password"])
        return response


def audit_every_admin(site: admin.AdminSite = admin.site) -> None:
    """Replace each admin registered on ``site`` that does not audit by an audited subclass."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdminMixin) or model is AuditEvent:
            continue
        base = type(model_admin)
        mixin = AuditedUserAdmin if issubclass(base, UserAdmin) else AuditedAdminMixin
        audited = type(f"Audited{base.__name__}", (mixin, base), {"__module__": __name__})
        site.unregister(model)
        site.register(model, audited)


def _really_changed(obj: Any, names: list[str]) -> list[str]:
    """The names among ``names`` whose stored value differs from ``obj``'s.

    A form may call a field changed that is not (a JSON list typed out again), and the trail
    should name what a person actually changed.
    """
    stored = type(obj)._base_manager.filter(pk=obj.pk).first()
    if stored is None:
        return list(names)
    concrete = {f.name for f in obj._meta.concrete_fields}
    return [n for n in names if n not in concrete or getattr(stored, n) != getattr(obj, n)]


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["name", "slug", "state", "kind", "is_part2_program"]
    search_fields = ["name", "slug"]

    def audited_organization(self, obj: Any) -> Organization | None:
        return obj if obj.pk is not None else None


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    change_action = Action.PERMISSION_CHANGE
    list_display = ["user", "organization", "roles", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["user", "organization"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
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
