"""``alongside credentials_load PATH...``: load or correct credential types from YAML files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.workforce.loader import CredentialFileError, credentials_load


class Command(BaseCommand):
    help = (
        "Load credential types from YAML files or folders of them (content/credentials/). "
        "Every file is checked first; one bad file and nothing changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="YAML files or folders")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = credentials_load(options["paths"])
        except CredentialFileError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        for result in results:
            self.stdout.write(f"{result.code}: {result.outcome} ({result.path})")
        if not results:
            self.stdout.write("No credential files found.")
