from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.management.commands.org_create import _describe
from alongside.core.models import Organization
from alongside.core.roles import Role
from alongside.core.services import user_create


class Command(BaseCommand):
    help = "Create a staff user, optionally as a member of an organization with roles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--org", help="Slug of the organization to join.")
        parser.add_argument(
            "--roles", default="", help=f"Comma-separated, from: {', '.join(Role.values)}."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roles = [r.strip() for r in options["roles"].split(",") if r.strip()]
        organization = None
        if options["org"]:
            organization = Organization.objects.filter(slug=options["org"]).first()
            if organization is None:
                raise CommandError(f"No organization with the slug {options['org']!r}.")
        elif roles:
            raise CommandError("--roles needs --org: roles belong to a membership.")
        try:
            user = user_create(
                username=options["username"],
                email=options["email"],
                password=options["password"],
                organization=organization,
                roles=roles,
            )
        except ValidationError as exc:
            raise CommandError(_describe(exc)) from exc
        where = f" in {organization.slug} as {', '.join(roles) or 'member'}" if organization else ""
        self.stdout.write(f"Created user {user.get_username()}{where}.")
