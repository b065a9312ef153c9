"""The directory editors' own everyday search words (``SearchSynonym``): added and removed
here, audited, and read by both searches through ``core.synonyms``, from the cache."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction

from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization
from alongside.core.synonyms import Synonyms
from alongside.directory.models import SearchSynonym

CACHE_KEY = "directory.synonyms.v1"
CACHE_SECONDS = 300


def editors_synonyms() -> tuple[Synonyms, ...]:
    """The editors' groups: from the cache, else one query (and kept for a few minutes)."""
    kept = cache.get(CACHE_KEY)
    if kept is None:
        kept = tuple(
            Synonyms(row.word_list(), row.means.strip().lower(), row.code_list())
            for row in SearchSynonym.objects.all()
        )
        cache.set(CACHE_KEY, kept, CACHE_SECONDS)
    return kept


@transaction.atomic
def synonym_add(
    *, words: str, means: str, codes: str, actor: Any, organization: Organization | None
) -> SearchSynonym:
    synonym = SearchSynonym(
        words=", ".join(w.strip() for w in words.split(",") if w.strip()),
        means=means.strip(),
        codes=" ".join(codes.split()),
        created_by=actor,
    )
    synonym.full_clean()
    synonym.save()
    audit_record(action=Action.CREATE, actor=actor, organization=organization, obj=synonym)
    _forget()
    return synonym


@transaction.atomic
def synonym_remove(
    *, synonym: SearchSynonym, actor: Any, organization: Organization | None
) -> None:
    audit_record(action=Action.DELETE, actor=actor, organization=organization, obj=synonym)
    synonym.delete()
    _forget()


def _forget() -> None:
    """Drop the kept copy now (for this transaction's own searches) and after commit (for
    any search that read the old rows meanwhile)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
