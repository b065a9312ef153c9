from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.models import Organization
from alongside.core.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token and print it once (use it as 'Authorization: Bearer …')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--org", required=True, help="Slug of the organization it acts for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        organization = Organization.objects.filter(slug=options["org"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        if organization is None:
            raise CommandError(f"No organization with the slug {options['org']!r}.")
        try:
            secret = api_token_create(user=user, organization=organization)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(secret)
