from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "alongside.care"
    label = "care"
    verbose_name = _("Care records")

    def ready(self) -> None:
        from django.core.checks import register

        from alongside.lib.crypto import check_field_encryption_key

        register(check_field_encryption_key)
