from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "alongside.core"
    label = "core"
    verbose_name = _("Alongside core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from alongside.core import auth_events, checks  # noqa: F401  (signal receivers, checks)
        from alongside.core.admin import audit_every_admin
        from alongside.core.services_account import key_check_ensure
        from alongside.core.tenancy import open_unscoped_commands

        open_unscoped_commands()
        # The admin has found every app's admin by now (it is installed first): audit them all.
        audit_every_admin()
        post_migrate.connect(key_check_ensure, sender=self, dispatch_uid="alongside_key_check")
