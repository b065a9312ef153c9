from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.models import Organization
from alongside.core.services import organization_create


class Command(BaseCommand):
    help = "Create an organization."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--state", required=True, help="Two-letter state code, e.g. NH.")
        parser.add_argument(
            "--kind",
            choices=Organization.Kind.values,
            default=Organization.Kind.PEER_SUPPORT_AGENCY,
        )
        parser.add_argument(
            "--part2", action="store_true", help="Mark it as a 42 CFR Part 2 program."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organization = organization_create(
                name=options["name"],
                slug=options["slug"],
                state=options["state"],
                kind=options["kind"],
                is_part2_program=options["part2"],
            )
        except ValidationError as exc:
            raise CommandError(_describe(exc)) from exc
        self.stdout.write(f"Created organization {organization.slug} ({organization.name}).")


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)
