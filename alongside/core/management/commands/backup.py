from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from alongside.core.backup import BackupError, backup_create, describe


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded documents, with a manifest, into one file "
        "encrypted with FIELD_ENCRYPTION_KEY. The keys are never in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination",
            help="A folder (the file is named by the time) or the new file's path.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"])
        if destination.is_dir():
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            destination = destination / f"alongside-{stamp}.backup"
        try:
            manifest = backup_create(destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(describe(manifest))
        self.stdout.write(f"Written to {destination}. {manifest['keys']}")
