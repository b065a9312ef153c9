from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.directory.meeting_guide import MeetingGuideError, meeting_guide_import

MAX_LISTED = 200


class Command(BaseCommand):
    help = (
        "Import a Meeting Guide JSON feed (code4recovery's spec) as directory listings of "
        "other organizations' groups. All or nothing; importing it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The feed, a JSON file.")
        parser.add_argument(
            "--source",
            default="",
            help="The name the listings are kept under (default: the file's name). Import "
            "a newer copy of the same feed under the same name.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = meeting_guide_import(
                path=options["path"], source=options["source"], dry_run=options["dry_run"]
            )
        except MeetingGuideError as exc:
            for problem in exc.problems[:MAX_LISTED]:
                self.stderr.write(f"error: {problem}")
            if len(exc.problems) > MAX_LISTED:
                self.stderr.write(f"… and {len(exc.problems) - MAX_LISTED} more errors")
            raise CommandError(
                f"{len(exc.problems)} error(s) in {options['path'].name}; nothing was changed."
            ) from exc
        if options["dry_run"]:
            self.stdout.write(f"{report.meetings} meeting(s) are fine to import; nothing changed.")
            return
        result = report.result
        self.stdout.write(
            f"Imported {report.meetings} meeting(s) from {report.source}: "
            f"{len(result.created)} new, {len(result.updated)} changed, "
            f"{len(result.unchanged)} unchanged."
        )
