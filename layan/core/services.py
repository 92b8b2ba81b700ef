"""Writes of the core app: the days off of the working-day calendar, and the record of a NIK export."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.core import calendar, request_context
from layan.core.audit import audit_write, snapshot
from layan.core.models import DayOff, PersonalDataRead
from layan.core.personal_data import keyed_hash, masked
from layan.core.scopes import require_permission
from layan.regions.selectors import region_exists

PROCESSING_EXPORT_PURPOSE = "Ekspor pemrosesan data pribadi (UU 27/2022 ps. 31–32)"


def _calendar_changed() -> None:
    """Drop the cached calendar now and again at commit: a reader between the two would otherwise cache
    the old rows under the new version; inside an outer transaction on_commit alone would wait too long."""
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate)


def _validate_day_off(day_off: DayOff) -> None:
    if day_off.region_prefix and not region_exists(day_off.region_prefix):
        raise ValidationError(
            {
                "region_prefix": _("Kode wilayah %(code)s tidak ada dalam daftar wilayah.")
                % {"code": day_off.region_prefix}
            }
        )
    if day_off.kind == DayOff.Kind.REGIONAL and not day_off.region_prefix:
        raise ValidationError({"region_prefix": _("Libur daerah memerlukan kode wilayah.")})
    duplicate = DayOff.objects.filter(date=day_off.date, region_prefix=day_off.region_prefix)
    if day_off.pk:
        duplicate = duplicate.exclude(pk=day_off.pk)
    if duplicate.exists():
        raise ValidationError(
            {
                "date": _("Sudah ada hari libur/kerja pada %(date)s untuk wilayah ini.")
                % {"date": day_off.date.strftime("%d-%m-%Y")}
            }
        )
    # The unique constraint is checked just above with a clearer message.
    day_off.full_clean(validate_constraints=False)


def _save(day_off: DayOff) -> None:
    try:
        with transaction.atomic():
            day_off.save()
    except IntegrityError as exc:  # a concurrent insert of the same date and region
        raise ValidationError(
            {"date": _("Sudah ada hari libur/kerja pada tanggal ini untuk wilayah ini.")}
        ) from exc


def day_off_create(
    *, actor, date: date, name: str, kind: str, region_prefix: str = "", legal_basis: str = ""
) -> DayOff:
    """Add a cuti bersama, a regional day off, an extra national holiday or a replacement workday."""
    require_permission(actor, "core.manage_calendar")
    with transaction.atomic():
        day_off = DayOff(
            date=date,
            name=name.strip(),
            kind=kind,
            region_prefix=(region_prefix or "").strip(),
            is_off=kind != DayOff.Kind.WORKDAY,
            legal_basis=legal_basis.strip(),
            created_by=actor,
        )
        _validate_day_off(day_off)
        _save(day_off)
        audit_write(actor=actor, action="core.day_off_create", instance=day_off, after=snapshot(day_off))
    _calendar_changed()
    return day_off


def day_off_update(
    *,
    actor,
    day_off: DayOff,
    date: date,
    name: str,
    kind: str,
    region_prefix: str = "",
    legal_basis: str = "",
) -> DayOff:
    require_permission(actor, "core.manage_calendar")
    with transaction.atomic():
        day_off = DayOff.objects.select_for_update().get(pk=day_off.pk)
        before = snapshot(day_off)
        day_off.date = date
        day_off.name = name.strip()
        day_off.kind = kind
        day_off.region_prefix = (region_prefix or "").strip()
        day_off.is_off = kind != DayOff.Kind.WORKDAY
        day_off.legal_basis = legal_basis.strip()
        _validate_day_off(day_off)
        _save(day_off)
        audit_write(
            actor=actor,
            action="core.day_off_update",
            instance=day_off,
            before=before,
            after=snapshot(day_off),
        )
    _calendar_changed()
    return day_off


def day_off_delete(*, actor, day_off: DayOff) -> None:
    require_permission(actor, "core.manage_calendar")
    with transaction.atomic():
        before = snapshot(day_off)
        audit_write(actor=actor, action="core.day_off_delete", instance=day_off, before=before)
        day_off.delete()
    _calendar_changed()


def processing_export_record(*, actor, nik: str, fmt: str) -> PersonalDataRead:
    """Record that ``actor`` exported everything processed about ``nik`` (itself a processing of it)."""
    require_permission(actor, "core.export_processing")
    return PersonalDataRead.objects.create(
        actor=actor,
        actor_label=actor.username,
        object_type="core.processing_export",
        object_id=masked(nik),
        object_repr=_("Ekspor pemrosesan NIK %(nik)s (%(fmt)s)") % {"nik": masked(nik), "fmt": fmt},
        fields=["nik"],
        purpose=PROCESSING_EXPORT_PURPOSE,
        ip=request_context.current().ip,
        subject_hash=keyed_hash(nik),
    )


def notifications_mark_read(*, actor, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications (or all of them) read; returns how many changed.

    Not audited: the read mark is the user's own view state, like a read e-mail, not a record of the
    government's; what the notification points to is audited where it was written."""
    from layan.core.models import Notification

    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
