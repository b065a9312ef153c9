"""Create and change a record the one way: validate, save, and audit the names of what changed.

Every app's services build on these two (the HackSoft style guide's ``model_update`` is the
model). The audit event carries field names, never values: a note's words or a person's address
must not reach the trail. A record's participant, when it has one, is named in the event so the
person's accounting of disclosures and access can find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models, transaction

from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization

M = TypeVar("M", bound=models.Model)


def record_create(
    instance: M,
    *,
    actor: Any,
    fields: Iterable[str],
    data: Mapping[str, Any] | None = None,
    many: Mapping[str, Iterable[Any]] | None = None,
    participant_id: Any = None,
    organization: Organization | None = None,
    action: str = Action.CREATE,
) -> M:
    """Save a new record and audit it.

    ``fields`` are the names the caller may set from ``data``; without ``data``, the names the
    caller already set on ``instance``. ``many`` sets many-to-many relations after the save.
    ``organization`` names one in the audit event for a record that has none of its own.
    """
    with transaction.atomic():
        audited = _assign(instance, data, fields) if data is not None else list(fields)
        instance.full_clean()
        instance.save()
        for name, values in (many or {}).items():
            values = list(values)
            if values:
                getattr(instance, name).set(values)
                audited.append(name)
        _audit(
            action,
            instance,
            actor=actor,
            changed=audited,
            participant_id=participant_id,
            organization=organization,
        )
    return instance


def record_update(
    instance: M,
    *,
    actor: Any,
    fields: Iterable[str],
    data: Mapping[str, Any],
    many: Mapping[str, Iterable[Any] | None] | None = None,
    participant_id: Any = None,
) -> list[str]:
    """Set the ``fields`` present in ``data``; save and audit only when something changed.

    ``many`` replaces a many-to-many relation when its value is not None. Returns the names
    that changed.
    """
    with transaction.atomic():
        changed = _assign(instance, data, fields)
        instance.full_clean()
        if changed:
            instance.save(update_fields=[*changed, *_auto_now(instance)])
        for name, values in (many or {}).items():
            if values is None:
                continue
            values = list(values)
            manager = getattr(instance, name)
            if {v.pk for v in values} != set(manager.values_list("pk", flat=True)):
                manager.set(values)
                changed.append(name)
        if changed:
            _audit(
                Action.UPDATE,
                instance,
                actor=actor,
                changed=changed,
                participant_id=participant_id,
                organization=None,
            )
    return changed


def _assign(instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


def _auto_now(instance: models.Model) -> list[str]:
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False) is True]


def _audit(
    action: str,
    instance: models.Model,
    *,
    actor: Any,
    changed: list[str],
    participant_id: Any,
    organization: Organization | None,
) -> None:
    if participant_id is None:
        participant_id = getattr(instance, "participant_id", "")
    if isinstance(instance, Organization):
        organization = instance
    audit_record(
        action=action,
        actor=actor,
        organization=organization or getattr(instance, "organization", None),
        obj=instance,
        participant_id=str(participant_id or ""),
        changed_fields=changed,
    )
