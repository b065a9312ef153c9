import os
import socket
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.core.audit import CHECKPOINT_TAG, Checkpoint, audit_checkpoint_make


def _syslog_address(value: str) -> str | tuple[str, int]:
    """``/dev/log`` (a local socket) or ``host:port`` (UDP)."""
    if value.startswith("/"):
        return value
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--syslog takes a socket path or host:port, not {value!r}.")
    return host.strip("[]"), int(port)


def _append(path: str, checkpoint: Checkpoint) -> None:
    # O_APPEND: a checkpoint is only ever added; fsync so a crash keeps what was reported.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (checkpoint.line() + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _send_to_syslog(address: str | tuple[str, int], checkpoint: Checkpoint) -> None:
    # RFC 3164 framing, as the local syslog daemon and remote collectors read it: facility
    # "auth" (security messages), severity "notice". Sent directly so that a failure raises.
    priority = 4 * 8 + 5
    message = f"<{priority}>alongside: {CHECKPOINT_TAG}: {checkpoint.line()}".encode()
    target: Any
    if isinstance(address, str):
        family, target = socket.AF_UNIX, address
    else:
        family, _, _, _, target = socket.getaddrinfo(*address, type=socket.SOCK_DGRAM)[0]
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.connect(target)
        sock.send(message)


class Command(BaseCommand):
    help = (
        "Write the audit chain's head (event count, last hash, time), signed with the audit "
        "key, to a file or to syslog: somewhere outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            help="Append to this file (default: ALONGSIDE_AUDIT_CHECKPOINT_FILE).",
        )
        parser.add_argument(
            "--syslog",
            nargs="?",
            const="/dev/log",
            metavar="ADDRESS",
            help="Send to syslog: a socket path (default /dev/log) or host:port over UDP.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"] or settings.ALONGSIDE_AUDIT_CHECKPOINT_FILE
        if not path and not options["syslog"]:
            raise CommandError(
                "Nowhere to write: give --file or --syslog, or set ALONGSIDE_AUDIT_CHECKPOINT_FILE."
            )
        checkpoint = audit_checkpoint_make()
        try:
            if path:
                _append(path, checkpoint)
            if options["syslog"]:
                _send_to_syslog(_syslog_address(options["syslog"]), checkpoint)
        except OSError as exc:
            raise CommandError(f"Could not write the checkpoint: {exc}") from exc
        head = checkpoint.head
        self.stdout.write(f"Checkpoint written: {head.count} events, last {head.last_hash[:12]}.")
