from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "alongside.care"
    label = "care"
    verbose_name = _("Care records")

    def ready(self) -> None:
        from django.core.checks import register

        from alongside.care import audit_names, notifications
        from alongside.core.audit_words import register_participant_lookup, register_phrases
        from alongside.lib.crypto import check_field_encryption_key

        register(check_field_encryption_key)
        # The audit report finds and names participants, and says what was done, through these.
        register_participant_lookup(
            find=audit_names.participant_ids_named, name=audit_names.participant_names
        )
        register_phrases(audit_names.PHRASES)
        # The kinds of notification care sends (core.notifications).
        notifications.register()
