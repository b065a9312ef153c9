from typing import Any

from django.core.management.base import BaseCommand

from alongside.directory.sample import load_sample_directory


class Command(BaseCommand):
    help = "Replace the directory with the fictional New Hampshire sample (for demos and tests)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_sample_directory()
        self.stdout.write(f"Loaded {count} fictional sample services.")
