from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alongside.core.backup import (
    BackupError,
    backup_open,
    describe,
    restore_check,
    restore_database,
    restore_media,
    restore_preflight,
)


class Command(BaseCommand):
    help = (
        "Restore a backup made by `alongside backup` into the configured database and "
        "MEDIA_ROOT, then check every table's row count and the audit trail against it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The backup file.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only decrypt and check the backup, and say what it holds; change nothing.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that is not empty (MEDIA_ROOT is moved aside, not lost).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with backup_open(Path(options["source"])) as unpacked:
                self.stdout.write(describe(unpacked.manifest))
                if options["check"]:
                    self.stdout.write("The backup decrypts and every part matches its manifest.")
                    return
                restore_preflight(unpacked, replace=options["replace"])
                restore_database(unpacked, replace=options["replace"])
                kept = restore_media(unpacked)
                problems = restore_check(unpacked)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"No backup file at {options['source']}.") from exc
        if kept is not None:
            self.stdout.write(f"The documents that were in MEDIA_ROOT are kept in {kept}.")
        if problems:
            raise CommandError("Restored, but it differs from the backup: " + "; ".join(problems))
        self.stdout.write(
            "Restored: every table's row count and the audit trail's head match the backup, "
            "and the audit trail verifies."
        )
        if MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        ):
            self.stdout.write("This version has newer migrations: run `alongside migrate` next.")
        if connection.vendor == "postgresql":
            self.stdout.write(
                "Then give the application's role its privileges again: "
                "`alongside db_roles --app-role NAME --apply`."
            )
