from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.directory.indexing import services_reindex


class Command(BaseCommand):
    help = (
        "Take listings that went unverified too long out of the search rows and index "
        "(run daily; search already leaves them out); --all rebuilds every row and bucket."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="re-index every listing")

    def handle(self, *args: Any, **options: Any) -> None:
        count = services_reindex(everything=options["all"])
        self.stdout.write(f"Re-indexed {count} listings.")
