from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "alongside.workforce"
    label = "workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from alongside.core.panels import register_panel
        from alongside.workforce.views import my_credentials_panel

        register_panel("workforce/_my_credentials.html", my_credentials_panel, order=10)
