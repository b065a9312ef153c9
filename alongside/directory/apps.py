from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "alongside.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from alongside.core.synonyms import synonyms_source_add
        from alongside.directory import signals  # noqa: F401 - connects the receivers
        from alongside.directory.synonyms import editors_synonyms

        synonyms_source_add(editors_synonyms)
