"""The audit trail in words: what a person did, and which participant it was about, by name.

Core keeps the trail but knows no participants (``core`` imports no app), so apps fill two
registries when they start (``AppConfig.ready``):
- ``register_participant_lookup``: a ``find`` that turns a name into the ids of the
  organization's participants who bear it, and a ``name`` that turns ids into names;
- ``register_phrases``: plain words for an action on a kind of record, such as
  ``("view", "care.participant")`` -> "opened the record".

A phrase is looked up by action, record type and the first field changed, then by action and
record type; an event nobody described falls back to the action's label and the record's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.core.models import AuditEvent

if TYPE_CHECKING:
    from alongside.core.models import Organization

ParticipantFinder = Callable[["Organization", str], list[str]]
ParticipantNamer = Callable[["Organization", list[str]], dict[str, str]]
PhraseKey = tuple[str, str] | tuple[str, str, str]

_finders: list[ParticipantFinder] = []
_namers: list[ParticipantNamer] = []
_phrases: dict[PhraseKey, str | Promise] = {}

Action = AuditEvent.Action

# Core's own events.
_phrases.update(
    {
        (Action.LOGIN, ""): _("signed in"),
        (Action.LOGIN_FAILED, ""): _("failed to sign in"),
        (Action.LOGIN_FAILED, "otp_totp.totpdevice"): _("entered a wrong two-factor code"),
        (Action.CREATE, "core.password_reset"): _("asked for a password-reset link"),
        (Action.UPDATE, "core.password_reset"): _("set a new password with a reset link"),
        (Action.CREATE, "core.organization"): _("added an organization"),
        (Action.UPDATE, "core.organization"): _("changed the organization's settings"),
        (Action.UPDATE, "core.organization", "is_part2_program"): _(
            "changed whether the organization is a Part 2 program"
        ),
        (Action.DELETE, "core.membership"): _("removed someone from the team"),
        # Changes made in the Django admin (core/admin.py).
        (Action.UPDATE, "auth.user"): _("changed an account"),
        (Action.UPDATE, "auth.user", "is_superuser"): _("changed who is a superuser"),
        (Action.DELETE, "auth.user"): _("deleted an account"),
        (Action.DELETE, "otp_totp.totpdevice"): _("removed a two-factor device"),
        (Action.DELETE, "axes.accessattempt"): _("cleared a sign-in lockout"),
        (Action.LOGOUT, ""): _("signed out"),
        (Action.EXPORT, "audit_report"): _("downloaded the audit report"),
        (Action.CREATE, "auth.user"): _("created an account"),
        (Action.CREATE, "core.membership"): _("added someone to the team"),
        (Action.PERMISSION_CHANGE, "core.membership", "roles"): _("changed a member's roles"),
        (Action.PERMISSION_CHANGE, "core.membership", "is_active"): _(
            "turned a member's access off or on"
        ),
        (Action.PERMISSION_CHANGE, "core.membership", "two_factor"): _(
            "reset a member's two-factor sign-in"
        ),
        (Action.PERMISSION_CHANGE, "core.membership", "invitation"): _("sent an invitation again"),
        (Action.CREATE, "otp_totp.totpdevice"): _("set up two-factor sign-in"),
        (Action.CREATE, "core.apitoken"): _("created an API token"),
        (Action.UPDATE, "core.apitoken"): _("revoked an API token"),
        (Action.UPDATE, "auth.user", "password"): _("changed their password"),
        (Action.CREATE, "core.twofactorenrolment"): _("issued a two-factor set-up link"),
        (Action.CREATE, "core.notification"): _("notified someone"),
        (Action.UPDATE, "core.notification"): _("marked notifications read"),
        (Action.CREATE, "core.notificationpreference"): _("changed their e-mail choices"),
        (Action.UPDATE, "core.notificationpreference"): _("changed their e-mail choices"),
    }
)


def register_participant_lookup(*, find: ParticipantFinder, name: ParticipantNamer) -> None:
    """Let the audit report find participants by name, and name them (called at start-up)."""
    if find not in _finders:
        _finders.append(find)
    if name not in _namers:
        _namers.append(name)


def register_phrases(phrases: Mapping[PhraseKey, str | Promise]) -> None:
    """Describe an app's audit events in plain words (called at start-up)."""
    _phrases.update(phrases)


def participant_ids_named(organization: Organization, text: str) -> list[str]:
    """Ids of the organization's participants whose name contains ``text``."""
    text = " ".join(text.split())
    if not text:
        return []
    return sorted({pk for find in _finders for pk in find(organization, text)})


def participant_names(organization: Organization, ids: Iterable[str]) -> dict[str, str]:
    """Names of the given participant ids, where an app knows them."""
    wanted = sorted({i for i in ids if i})
    names: dict[str, str] = {}
    for name in _namers:
        if wanted:
            names.update(name(organization, wanted))
    return names


def event_phrase(event: AuditEvent) -> str:
    """What the event's actor did, in words: "opened the record", "exported FHIR"."""
    fields = list(event.changed_fields or [])
    if fields:
        phrase = _phrases.get((event.action, event.object_type, fields[0]))
        if phrase is not None:
            return str(phrase)
    phrase = _phrases.get((event.action, event.object_type))
    if phrase is not None:
        return str(phrase)
    label = str(AuditEvent.Action(event.action).label) if event.action in Action.values else ""
    thing = _record_name(event.object_type)
    if thing:
        return gettext("%(action)s: %(thing)s") % {"action": label, "thing": thing}
    return label or event.action


def _record_name(object_type: str) -> str:
    # "care.goal" names a model; other types ("care.dashboard") name a page.
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    return str(model._meta.verbose_name)
