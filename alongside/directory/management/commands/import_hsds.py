from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.directory.hsds.importer import counts_table, hsds_import

MAX_LISTED = 200


class Command(BaseCommand):
    help = (
        "Import an Open Referral HSDS 3.0 data package (a folder with datapackage.json) or "
        "JSON services. Records are upserted by id; on any error nothing is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A data package folder or a JSON file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = hsds_import(path=options["path"], dry_run=options["dry_run"])
        for problem in report.errors[:MAX_LISTED]:
            self.stderr.write(f"error: {problem}")
        if len(report.errors) > MAX_LISTED:
            self.stderr.write(f"… and {len(report.errors) - MAX_LISTED} more errors")
        if not report.ok:
            raise CommandError(
                f"{len(report.errors)} error(s) in {report.source}; nothing was changed."
            )
        for problem in report.warnings[:MAX_LISTED]:
            self.stdout.write(f"warning: {problem}")
        if len(report.warnings) > MAX_LISTED:
            self.stdout.write(f"… and {len(report.warnings) - MAX_LISTED} more warnings")
        verb = "Would import" if report.dry_run else "Imported"
        self.stdout.write(f"{verb} {report.source}:")
        self.stdout.write(f"  {'table':<22}{'created':>9}{'updated':>9}{'left alone':>12}")
        for table, created, updated, unchanged in counts_table(report.counts):
            self.stdout.write(f"  {table:<22}{created:>9}{updated:>9}{unchanged:>12}")
        if report.ignored:
            self.stdout.write("Not kept by Alongside: " + ", ".join(report.ignored))
        if not report.dry_run:
            self.stdout.write(f"Re-indexed {report.indexed} service(s) for search.")
