"""Walk-in check-in links: a signed token per session, and a signed proof in the form.

The token in the QR code names a session without a database lookup of its own; the form's
proof (signed, with the time the page was served) stands in for Django's CSRF cookie, so a
walk-in's phone is given no cookie at all.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django_scopes import scopes_disabled

from alongside.groups.models import Session

SALT = "alongside.groups.checkin"
# A page opened and tapped later than this is opened again first.
PROOF_MAX_AGE = 12 * 60 * 60


def checkin_token(session: Session) -> str:
    return signing.dumps(str(session.pk), salt=SALT)


def session_for_token(token: str) -> Session | None:
    """The session a check-in token names, in whichever organization it is (a public page)."""
    try:
        pk: Any = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    # The walk-in is signed in nowhere: the signed token is what scopes the lookup.
    with scopes_disabled():
        return Session.objects.select_related("group", "organization").filter(pk=str(pk)).first()


def tap_proof(session: Session) -> str:
    return signing.TimestampSigner(salt=SALT + ".tap").sign(str(session.pk))


def tap_proof_valid(session: Session, proof: str) -> bool:
    try:
        value = signing.TimestampSigner(salt=SALT + ".tap").unsign(proof, max_age=PROOF_MAX_AGE)
    except signing.BadSignature:
        return False
    return value == str(session.pk)
