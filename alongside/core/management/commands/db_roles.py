"""PostgreSQL privileges for the application's own role, so it cannot wipe the audit trail.

The role that runs ``alongside migrate`` owns the tables. The application connects as
another role that may read and write data but owns nothing: it cannot ``ALTER`` a table (so
cannot disable the append-only trigger), and on the audit table it may only read and append
(no ``UPDATE``, ``DELETE`` or ``TRUNCATE``). Run after every ``migrate``, as the owner.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from alongside.core.models import AuditEvent

_ROLES = """
SELECT pg_has_role(c.relowner, 'USAGE'),
       has_table_privilege(c.oid, 'UPDATE'),
       has_table_privilege(c.oid, 'DELETE'),
       has_table_privilege(c.oid, 'TRUNCATE'),
       current_user
FROM pg_class c WHERE c.oid = to_regclass(%s)
"""


def grants_sql(app_role: str) -> list[str]:
    """The statements that give ``app_role`` what the application needs, and no more."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
    role, schema, audit = quote(app_role), quote(schema), quote(AuditEvent._meta.db_table)
    return [
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # The audit trail: read and append only.
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {role}",
        # Tables and sequences that later migrations create.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


def audit_table_risks() -> list[str]:
    """What the connected role could do to wipe the audit trail (empty: nothing)."""
    with connection.cursor() as cursor:
        cursor.execute(_ROLES, [AuditEvent._meta.db_table])
        row = cursor.fetchone()
    if row is None:
        return ["the audit table does not exist yet (run migrate)"]
    owns, update, delete, truncate, user = row
    risks = []
    if owns:
        risks.append(f"{user} owns the audit table, so it can disable its append-only trigger")
    risks += [
        f"{user} may {verb} the audit table"
        for verb, allowed in (("UPDATE", update), ("DELETE from", delete), ("TRUNCATE", truncate))
        if allowed
    ]
    return risks


class Command(BaseCommand):
    help = (
        "PostgreSQL: print (or --apply) the privileges for the application's role, which may "
        "read and append to the audit trail but not alter, empty or rewrite it; or --check "
        "that the connected role is such a role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", help="The role the application connects as.")
        parser.add_argument(
            "--apply", action="store_true", help="Run the statements (as the tables' owner)."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero if the role this process connects as could wipe the audit trail.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "Database roles are PostgreSQL's. On SQLite, whoever can write the file can "
                "change it: keep it readable by the application's user only, and use "
                "audit checkpoints (docs/deploying.md)."
            )
        if options["check"]:
            risks = audit_table_risks()
            if risks:
                raise CommandError("The audit trail is not protected: " + "; ".join(risks) + ".")
            self.stdout.write("The connected role can read and append to the audit trail only.")
            return
        app_role = options["app_role"]
        if not app_role:
            raise CommandError("Name the application's role: --app-role NAME.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, to_regrole(%s) IS NOT NULL", [app_role])
            owner, exists = cursor.fetchone()
        if app_role == owner:
            raise CommandError(
                f"{app_role} is the role connected now, which owns the tables: the application "
                "needs a role of its own (docs/deploying.md, 'Database roles')."
            )
        statements = grants_sql(app_role)
        if not options["apply"]:
            self.stdout.write(f"-- Run as {owner}, the owner of the tables, after every migrate.")
            self.stdout.write(";\n".join(statements) + ";")
            return
        if not exists:
            raise CommandError(f"There is no role {app_role}: create it first (CREATE ROLE).")
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"{app_role} may now read and write the data, and only read and append to the "
            "audit trail."
        )
