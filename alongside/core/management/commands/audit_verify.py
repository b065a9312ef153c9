from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.audit import audit_chain_verify, audit_checkpoints_parse
from alongside.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check that the audit trail's hash chain is intact, and that it still holds every "
        "checkpoint's head; exit non-zero at the first problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            nargs="?",
            const="",
            default=None,
            metavar="FILE",
            help="Checkpoint file (or a syslog extract) to check the chain against "
            "(default: ALONGSIDE_AUDIT_CHECKPOINT_FILE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["checkpoints"]
        if path == "":
            path = settings.ALONGSIDE_AUDIT_CHECKPOINT_FILE
            if not path:
                raise CommandError(
                    "--checkpoints needs a file: name one, or set ALONGSIDE_AUDIT_CHECKPOINT_FILE."
                )
        checkpoints = []
        if path:
            try:
                checkpoints = audit_checkpoints_parse(Path(path).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the checkpoints in {path}: {exc}") from exc
            if not checkpoints:
                raise CommandError(f"{path} holds no checkpoint.")
        problem = audit_chain_verify(checkpoints=checkpoints)
        if problem is not None:
            where = f" at event {problem.event_id}" if problem.event_id is not None else ""
            prefix = "Wrong key" if problem.wrong_key else "Audit trail broken"
            raise CommandError(f"{prefix}{where}: {problem.reason}.")
        against = f", against {len(checkpoints)} checkpoints" if checkpoints else ""
        self.stdout.write(
            f"Audit trail intact: {AuditEvent.objects.count()} events verified{against}."
        )
