"""Re-encrypt every encrypted column with the first key in FIELD_ENCRYPTION_KEY."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from alongside.lib.crypto import encrypted_fields

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the first key in FIELD_ENCRYPTION_KEY. "
        "Run it after putting a new key first; then the old keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for model, names in encrypted_fields():
            manager = model._base_manager
            count = 0
            # Reading decrypts with whichever key fits; update() encrypts with the first key.
            # update() bypasses save(), so no timestamps or other side effects change.
            pks = list(manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH):
                chunk = pks[start : start + BATCH]
                with transaction.atomic():
                    rows = manager.filter(pk__in=chunk).select_for_update().values("pk", *names)
                    for row in rows:
                        values = {name: row[name] for name in names}
                        manager.filter(pk=row["pk"]).update(**values)
                        count += 1
            self.stdout.write(
                f"{model._meta.label}: re-encrypted {count} row(s) ({', '.join(names)})"
            )
