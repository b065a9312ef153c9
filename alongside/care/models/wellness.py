"""The person's wellness and crisis plan, in their own words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from alongside.care.models.base import CareModel
from alongside.care.models.participants import Participant
from alongside.lib.crypto import EncryptedTextField

WELLNESS_TEXT_LIMIT = 5000


def _their_words(label: StrOrPromise, help_text: StrOrPromise = "") -> EncryptedTextField:
    return EncryptedTextField(
        label,
        blank=True,
        help_text=help_text,
        validators=[MaxLengthValidator(WELLNESS_TEXT_LIMIT)],
    )


class WellnessPlan(CareModel):
    """One a person; each change is audited by field name (``wellness_plan_save``)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="wellness_plan"
    )
    keeps_me_well = _their_words(_("What keeps me well"))
    early_signs = _their_words(_("Early signs that I'm struggling"))
    what_helps = _their_words(_("What helps me then"))
    who_to_call = _their_words(
        _("Who to call"), _("Names and phone numbers, as the person gives them.")
    )
    do_not_want = _their_words(_("What I do not want"))
    updated_on = models.DateField(_("gone over together on"))
    written_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # The parts in the person's words, in the order the page and the copy show them.
    PARTS = ("keeps_me_well", "early_signs", "what_helps", "who_to_call", "do_not_want")

    def __str__(self) -> str:
        return "wellness and crisis plan"

    def clean(self) -> None:
        if not any(str(getattr(self, name) or "").strip() for name in self.PARTS):
            raise ValidationError(
                {"keeps_me_well": _("Write at least one part of the plan, in their words.")}
            )
        if self.updated_on and self.updated_on > timezone.localdate():
            raise ValidationError({"updated_on": _("This date cannot be in the future.")})

    def parts(self) -> list[tuple[str, str]]:
        """(label, text) for each part, empty ones too."""
        fields = {f.name: f for f in self._meta.concrete_fields}
        return [(str(fields[name].verbose_name), getattr(self, name)) for name in self.PARTS]
