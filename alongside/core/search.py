"""Full-text search with stemming, shared by the directory and the library.

Apps keep one ``SearchDocument`` per searchable thing (through ``search_document_put``) and
ask ``search_matches`` for the ids that match a query, best first. SQLite answers from an
FTS5 table with the Porter stemmer; PostgreSQL from an English ``tsvector`` with a GIN index.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import snowballstemmer
from django.db import connection, transaction

from alongside.core.models import SearchDocument
from alongside.lib.bulk import dicts_upsert

_WORD = re.compile(r"\w+", re.UNICODE)


@transaction.atomic
def search_document_put(*, kind: str, object_id: str, title: str, body: str = "") -> None:
    """Create or replace the searchable text of one object."""
    SearchDocument.objects.update_or_create(
        kind=kind, object_id=str(object_id), defaults={"title": title, "body": body}
    )


def search_document_delete(*, kind: str, object_id: str) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).delete()


def search_documents_put(*, kind: str, documents: Iterable[tuple[str, str, str]]) -> None:
    """Create or replace many (object id, title, body) documents, in a few queries.

    An upsert: the index follows, through the FTS5 triggers on SQLite (an upsert's update
    fires the update trigger) and the generated column on PostgreSQL.
    """
    dicts_upsert(
        SearchDocument,
        ({"kind": kind, "object_id": str(i), "title": t, "body": b} for i, t, b in documents),
        unique=["kind", "object_id"],
    )


def search_documents_delete(*, kind: str, object_ids: Iterable[str]) -> None:
    ids = [str(i) for i in object_ids]
    if ids:
        SearchDocument.objects.filter(kind=kind, object_id__in=ids).delete()


def query_words(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:12]


def search_matches(kind: str, query: str, limit: int = 1000) -> list[str]:
    """Ids of objects of ``kind`` whose text matches every word of ``query``, best first."""
    words = query_words(query)
    if not words:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Words are \w+ only, so they cannot carry tsquery syntax; the last one also
            # matches as a prefix, as on SQLite.
            tsquery = " & ".join([*words[:-1], f"{words[-1]}:*"])
            cursor.execute(
                """
                SELECT d.object_id FROM core_searchdocument d,
                       to_tsquery('english', %s) q
                WHERE d.kind = %s AND d.search_vector @@ q
                ORDER BY ts_rank(d.search_vector, q) DESC, d.id
                LIMIT %s
                """,
                [tsquery, kind, limit],
            )
        else:
            # Quoted words are still stemmed by FTS5; the last one also matches as a prefix.
            match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
            cursor.execute(
                """
                SELECT d.object_id FROM core_searchdocument_fts f
                JOIN core_searchdocument d ON d.id = f.rowid
                WHERE core_searchdocument_fts MATCH %s AND d.kind = %s
                ORDER BY bm25(core_searchdocument_fts, 4.0, 1.0), d.id
                LIMIT %s
                """,
                [match.strip(), kind, limit],
            )
        return [row[0] for row in cursor.fetchall()]


def search_matches_bounded(kind: str, query: str, limit: int) -> dict[str, int]:
    """At most ``limit`` ids of matching objects of ``kind``: 0 when the title matches, else 1.

    Unlike ``search_matches`` this does not score every match, so it costs the same however
    many documents match: the directory's keyword search over a million listings uses it.
    """
    words = query_words(query)
    if not words:
        return {}
    if connection.vendor == "postgresql":
        terms = [*words[:-1], f"{words[-1]}:*"]
        in_title = " & ".join(f"{t}A" if t.endswith(":*") else f"{t}:A" for t in terms)
        expressions, find = (in_title, " & ".join(terms)), _postgres_matches
    else:
        match = (" ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*').strip()
        expressions, find = (f"title : ({match})", match), _sqlite_matches
    ranks: dict[str, int] = {}
    with connection.cursor() as cursor:
        for rank, expression in enumerate(expressions):
            if len(ranks) >= limit:  # the title matches alone fill it
                break
            for object_id in find(cursor, kind, expression, limit):
                ranks.setdefault(object_id, rank)
    return ranks


def _sqlite_matches(cursor: Any, kind: str, expression: str, limit: int) -> list[str]:
    cursor.execute(
        # CROSS JOIN keeps the index in the lead: it stops at the limit.
        "SELECT d.object_id FROM core_searchdocument_fts f "
        "CROSS JOIN core_searchdocument d ON d.id = f.rowid "
        "WHERE d.kind = %s AND core_searchdocument_fts MATCH %s LIMIT %s",
        [kind, expression, limit],
    )
    return [object_id for (object_id,) in cursor.fetchall()]


# How many documents a PostgreSQL keyword search reads in table order before it asks the index.
PROBE_ROWS = 20_000


def _postgres_matches(cursor: Any, kind: str, expression: str, limit: int) -> list[str]:
    """The first ``limit`` matches of the tsquery ``expression``, in table order.

    The GIN index gathers every match before a LIMIT can stop it, which is slow for a common
    word. Such a word fills the limit among the first few thousand documents, so those are
    read first (``PROBE_ROWS``); only when they hold too few matches does the index answer.
    """
    cursor.execute(
        "SELECT object_id FROM (SELECT object_id, search_vector FROM core_searchdocument "
        "WHERE kind = %s LIMIT %s) d WHERE search_vector @@ to_tsquery('english', %s) LIMIT %s",
        [kind, PROBE_ROWS, expression, limit],
    )
    found = cursor.fetchall()
    if len(found) < limit:
        cursor.execute(
            "SELECT object_id FROM core_searchdocument "
            "WHERE kind = %s AND search_vector @@ to_tsquery('english', %s) LIMIT %s",
            [kind, expression, limit],
        )
        found = cursor.fetchall()
    return [object_id for (object_id,) in found]


# Stems kept beside a small set of rows (say, the listings near a place) let keywords be
# matched among those rows alone; the full-text index answers "which of all documents".
# A match ranks 0 when every word is in the title, else 1.
_STEMMER = snowballstemmer.stemmer("porter")
_STEMMER_LOCK = threading.Lock()


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    with _STEMMER_LOCK:
        return str(_STEMMER.stemWord(word))


def _stem_any(word: str) -> str:
    # A number is its own stem (Porter's rules end in letters), and kept out of the cache:
    # listings carry many numbers that are each used once (street numbers, years, ids).
    return word if word.isdigit() else _stem(word)


def word_stems(text: str) -> list[str]:
    """Porter stems of the words of ``text``, in order ("Meetings held" -> meet, held)."""
    return [_stem_any(word) for word in _WORD.findall(text.lower())]


def stems(title: str, body: str = "") -> str:
    """Porter stems of a title's and a body's words, as ``" a b | c d "``."""
    title_stems = " ".join(map(_stem_any, _WORD.findall(title.lower())))
    body_stems = " ".join(map(_stem_any, _WORD.findall(body.lower())))
    return f" {title_stems} | {body_stems} "


def stem_needles(query: str) -> list[str]:
    """What to look for in ``stems(...)`` text: each word's stem, the last one as a prefix."""
    words = [_stem_any(w) for w in query_words(query)]
    if not words:
        return []
    return [f" {w} " for w in words[:-1]] + [f" {words[-1]}"]


def stems_rank(query: str, text_stems: str) -> int | None:
    """0 when ``query`` matches the title of ``stems(...)``, 1 the whole, None not at all."""
    needles = stem_needles(query)
    if not needles:
        return None
    if not all(needle in text_stems for needle in needles):
        return None
    title = text_stems[: text_stems.find("|") + 1]
    return 0 if all(needle in title for needle in needles) else 1
