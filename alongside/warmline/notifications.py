"""The kinds of notification the warm line sends (``core.notifications``)."""

from django.utils.translation import gettext_lazy

from alongside.core.notifications import Kind, register_kind
from alongside.core.roles import Role

CRISIS_TRANSFER = "warmline_crisis_transfer"
HARD_CONTACT = "warmline_hard_contact"


def register() -> None:
    register_kind(
        Kind(
            code=CRISIS_TRANSFER,
            label=gettext_lazy("Warm line: connected to 988"),
            email_default=True,
            email_text=gettext_lazy(
                "A warm line responder started a warm transfer to 988 and may need you now."
            ),
            roles=(Role.SUPERVISOR, Role.ORG_ADMIN),
        )
    )
    register_kind(
        Kind(
            code=HARD_CONTACT,
            label=gettext_lazy("Warm line: a hard contact"),
            email_default=False,
            email_text=gettext_lazy(
                "A warm line responder marked a contact as hard. A check-in may help."
            ),
            roles=(Role.SUPERVISOR, Role.ORG_ADMIN),
        )
    )
