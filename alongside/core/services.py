"""Services that change organizations, people, roles and API tokens. Each one is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from alongside.core.audit import Action, audit_record
from alongside.core.models import ApiToken, Membership, Organization
from alongside.core.records import record_create

TOKEN_PREFIX = "als_"


@transaction.atomic
def organization_create(
    *,
    name: str,
    slug: str,
    state: str,
    kind: str = Organization.Kind.PEER_SUPPORT_AGENCY,
    is_part2_program: bool = False,
    actor: Any = None,
) -> Organization:
    """Create an organization."""
    organization = Organization(
        name=name, slug=slug, state=state, kind=kind, is_part2_program=is_part2_program
    )
    return record_create(
        organization, actor=actor, fields=["name", "slug", "state", "kind", "is_part2_program"]
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    organization: Organization | None = None,
    roles: list[str] | None = None,
    first_name: str = "",
    last_name: str = "",
    actor: Any = None,
) -> Any:
    """Create a user account, optionally as a member of an organization with roles."""
    User = get_user_model()
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    validate_password(password, user)
    user.set_password(password)
    # A user belongs to no organization; the event names the one it joins, if any.
    record_create(
        user,
        actor=actor,
        fields=["username", "email", "password", "first_name", "last_name"],
        organization=organization,
    )
    if organization is not None:
        membership_set_roles(user=user, organization=organization, roles=roles or [], actor=actor)
    return user


@transaction.atomic
def membership_set_roles(
    *, user: Any, organization: Organization, roles: list[str], actor: Any = None
) -> Membership:
    """Give ``user`` exactly ``roles`` in ``organization``, creating the membership if needed."""
    membership, _created = Membership.objects.get_or_create(user=user, organization=organization)
    membership.roles = list(roles)
    membership.full_clean()
    membership.save()
    audit_record(
        action=Action.PERMISSION_CHANGE,
        actor=actor,
        organization=organization,
        obj=membership,
        changed_fields=["roles"],
    )
    return membership


def _digest(secret: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, organization: Organization, actor: Any = None) -> str:
    """Create a personal API token and return its only plain-text copy."""
    if not Membership.objects.filter(user=user, organization=organization, is_active=True).exists():
        raise ValueError(f"{user} is not a member of {organization.slug}.")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        organization=organization,
        prefix=prefix,
        digest=_digest(secret),
        expires_at=timezone.now() + timedelta(days=settings.ALONGSIDE_API_TOKEN_DAYS),
    )
    audit_record(action=Action.CREATE, actor=actor or user, organization=organization, obj=token)
    return secret


@transaction.atomic
def api_token_revoke(*, prefix: str, actor: Any = None) -> ApiToken:
    """Revoke the token whose public prefix is ``prefix``."""
    token = ApiToken.objects.select_for_update().get(prefix=prefix, revoked_at__isnull=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        organization=token.organization,
        obj=token,
        changed_fields=["revoked_at"],
    )
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The live token matching ``secret``, or None."""
    if not secret.startswith(TOKEN_PREFIX) or secret.count("_") < 2:
        return None
    prefix = secret[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(
            prefix=prefix,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is None or not secrets.compare_digest(token.digest, _digest(secret)):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
