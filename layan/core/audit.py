"""The audit trail: every write made by a service, every read of a NIK or health record.

Services call ``audit_write`` inside their transaction with snapshots taken before and after the change;
sensitive values (encrypted fields, NIK/KK) are masked in the stored diff.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from layan.core import request_context
from layan.core.models import AuditEvent, PersonalDataRead
from layan.core.personal_data import IdentifierField, identifier_hashes, masked, sensitive_field_names


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def snapshot(instance: models.Model | None, fields: list[str] | None = None) -> dict:
    """The instance's field values as JSON-safe data, sensitive ones masked."""
    if instance is None:
        return {}
    hidden = sensitive_field_names(type(instance))
    identifiers = {f.name for f in instance._meta.concrete_fields if isinstance(f, IdentifierField)}
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name.endswith("_hash") and field.name in hidden:
            continue
        value = getattr(instance, field.attname)
        if field.name in identifiers:
            data[field.name] = masked(value)
        elif field.name in hidden:
            data[field.name] = "••••" if value else ""
        else:
            data[field.name] = _plain(value)
    return data


def changes_between(before: dict, after: dict) -> dict:
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def _actor_label(actor) -> str:
    if actor is None:
        return "sistem"
    return getattr(actor, "username", str(actor))


def audit_write(
    *,
    actor,
    action: str,
    instance: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    note: str = "",
) -> AuditEvent:
    """Record one write; ``before``/``after`` are ``snapshot``s (no before on create, no after on delete)."""
    context = request_context.current()
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
    hashes = identifier_hashes(instance) if instance is not None else []
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(instance)[:255] if instance is not None else "",
        changes=changes_between(before or {}, after or {}),
        note=note,
        ip=context.ip,
        user_agent=context.user_agent,
        request_id=context.request_id,
        subject_hash=hashes[0] if hashes else "",
    )


def personal_data_read(*, actor, instance: models.Model, fields: list[str], purpose: str) -> PersonalDataRead:
    """Record that ``actor`` saw ``fields`` of ``instance`` in clear (NIK, KK, health data)."""
    hashes = identifier_hashes(instance)
    return PersonalDataRead.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        fields=fields,
        purpose=purpose,
        ip=request_context.current().ip,
        subject_hash=hashes[0] if hashes else "",
    )
