from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarmlineConfig(AppConfig):
    name = "alongside.warmline"
    label = "warmline"
    verbose_name = _("Warm line")

    def ready(self) -> None:
        from alongside.warmline import notifications

        notifications.register()
