from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from alongside.core.crisis import crisis_lines


@register()
def crisis_lines_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        crisis_lines()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="alongside.E001")]
    return []


@register()
def proxy_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    from alongside.core.client import trusted_networks

    try:
        trusted_networks(tuple(settings.ALONGSIDE_TRUSTED_PROXIES))
    except ValueError as exc:
        return [
            Error(
                f"ALONGSIDE_TRUSTED_PROXIES: {exc}",
                hint="List addresses or networks such as 10.0.0.0/8, separated by commas.",
                id="alongside.E201",
            )
        ]
    return []


PILOT_OVERRIDE = "I-understand-the-risk"


@register(deploy=True)
def two_factor_in_production(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Two-factor sign-in may be off in development and the demo, not in production."""
    if settings.ALONGSIDE_REQUIRE_2FA or settings.DEBUG:
        return []
    if settings.ALONGSIDE_PILOT_WITHOUT_2FA == PILOT_OVERRIDE:
        return [
            Info(
                "Two-factor sign-in is off (ALONGSIDE_PILOT_WITHOUT_2FA): anyone with a staff "
                "password can read participant records.",
                id="alongside.I202",
            )
        ]
    return [
        Error(
            "ALONGSIDE_REQUIRE_2FA=0 in production: staff who see participant data would sign "
            "in with a password alone.",
            hint=(
                "Remove ALONGSIDE_REQUIRE_2FA. For a pilot without participant data only, set "
                f"ALONGSIDE_PILOT_WITHOUT_2FA={PILOT_OVERRIDE}."
            ),
            id="alongside.E202",
        )
    ]


SHORTEST_SECRET = 32  # bytes


@register()
def secrets_long_enough(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A signing key short enough to guess makes everything it signs forgeable."""
    secrets = {"SECRET_KEY": settings.SECRET_KEY, "ALONGSIDE_AUDIT_KEY": settings.AUDIT_HMAC_KEY}
    return [
        Error(
            f"{name} is shorter than {SHORTEST_SECRET} bytes.",
            hint="Use a long random value, e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'.",
            id="alongside.E203",
        )
        for name, value in secrets.items()
        if len(value.encode()) < SHORTEST_SECRET
    ]


@register(deploy=True)
def field_key_opens_stored_data(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """FIELD_ENCRYPTION_KEY still opens what was stored: the key check row decrypts."""
    from alongside.core.models import KeyCheck

    try:
        check = KeyCheck.objects.order_by("pk").first()
    except ImproperlyConfigured:  # raised by the field when no key opens the row
        check = None
        opened = False
    except DatabaseError:
        return []  # not migrated yet: nothing is stored
    else:
        if check is None:
            return [
                CheckWarning(
                    "No key check is stored yet; `alongside migrate` writes one.",
                    id="alongside.W204",
                )
            ]
        opened = check.sealed == KeyCheck.KNOWN
    if opened:
        return []
    return [
        Error(
            "FIELD_ENCRYPTION_KEY cannot decrypt the data this database holds: none of its keys "
            "is the one the notes were stored with.",
            hint=(
                "Restore the key the data was written with (keep it first or after the new "
                "one while rotating: docs/care.md)."
            ),
            id="alongside.E204",
        )
    ]


@register(deploy=True)
def site_url_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """E-mails link back to the site (notifications, reminders): they need its address."""
    if settings.ALONGSIDE_SITE_URL.startswith("https://"):
        return []
    return [
        CheckWarning(
            "ALONGSIDE_SITE_URL is not an https:// address: the links in notification and "
            "reminder e-mails will not lead back to the site.",
            hint="Set it to the address people use, e.g. https://alongside.example.org.",
            id="alongside.W205",
        )
    ]
