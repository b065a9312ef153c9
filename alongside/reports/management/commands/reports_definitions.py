from typing import Any

from django.core.management.base import BaseCommand

from alongside.reports.definitions_doc import metrics_markdown


class Command(BaseCommand):
    help = "Print every metric's definition as Markdown (the section of docs/reports.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(metrics_markdown(), ending="")
