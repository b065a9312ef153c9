from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "alongside.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from alongside.core.synonyms import synonym_codes_source_set
        from alongside.directory import signals  # noqa: F401 - connects the receivers
        from alongside.directory.taxonomy import filter_codes

        # A search synonym's codes are checked against the directory's filters.
        synonym_codes_source_set(filter_codes)
