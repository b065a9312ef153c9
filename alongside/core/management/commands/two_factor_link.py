from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.services_account import two_factor_enrolment_issue


class Command(BaseCommand):
    help = (
        "Print a one-time link with which a person sets up their authenticator app (the first "
        "admin of a new deployment, say; admins issue them from the Team page)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--site", default="", help="Scheme and host to start the link, e.g. https://…"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        path = two_factor_enrolment_issue(user=user, actor=None)
        self.stdout.write(options["site"].rstrip("/") + path)
