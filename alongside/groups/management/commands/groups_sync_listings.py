from typing import Any

from django.core.management.base import BaseCommand

from alongside.groups.listing import groups_listings_sync
from alongside.groups.models import Group


class Command(BaseCommand):
    help = (
        "List every public group in the directory (and take the others out of its search). "
        "Run it daily: listings carry the next weeks' cancelled and moved sessions."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        groups = Group.objects.with_scopes_disabled().order_by("slug")
        result, withdrawn = groups_listings_sync(groups)
        self.stdout.write(
            f"Groups in the directory: {len(result.created)} new, {len(result.updated)} "
            f"changed, {len(result.unchanged)} unchanged; {withdrawn} taken out of search."
        )
