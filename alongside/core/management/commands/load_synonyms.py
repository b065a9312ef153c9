from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.synonyms import SynonymsLoadError, synonyms_file, synonyms_load


class Command(BaseCommand):
    help = "Load the search synonym groups from YAML, all or nothing (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--path",
            type=Path,
            default=None,
            help="The synonyms file (default: content/synonyms.yaml).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"] or synonyms_file()
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            report = synonyms_load(path)
        except SynonymsLoadError as exc:
            lines = "\n".join(f"  {problem}" for problem in exc.problems)
            raise CommandError(f"Nothing was loaded from {path}:\n{lines}") from exc
        self.stdout.write(
            f"Search synonyms loaded from {path}: {len(report.created)} new, "
            f"{len(report.changed)} changed, {len(report.unchanged)} unchanged."
        )
