from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.models import ApiToken
from alongside.core.services import TOKEN_PREFIX, api_token_revoke


class Command(BaseCommand):
    help = "Revoke an API token, given the token or its 8-character prefix."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token")

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["token"]
        prefix = (
            given[len(TOKEN_PREFIX) :].split("_", 1)[0] if given.startswith(TOKEN_PREFIX) else given
        )
        try:
            api_token_revoke(prefix=prefix)
        except ApiToken.DoesNotExist as exc:
            raise CommandError(f"No live token with the prefix {prefix!r}.") from exc
        self.stdout.write(f"Revoked token {prefix}.")
