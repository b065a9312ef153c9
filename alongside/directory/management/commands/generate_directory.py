from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.directory.synthetic import generate_directory


class Command(BaseCommand):
    help = "Add N synthetic listings spread over US ZIPs (for benchmarks, never for real use)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        written = generate_directory(options["count"], seed=options["seed"])
        self.stdout.write(f"Added {written} synthetic listings.")
