from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.core.audit import audit_chain_verify
from alongside.core.models import AuditEvent


class Command(BaseCommand):
    help = "Check that the audit trail's hash chain is intact; exit non-zero at the first break."

    def handle(self, *args: Any, **options: Any) -> None:
        problem = audit_chain_verify()
        if problem is not None:
            raise CommandError(f"Audit trail broken at event {problem.event_id}: {problem.reason}.")
        self.stdout.write(f"Audit trail intact: {AuditEvent.objects.count()} events verified.")
