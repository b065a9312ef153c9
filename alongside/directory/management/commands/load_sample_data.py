from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alongside.directory.sample import load_sample_directory


class Command(BaseCommand):
    help = (
        "Replace the directory with the fictional New Hampshire sample (for demos; only with "
        "ALONGSIDE_DEMO=1, whose banner says the pages show sample data)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ALONGSIDE_DEMO:
            # A deployment would lose its listings, and show made-up ones without the demo
            # banner that says they are sample data.
            raise CommandError(
                "load_sample_data replaces the whole directory with fictional listings. "
                "It runs only on a demo site (ALONGSIDE_DEMO=1), whose pages say they show "
                "sample data."
            )
        count = load_sample_directory()
        self.stdout.write(f"Loaded {count} fictional sample services.")
