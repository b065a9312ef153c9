from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "alongside.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from alongside.directory import signals  # noqa: F401 - connects the receivers
