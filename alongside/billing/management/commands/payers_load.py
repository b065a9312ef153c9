"""``alongside payers_load PATH...``: load or correct payers and their rules from YAML files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.billing.loader import PayerFileError, payers_load


class Command(BaseCommand):
    help = (
        "Load payers from YAML files or folders of them (content/payers/). "
        "Every file is checked first; one bad file and nothing changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="YAML files or folders")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = payers_load(options["paths"])
        except PayerFileError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        for result in results:
            self.stdout.write(f"{result.code}: {result.outcome} ({result.path})")
        if not results:
            self.stdout.write("No payer files found.")
