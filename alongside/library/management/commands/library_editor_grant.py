from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.library.services import library_editor_grant


class Command(BaseCommand):
    help = "Let a user edit library articles (the library.change_article permission)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user with the username {options['username']!r}.")
        if library_editor_grant(user=user):
            self.stdout.write(f"{user.get_username()} can now edit the library.")
        else:
            self.stdout.write(f"{user.get_username()} could already edit the library.")
