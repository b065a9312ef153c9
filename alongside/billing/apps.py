from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "alongside.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from alongside.billing import hooks

        hooks.register()
