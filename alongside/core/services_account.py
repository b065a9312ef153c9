"""A person's own sign-in credentials: what follows a password change, the links that let them
set up two-factor sign-in, the e-mails that tell them of a change, and the key check.

Rules:
- A new password ends every API token of the person (a stolen token dies with the old
  password) and is audited; the person is e-mailed, unless they have never signed in (an
  account being set up, whose first password is no change).
- An authenticator is set up only through a one-time link (``TwoFactorEnrolment``): knowing
  the password is not enough to add one's own phone to someone's account.
- E-mails leave after the transaction commits, and name no participant.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.audit import Action, audit_record
from alongside.core.models import ApiToken, KeyCheck, TwoFactorEnrolment
from alongside.core.services import api_token_revoke


@transaction.atomic
def password_changed(*, user: Any) -> int:
    """Revoke the person's live API tokens, audit the change and tell them; how many tokens.

    An account being set up (never signed in, no tokens) has nothing to protect yet: its first
    password is its creation, which was audited as such.
    """
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    if user.last_login is None and not live:
        return 0
    for token in live:
        api_token_revoke(prefix=token.prefix, actor=user)
    audit_record(action=Action.UPDATE, actor=user, obj=user, changed_fields=["password"])
    if user.last_login is not None:
        _notify_on_commit(
            user,
            _("Your %(site)s password was changed") % {"site": settings.ALONGSIDE_SITE_NAME},
            _(
                "The password of your account %(username)s was changed. Your API tokens, if "
                "you had any, no longer work.\n\nIf you did this, there is nothing more to do. "
                "If you did not, tell your organization's administrator at once."
            )
            % {"username": user.get_username()},
        )
    return len(live)


def two_factor_changed(*, user: Any, added: bool) -> None:
    """Tell the person an authenticator was added to, or removed from, their account."""
    site = settings.ALONGSIDE_SITE_NAME
    if added:
        subject = _("An authenticator app was set up for your %(site)s account") % {"site": site}
        change = _("An authenticator app was set up for your account %(username)s.")
    else:
        subject = _("Your %(site)s two-factor sign-in was reset") % {"site": site}
        change = _(
            "An administrator removed the authenticator apps of your account %(username)s; you "
            "will set one up again with the link they send you."
        )
    body = (
        (change % {"username": user.get_username()})
        + "\n\n"
        + _("If you did not expect this, tell your organization's administrator at once.")
    )
    _notify_on_commit(user, subject, body)


def _notify_on_commit(user: Any, subject: str, body: str) -> None:
    if user.email:
        address = user.email
        transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def two_factor_enrolment_issue(*, user: Any, actor: Any) -> str:
    """A new one-time link path for ``user`` to set up an authenticator; earlier ones end."""
    now = timezone.now()
    TwoFactorEnrolment.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    secret = secrets.token_urlsafe(32)
    enrolment = TwoFactorEnrolment.objects.create(
        user=user,
        digest=_digest(secret),
        expires_at=now + timedelta(hours=settings.ALONGSIDE_ENROLMENT_HOURS),
    )
    audit_record(action=Action.CREATE, actor=actor, obj=enrolment)
    return reverse("core:two_factor_enrol", kwargs={"secret": secret})


def two_factor_enrolment_find(secret: str) -> TwoFactorEnrolment | None:
    """The unused, unexpired enrolment whose link carries ``secret``."""
    return (
        TwoFactorEnrolment.objects.select_related("user")
        .filter(digest=_digest(secret), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def two_factor_enrolment_usable(enrolment_id: Any, user: Any) -> TwoFactorEnrolment | None:
    """The enrolment ``enrolment_id`` if it is ``user``'s, unused and unexpired."""
    if not isinstance(enrolment_id, int):
        return None
    return TwoFactorEnrolment.objects.filter(
        pk=enrolment_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def two_factor_enrolment_use(enrolment: TwoFactorEnrolment) -> None:
    """Spend the link (inside the transaction that confirms the authenticator)."""
    used = TwoFactorEnrolment.objects.filter(pk=enrolment.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:
        raise ValueError("This set-up link was already used.")


def key_check_ensure(**kwargs: Any) -> None:
    """Store the encrypted known text once (after ``migrate``), if it is not there yet.

    Migrating core backwards past the table also ends with ``post_migrate``: then there is
    nowhere to store it.
    """
    using = kwargs.get("using", DEFAULT_DB_ALIAS)
    if KeyCheck._meta.db_table not in connections[using].introspection.table_names():
        return
    if not KeyCheck.objects.using(using).exists():
        KeyCheck.objects.using(using).create(sealed=KeyCheck.KNOWN)
