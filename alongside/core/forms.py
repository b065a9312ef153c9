from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from alongside.core.audit_words import participant_ids_named
from alongside.core.models import AuditEvent, Organization
from alongside.core.roles import Role

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

# The longest free text any form page takes, the same as the API's longest (a note's
# sections, 20,000 characters each): without it, a form takes whatever fits in a request.
LONGEST_TEXT = 20_000

SORTABLE = (
    "occurred_at",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "participant_id",
    "ip_address",
)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, which also turns away someone every organization deactivated."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        # A person with no membership at all (a superuser, a library editor) may still sign in.
        memberships = user.memberships.all()
        if memberships.exists() and not memberships.filter(is_active=True).exists():
            raise ValidationError(
                _(
                    "Your access has been turned off by your organization. Ask its "
                    "administrator if you think this is a mistake."
                ),
                code="deactivated",
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


class ParticipantIdsField(forms.Field):
    """Participant ids carried from one page of the report to the next, as hidden inputs."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(v).strip()[:64] for v in values if str(v).strip()]


class AuditFilterForm(forms.Form):
    """The audit report's filters. A participant is looked for by name, which a POST carries:
    a name never goes into a URL, only the ids of the people it found."""

    user = forms.CharField(
        label=_("Staff member"),
        help_text=_("Their name or username."),
        required=False,
        max_length=150,
    )
    participant_name = forms.CharField(
        label=_("Participant's name"), required=False, max_length=100
    )
    participant = ParticipantIdsField(required=False)
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

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        name = data.get("participant_name")
        if name:
            data["participant"] = participant_ids_named(self.organization, name)
            if not data["participant"]:
                self.add_error(
                    "participant_name", _("No participant in this organization has that name.")
                )
        return data

    def query(self) -> QueryDict:
        """The valid filters as the report's query string: ids, never a participant's name."""
        data = self.cleaned_data
        query = QueryDict(mutable=True)
        for name in ("user", "action", "sort"):
            if data.get(name):
                query[name] = data[name]
        for name in ("date_from", "date_to"):
            if data.get(name):
                query[name] = data[name].isoformat()
        if data.get("participant"):
            query.setlist("participant", data["participant"])
        return query


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
    # The address becomes a new person's username, which holds 150 characters.
    email = forms.EmailField(label=_("E-mail"), max_length=150)

    field_order = ["first_name", "last_name", "email", "roles"]


def errors_onto_form(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's validation errors on the form, on the field it names where it can."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def act_and_tell(
    request: HttpRequest, act: Callable[[], Any], success: str | Callable[[], str]
) -> bool:
    """Run a service behind a button; the next page says whether it worked, and why not.

    ``success`` may be a callable, for a message that names what the service changed.
    """
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success() if callable(success) else success)
    return True


# CharFields that parse the text into a value of another kind: no length limit applies.
PARSED = (forms.UUIDField, forms.JSONField, forms.GenericIPAddressField)


def limit_text(form: forms.BaseForm, longest: int = LONGEST_TEXT) -> None:
    """Give each text field of ``form`` without a length limit of its own ``longest``."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or isinstance(field, PARSED):
            continue
        if field.max_length is None:
            field.max_length = longest
            field.validators.append(MaxLengthValidator(longest))
            field.widget.attrs.update(field.widget_attrs(field.widget))


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
    Free text is held to ``LONGEST_TEXT`` characters where the form sets no limit.
    """
    limit_text(form)
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


class SearchSynonymForm(forms.Form):
    """One synonym group; the words are written one per line."""

    key = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. alcohol."),
    )
    terms = forms.CharField(
        label=_("When someone types"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Words or short phrases, one per line, e.g. AA or my son."),
    )
    expansions = forms.CharField(
        label=_("Also search for"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Words or short phrases, one per line, e.g. peer-led groups."),
    )

    codes = forms.CharField(
        label=_("Directory filters (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Filter codes, one per line, e.g. focus:substance_use or type:peer_group. A "
            "directory search reads the words above as these filters."
        ),
    )

    def clean_terms(self) -> list[str]:
        return [line for line in self.cleaned_data["terms"].splitlines() if line.strip()]

    def clean_expansions(self) -> list[str]:
        return [line for line in self.cleaned_data["expansions"].splitlines() if line.strip()]

    def clean_codes(self) -> list[str]:
        # One per line; spaces or commas between them are read alike.
        return self.cleaned_data["codes"].replace(",", " ").split()
