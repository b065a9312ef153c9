"""``alongside credentials_remind``: e-mail renewal reminders (run it daily, e.g. from cron)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from alongside.workforce.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail staff whose credentials expire in 90, 60 or 30 days or have lapsed; each "
        "reminder goes once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day to act as (YYYY-MM-DD); today if left out.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(on=options["on"] or timezone.localdate())
        self.stdout.write(f"{len(sent)} reminder(s) sent.")
