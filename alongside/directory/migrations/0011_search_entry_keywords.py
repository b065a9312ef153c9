"""One keyword index on both databases: the search rows' own stems (``SearchEntry.words``,
Python's stemmer), indexed token for token, so that a keyword matches the same listings on
SQLite (FTS5 without a stemmer of its own) and on PostgreSQL (a tsvector of the stems as they
are, with GIN) as it does among the rows near a place."""

from django.db import migrations

_TITLE = "trim(substr({w}, 1, max(instr({w}, '|') - 1, 0)))"
_BODY = "trim(substr({w}, instr({w}, '|') + 1))"


def _parts(words: str) -> str:
    return f"{_TITLE.format(w=words)}, {_BODY.format(w=words)}"


SQLITE = [
    """CREATE VIRTUAL TABLE directory_searchentry_fts USING fts5(
        title, body, tokenize="unicode61 remove_diacritics 0 tokenchars '_'")""",
    f"""INSERT INTO directory_searchentry_fts(rowid, title, body)
        SELECT id, {_parts("words")} FROM directory_searchentry""",
    f"""CREATE TRIGGER directory_searchentry_fts_ai AFTER INSERT ON directory_searchentry BEGIN
        INSERT INTO directory_searchentry_fts(rowid, title, body)
        VALUES (new.id, {_parts("new.words")});
    END""",
    """CREATE TRIGGER directory_searchentry_fts_ad AFTER DELETE ON directory_searchentry BEGIN
        DELETE FROM directory_searchentry_fts WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER directory_searchentry_fts_au AFTER UPDATE OF words
        ON directory_searchentry BEGIN
        DELETE FROM directory_searchentry_fts WHERE rowid = old.id;
        INSERT INTO directory_searchentry_fts(rowid, title, body)
        VALUES (new.id, {_parts("new.words")});
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS directory_searchentry_fts_au",
    "DROP TRIGGER IF EXISTS directory_searchentry_fts_ad",
    "DROP TRIGGER IF EXISTS directory_searchentry_fts_ai",
    "DROP TABLE IF EXISTS directory_searchentry_fts",
]


def _lexemes(part: str) -> str:
    # Each stem is a lexeme as it is: no parser, no dictionary between them.
    return (
        "array_to_tsvector(array_remove(string_to_array("
        f"btrim(split_part(words, '|', {part})), ' '), ''))"
    )


POSTGRES = [
    f"""ALTER TABLE directory_searchentry ADD COLUMN keywords tsvector
        GENERATED ALWAYS AS (
            setweight({_lexemes("1")}, 'A') || setweight({_lexemes("2")}, 'B')
        ) STORED""",
    "CREATE INDEX directory_searchentry_keywords ON directory_searchentry USING GIN (keywords)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS directory_searchentry_keywords",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS keywords",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_listing_claims")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
