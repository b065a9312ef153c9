"""An organization's team, run by its admins: invitations, roles, deactivation, two-factor.

Rules:
- A person's account may serve several organizations, so everything here changes one
  membership, never the account: deactivating someone here leaves their other work alone.
- An organization always keeps an active organization admin: the last one can neither be
  deactivated nor lose the role, and no admin deactivates themself.
- Every change is audited as a permission change naming the fields, never their values.
- The invitation e-mail leaves after the transaction commits; a new account has no password
  until its person sets one through Django's password-reset link. Someone whose roles need
  two-factor sign-in also gets a one-time link to set up their authenticator, as does anyone
  whose two-factor an admin resets (``services_account``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.core.audit import Action, audit_record
from alongside.core.models import Membership, Organization
from alongside.core.records import record_create
from alongside.core.roles import SEES_PARTICIPANT_DATA, Role
from alongside.core.services_account import two_factor_enrolment_issue

# What an invitation may set: the one list, read by the invitation form.
INVITE_FIELDS = ("first_name", "last_name", "email", "roles")


@transaction.atomic
def member_invite(
    *, organization: Organization, actor: Any, data: dict[str, Any], site_url: str
) -> Membership:
    """Add a person to the team by e-mail, creating their account if they have none yet.

    ``site_url`` (scheme and host) starts the link in the e-mail.
    """
    User = get_user_model()
    email = User.objects.normalize_email(data["email"]).strip()
    user = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if user is None:
        user = User(
            username=email.lower(),
            email=email,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        # No password until the person chooses one from the e-mail's link.
        user.set_unusable_password()
        record_create(
            user,
            actor=actor,
            fields=["username", "email", "first_name", "last_name"],
            organization=organization,
        )
    else:
        existing = Membership.objects.filter(user=user, organization=organization).first()
        if existing is not None and not existing.is_active:
            raise ValidationError(
                {"email": _("This person was deactivated: reactivate them from their page.")}
            )
        if existing is not None:
            raise ValidationError({"email": _("This person is already on the team.")})
    membership = Membership(user=user, organization=organization, roles=list(data["roles"]))
    record_create(membership, actor=actor, fields=["user", "organization", "roles"])
    set_up = _set_up_link(membership, actor=actor, site_url=site_url)
    transaction.on_commit(lambda: _send_invitation(membership, site_url=site_url, set_up=set_up))
    return membership


def member_invitation_resend(*, membership: Membership, actor: Any, site_url: str) -> None:
    """Send the invitation again to someone who has not chosen a password yet."""
    if membership.user.has_usable_password():
        raise ValidationError(_("This person has already chosen a password."))
    audit_record(
        action=Action.PERMISSION_CHANGE,
        actor=actor,
        organization=membership.organization,
        obj=membership,
        changed_fields=["invitation"],
    )
    set_up = _set_up_link(membership, actor=actor, site_url=site_url)
    transaction.on_commit(lambda: _send_invitation(membership, site_url=site_url, set_up=set_up))


@transaction.atomic
def member_roles_change(*, membership: Membership, actor: Any, roles: Iterable[str]) -> Membership:
    """Give a member exactly ``roles``, keeping the organization's last admin an admin."""
    roles = sorted(set(roles))
    if Role.ORG_ADMIN not in roles and _is_last_admin(membership):
        raise ValidationError(
            {"roles": _("The organization needs an admin: make someone else one first.")}
        )
    if roles == sorted(membership.roles):
        return membership
    membership.roles = roles
    return _save(membership, actor=actor, changed="roles")


@transaction.atomic
def member_deactivate(*, membership: Membership, actor: Any) -> Membership:
    """Stop a member from working in this organization: no session, no API token."""
    if membership.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("You cannot deactivate yourself; ask another admin."))
    if _is_last_admin(membership):
        raise ValidationError(_("The organization needs an admin: make someone else one first."))
    if not membership.is_active:
        return membership
    membership.is_active = False
    return _save(membership, actor=actor, changed="is_active")


@transaction.atomic
def member_reactivate(*, membership: Membership, actor: Any) -> Membership:
    """Let a deactivated member work in this organization again, with the roles they had."""
    if membership.is_active:
        return membership
    membership.is_active = True
    return _save(membership, actor=actor, changed="is_active")


@transaction.atomic
def member_two_factor_reset(*, membership: Membership, actor: Any, site_url: str = "") -> int:
    """Remove the member's authenticators and e-mail them a one-time link to set one up again.

    The authenticator belongs to the account, so this reaches every organization the person
    works for; it is for a lost or replaced phone. Returns how many were removed.
    """
    user = membership.user
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        action=Action.PERMISSION_CHANGE,
        actor=actor,
        organization=membership.organization,
        obj=membership,
        changed_fields=["two_factor"],
    )
    link = site_url + two_factor_enrolment_issue(user=user, actor=actor)
    context = {"organization": membership.organization, "link": link}
    body = render_to_string("core/team/two_factor_reset_email.txt", context)
    subject = _("Set up two-step sign-in again")
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
    return removed


def _is_last_admin(membership: Membership) -> bool:
    """Whether ``membership`` is the only active admin of its organization."""
    if not (membership.is_active and membership.has_role(Role.ORG_ADMIN)):
        return False
    # Lock the organization's memberships so two admins cannot demote each other at once.
    others = (
        Membership.objects.select_for_update()
        .filter(organization=membership.organization, is_active=True)
        .exclude(pk=membership.pk)
        .values_list("roles", flat=True)
    )
    return not any(Role.ORG_ADMIN in roles for roles in others)


def _save(membership: Membership, *, actor: Any, changed: str) -> Membership:
    membership.full_clean()
    membership.save(update_fields=[changed])
    audit_record(
        action=Action.PERMISSION_CHANGE,
        actor=actor,
        organization=membership.organization,
        obj=membership,
        changed_fields=[changed],
    )
    return membership


def _set_up_link(membership: Membership, *, actor: Any, site_url: str) -> str:
    """A one-time link to set up an authenticator, for a person who will need one and has none."""
    user = membership.user
    needs = settings.ALONGSIDE_REQUIRE_2FA and SEES_PARTICIPANT_DATA.intersection(membership.roles)
    if not needs or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return ""
    return site_url + two_factor_enrolment_issue(user=user, actor=actor)


def _send_invitation(membership: Membership, *, site_url: str, set_up: str = "") -> None:
    user = membership.user
    if user.has_usable_password():
        link = site_url + reverse("core:login")
    else:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = site_url + reverse(
            "core:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
        )
    context = {
        "organization": membership.organization,
        "link": link,
        "sets_password": not user.has_usable_password(),
        "set_up": set_up,
    }
    subject = render_to_string("core/team/invite_subject.txt", context)
    body = render_to_string("core/team/invite_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
