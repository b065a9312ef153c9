"""Keeping search in step when services are deleted outright (say, by cascade): their
buckets and their keyword documents."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from alongside.core.search import search_document_delete
from alongside.directory.indexing import SEARCH_KIND
from alongside.directory.models import Service
from alongside.directory.search.buckets import buckets_touched, keys_of_entries


@receiver(pre_delete, sender=Service)
def _note_buckets(sender: Any, instance: Service, **kwargs: Any) -> None:
    # The search rows go before the service does; their buckets are rebuilt after it has.
    keys = keys_of_entries(instance.search_entries.filter(visible=True))
    instance._search_buckets = keys  # type: ignore[attr-defined]


@receiver(post_delete, sender=Service)
def _leave_search(sender: Any, instance: Service, **kwargs: Any) -> None:
    buckets_touched(getattr(instance, "_search_buckets", ()))
    search_document_delete(kind=SEARCH_KIND, object_id=str(instance.pk))
