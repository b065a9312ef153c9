"""Keywords: one engine on both databases.

A listing's searchable text is kept as Python's stems (``core.search.stems``: " title | body ").
Near a place the stems of the few thousand rows there are searched as text
(``engine._stem_ranks``); without a place, an index of the same stems answers
(``directory_searchentry_fts`` on SQLite, the ``keywords`` tsvector on PostgreSQL, made by
migration 0011). Neither index stems or parses anything again, so a word matches the same
listings everywhere: every stem of the query must be a whole stem of the listing, the last one
its beginning ("meet" finds "meeting", which is stemmed "meet").
"""

from __future__ import annotations

from django.db import connection

from alongside.core.search import stem_needles

# How many rows a PostgreSQL keyword search reads in table order before it asks the index:
# the GIN index gathers every match before a LIMIT can stop it, which is slow for a common
# word, and such a word fills the limit among the first few thousand rows.
PROBE_ROWS = 20_000


def query_stems(query: str) -> list[str]:
    """The stems of ``query``, as ``stem_needles`` finds them (the last one a prefix)."""
    return [needle.strip() for needle in stem_needles(query)]


def entry_matches_bounded(query: str, limit: int) -> dict[int, int]:
    """At most ``limit`` visible search rows (by id) whose stems hold the query's: 0 when the
    title's do, else 1. Title matches come first; neither set is scored or sorted."""
    found = query_stems(query)
    if not found:
        return {}
    ranks: dict[int, int] = {}
    with connection.cursor() as cursor:
        for rank, in_title in enumerate((True, False)):
            if len(ranks) >= limit:  # the title matches alone fill it
                break
            if connection.vendor == "postgresql":
                ids = _postgres(cursor, found, in_title, limit)
            else:
                ids = _sqlite(cursor, found, in_title, limit)
            for entry_id in ids:
                ranks.setdefault(entry_id, rank)
    return ranks


def _sqlite(cursor, found: list[str], in_title: bool, limit: int) -> list[int]:
    # Quoted, each stem is one token to FTS5 (the tokenizer keeps \w characters whole).
    match = " ".join(f'"{s}"' for s in found[:-1]) + f' "{found[-1]}"*'
    if in_title:
        match = f"title : ({match.strip()})"
    cursor.execute(
        # CROSS JOIN keeps the index in the lead: it stops at the limit.
        "SELECT e.id FROM directory_searchentry_fts f "
        "CROSS JOIN directory_searchentry e ON e.id = f.rowid "
        "WHERE directory_searchentry_fts MATCH %s AND e.visible LIMIT %s",
        [match.strip(), limit],
    )
    return [entry_id for (entry_id,) in cursor.fetchall()]


def _postgres(cursor, found: list[str], in_title: bool, limit: int) -> list[int]:
    # Quoted lexemes are taken as they are (stems are \w only: no quote to double).
    weight = "A" if in_title else ""
    terms = [f"'{s}':{weight}" if weight else f"'{s}'" for s in found[:-1]]
    terms.append(f"'{found[-1]}':*{weight}")
    tsquery = " & ".join(terms)
    cursor.execute(
        "SELECT id FROM (SELECT id, keywords FROM directory_searchentry WHERE visible "
        "LIMIT %s) e WHERE keywords @@ %s::tsquery LIMIT %s",
        [PROBE_ROWS, tsquery, limit],
    )
    rows = cursor.fetchall()
    if len(rows) < limit:
        cursor.execute(
            "SELECT id FROM directory_searchentry WHERE visible AND keywords @@ %s::tsquery "
            "LIMIT %s",
            [tsquery, limit],
        )
        rows = cursor.fetchall()
    return [entry_id for (entry_id,) in rows]
