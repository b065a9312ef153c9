from __future__ import annotations

import uuid

from django.db import models

from alongside.core.models import OrgScopedModel


class CareModel(OrgScopedModel):
    """A care record: a UUID id, its organization, and when it was written and changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
