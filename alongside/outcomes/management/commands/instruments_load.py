"""``alongside instruments_load PATH...``: load or correct recovery measures from YAML files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.models import Organization
from alongside.outcomes.loader import InstrumentFileError, instruments_load


class Command(BaseCommand):
    help = (
        "Load instruments from YAML files or folders of them (content/instruments/). "
        "Every file is checked first; one bad file and nothing changes. With --organization, "
        "the instruments are that organization's own (it holds their licence)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="YAML files or folders")
        parser.add_argument("--organization", default="", help="the organization's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = None
        if options["organization"]:
            organization = Organization.objects.filter(slug=options["organization"]).first()
            if organization is None:
                raise CommandError(f"No organization has the slug {options['organization']}.")
        try:
            results = instruments_load(options["paths"], organization=organization)
        except InstrumentFileError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        for result in results:
            self.stdout.write(f"{result.code}: {result.outcome} ({result.path})")
        if not results:
            self.stdout.write("No instrument files found.")
