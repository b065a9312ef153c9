from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from alongside.core.models import AuditEvent
from alongside.core.roles import Role

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

SORTABLE = (
    "occurred_at",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "participant_id",
    "ip_address",
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code is made of digits only."))
        return token


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    participant = forms.CharField(label=_("Participant id"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AuditEvent.Action.choices],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(c, c) for c in SORTABLE] + [(f"-{c}", f"-{c}") for c in SORTABLE],
        widget=forms.HiddenInput,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


ROLE_HELP = _(
    "Organization admins run the team and read the audit report; supervisors see every "
    "participant; peer support specialists keep their own caseload."
)


class MemberRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=ROLE_HELP,
    )


class InviteForm(MemberRolesForm):
    """Who to invite; the field names are ``core.services_team.INVITE_FIELDS``."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)

    field_order = ["first_name", "last_name", "email", "roles"]


def errors_onto_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's validation errors on the form, on the field it names where it can."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_view(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    template: str,
    context: dict[str, Any],
    success: str = "",
) -> HttpResponse:
    """A form page whose valid POST calls a service: the one shape of every form view.

    ``save`` gets the cleaned data and calls the service; a ``ValidationError`` it raises lands
    on the form, which is shown again with status 400. On success the ``success`` message is
    queued and ``done`` (given what ``save`` returned) answers, usually with a redirect.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = save(dict(form.cleaned_data))
        except ValidationError as exc:
            errors_onto_form(form, exc)
        else:
            if success:
                messages.success(request, success)
            return done(result)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)
