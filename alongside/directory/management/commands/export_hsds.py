import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.core.audit import Action, audit_record
from alongside.directory.hsds.exporter import export_csv, export_json, services_json


class Command(BaseCommand):
    help = (
        "Export the directory as Open Referral HSDS 3.0: a data package folder (csv) or a "
        "JSON list of services (json; OUT '-' writes to standard output)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=str, help="Folder (csv) or file (json) to write.")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="Day whose UTC offsets the schedules carry (YYYY-MM-DD; default today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out, today = options["out"], options["as_of"]
        if options["format"] == "json" and out == "-":
            json.dump(services_json(today=today), sys.stdout, indent=2, ensure_ascii=False)
            return
        if options["format"] == "csv":
            counts = export_csv(Path(out), today=today)
            summary = ", ".join(f"{n} {t}" for t, n in counts.items() if n)
            self.stdout.write(f"Wrote an HSDS data package to {out}: {summary}.")
        else:
            count = export_json(Path(out), today=today)
            self.stdout.write(f"Wrote {count} services to {out}.")
        audit_record(
            action=Action.EXPORT,
            object_type="directory.hsds_export",
            object_id=options["format"],
            actor_username="export_hsds",
        )
