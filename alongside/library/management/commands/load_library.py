from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.library.services import LibraryLoadError, library_load


class Command(BaseCommand):
    help = "Load the library's articles from Markdown files, all or nothing (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=Path(settings.BASE_DIR) / "content" / "library",
            help="Folder of article files (default: content/library).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_dir():
            raise CommandError(f"{path} is not a folder.")
        try:
            report = library_load(path)
        except LibraryLoadError as exc:
            count = len(exc.problems)
            problems = f"{count} problem{'s' if count != 1 else ''}"
            lines = "\n".join(f"  {problem}" for problem in exc.problems)
            raise CommandError(f"Nothing was loaded: {problems} in {path}:\n{lines}") from exc
        summary = (
            f"{len(report.created)} new, {len(report.changed)} changed, "
            f"{len(report.unchanged)} unchanged"
        )
        if report.related_changed:
            summary += f", related links changed on {len(report.related_changed)}"
        self.stdout.write(f"Library loaded from {path}: {summary}.")
