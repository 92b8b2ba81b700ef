"""Every write to the organisation: units (a tree), office locations, positions, employees and their moves.

Each service takes the acting user (``actor``; ``None`` only for the system itself: management commands and
the demo loader), runs in one transaction, validates with ``full_clean`` plus the domain rules of
DOMAIN.md "Identifiers", writes an audit event, and raises ``ValidationError`` with Indonesian messages keyed
by field so that forms and the API show them where they belong. A write that would leave the actor's scope
is refused and rolled back; nothing is half-written.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from layan.core.audit import audit_write, snapshot
from layan.core.calendar import local_today
from layan.core.identifiers import (
    nik_mismatches,
    normalize_digits,
    parse_ni_pppk,
    parse_nik,
    parse_nip,
    sex_message,
)
from layan.core.models import User
from layan.core.personal_data import keyed_hash
from layan.core.scopes import has_permission, scoped
from layan.core.stored_text import message
from layan.org.models import Employee, EmployeeMove, OfficeLocation, Position, Unit
from layan.regions.models import Region
from layan.regions.selectors import region_exists

# Indonesia's extent with a margin: an office outside it is almost always latitude and longitude swapped.
INDONESIA_LATITUDE = (Decimal("-11.5"), Decimal("6.5"))
INDONESIA_LONGITUDE = (Decimal("94.5"), Decimal("141.5"))
RADIUS_RANGE = (10, 5000)
MIN_WORKING_AGE_YEARS = 17


def _write(func):
    """One transaction per service; a unique-constraint race becomes a clear message, not a 500."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except IntegrityError as exc:
            raise ValidationError(
                _(
                    "Data bentrok dengan data lain yang baru saja disimpan (mis. NIP, NIK atau kode ganda). "
                    "Muat ulang lalu coba lagi."
                )
            ) from exc

    return wrapper


def _in_scope(actor, instance, permission: str) -> bool:
    if actor is None:  # the system itself (management command, demo loader)
        return True
    return scoped(type(instance)._default_manager.filter(pk=instance.pk), actor, permission).exists()


def _require_in_scope(actor, instance, permission: str) -> None:
    """Defence in depth: views already fetched ``instance`` through a scoped selector."""
    if not _in_scope(actor, instance, permission):
        raise PermissionDenied


def _require_permission(actor, permission: str) -> None:
    if actor is not None and not has_permission(actor, permission):
        raise PermissionDenied


def _check_allowed(changes: dict, allowed: set[str]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"cannot change {sorted(unknown)}")


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- units ------------------------------------------------------------------------------------------------


def _resolve_region(region) -> Region:
    if isinstance(region, Region):
        return region
    code = (region or "").strip()
    if not code:
        raise ValidationError({"region": _("Kode wilayah wajib diisi.")})
    if not region_exists(code):
        raise ValidationError({"region": _("Kode wilayah %(code)s tidak dikenal.") % {"code": code}})
    return Region.objects.get(code=code)


def _unit_outside_scope_error() -> ValidationError:
    return ValidationError({"region": _("Unit ini akan berada di luar wilayah kerja Anda.")})


@_write
def unit_create(
    *, actor, code: str, name: str, kind: str, region, parent: Unit | None = None, is_active: bool = True
) -> Unit:
    _require_permission(actor, "org.manage_unit")
    code = (code or "").strip().upper()
    if Unit.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": _("Kode unit %(code)s sudah dipakai unit lain.") % {"code": code}})
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": _("Unit induk tidak aktif.")})
    unit = Unit(
        code=code,
        name=(name or "").strip(),
        kind=kind,
        region=_resolve_region(region),
        parent=parent,
        is_active=is_active,
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    if not _in_scope(actor, unit, "org.manage_unit"):
        raise _unit_outside_scope_error()
    audit_write(actor=actor, action="org.unit_create", instance=unit, after=snapshot(unit))
    return unit


_UNIT_FIELDS = {"code", "name", "kind", "region", "parent", "is_active"}


def _deactivation_blockers(unit: Unit) -> list[str]:
    problems = []
    staff = unit.employees.filter(employment_end__isnull=True).count()
    if staff:
        problems.append(_("Unit masih memiliki %(n)s pegawai aktif; pindahkan dulu.") % {"n": staff})
    children = unit.children.filter(is_active=True).count()
    if children:
        problems.append(_("Unit masih memiliki %(n)s unit bawahan yang aktif.") % {"n": children})
    return problems


@_write
def unit_update(*, actor, unit: Unit, **changes: Any) -> Unit:
    """Change a unit. A new ``parent`` moves the whole subtree (paths rewritten); a cycle is refused."""
    _check_allowed(changes, _UNIT_FIELDS)
    _require_permission(actor, "org.manage_unit")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_in_scope(actor, unit, "org.manage_unit")
    before = snapshot(unit)
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip().upper()
        if Unit.objects.filter(code__iexact=changes["code"]).exclude(pk=unit.pk).exists():
            raise ValidationError(
                {"code": _("Kode unit %(code)s sudah dipakai unit lain.") % {"code": changes["code"]}}
            )
    if "region" in changes:
        changes["region"] = _resolve_region(changes["region"])
    if changes.get("is_active") is False and unit.is_active:
        problems = _deactivation_blockers(unit)
        if problems:
            raise ValidationError({"is_active": problems})
    old_path = unit.path
    new_parent = changes.pop("parent", unit.parent) if "parent" in changes else unit.parent
    parent_changed = (new_parent.pk if new_parent else None) != unit.parent_id
    if parent_changed and new_parent is not None:
        new_parent = Unit.objects.get(pk=new_parent.pk)
        if new_parent.pk == unit.pk or new_parent.path.startswith(old_path):
            raise ValidationError(
                {
                    "parent": _(
                        "Unit tidak dapat dipindah ke bawah dirinya sendiri atau ke bawah unit bawahannya."
                    )
                }
            )
        if not new_parent.is_active:
            raise ValidationError({"parent": _("Unit induk tidak aktif.")})
    for field, value in changes.items():
        setattr(unit, field, value)
    unit.parent = new_parent
    unit.full_clean()
    moved = 0
    if parent_changed:
        new_path = f"{new_parent.path if new_parent else '/'}{unit.pk}/"
        unit.path = new_path
        descendants = list(
            Unit.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=unit.pk)
        )
        for descendant in descendants:
            descendant.path = new_path + descendant.path[len(old_path) :]
        if any(len(d.path) > Unit._meta.get_field("path").max_length for d in [unit, *descendants]):
            raise ValidationError({"parent": _("Pohon unit terlalu dalam.")})
        Unit.objects.bulk_update(descendants, ["path"])
        moved = len(descendants)
    unit.save()
    _require_in_scope(actor, unit, "org.manage_unit")
    note = _("%(n)s unit bawahan ikut dipindah.") % {"n": moved} if moved else ""
    audit_write(
        actor=actor, action="org.unit_update", instance=unit, before=before, after=snapshot(unit), note=note
    )
    return unit


@_write
def unit_deactivate(*, actor, unit: Unit) -> Unit:
    """A unit with active staff or active sub-units cannot close (its people would be left nowhere)."""
    _require_permission(actor, "org.manage_unit")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_in_scope(actor, unit, "org.manage_unit")
    if not unit.is_active:
        raise ValidationError(_("Unit sudah tidak aktif."))
    problems = _deactivation_blockers(unit)
    if problems:
        raise ValidationError(problems)
    before = snapshot(unit)
    unit.is_active = False
    unit.save(update_fields=["is_active", "updated_at"])
    audit_write(actor=actor, action="org.unit_deactivate", instance=unit, before=before, after=snapshot(unit))
    return unit


# --- office locations -------------------------------------------------------------------------------------


def _decimal(value, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace("−", "-"))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError(
            {field: _("%(label)s harus berupa angka desimal, mis. -0.9851.") % {"label": label}}
        ) from exc
    if not number.is_finite():
        raise ValidationError(
            {field: _("%(label)s harus berupa angka desimal, mis. -0.9851.") % {"label": label}}
        )
    if abs(number) > 1000:  # far outside any coordinate; quantizing it would overflow the context
        return number.to_integral_value()
    return number.quantize(Decimal("0.000001"))


def _validated_location(latitude, longitude, radius_m) -> tuple[Decimal, Decimal, int]:
    errors: dict[str, list[str]] = {}
    lat = lon = None
    try:
        lat = _decimal(latitude, "latitude", _("Lintang"))
        if not Decimal(-90) <= lat <= Decimal(90):
            errors["latitude"] = [_("Lintang harus antara -90 dan 90.")]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        lon = _decimal(longitude, "longitude", _("Bujur"))
        if not Decimal(-180) <= lon <= Decimal(180):
            errors["longitude"] = [_("Bujur harus antara -180 dan 180.")]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (
        not errors
        and lat is not None
        and lon is not None
        and not (
            INDONESIA_LATITUDE[0] <= lat <= INDONESIA_LATITUDE[1]
            and INDONESIA_LONGITUDE[0] <= lon <= INDONESIA_LONGITUDE[1]
        )
    ):
        errors["latitude"] = [
            _(
                "Koordinat berada di luar Indonesia (lintang −11…6, bujur 95…141). "
                "Apakah lintang dan bujur tertukar?"
            )
        ]
    try:
        radius = int(str(radius_m).strip())
    except (TypeError, ValueError):
        radius = None
    if radius is None or not RADIUS_RANGE[0] <= radius <= RADIUS_RANGE[1]:
        errors["radius_m"] = [_("Radius geofence harus bilangan bulat 10–5000 meter.")]
    if errors:
        raise ValidationError(errors)
    return lat, lon, radius


@_write
def office_location_create(
    *, actor, unit: Unit, name: str, latitude, longitude, radius_m=100, is_active: bool = True
) -> OfficeLocation:
    _require_permission(actor, "org.manage_unit")
    _require_in_scope(actor, unit, "org.manage_unit")
    lat, lon, radius = _validated_location(latitude, longitude, radius_m)
    location = OfficeLocation(
        unit=unit,
        name=(name or "").strip(),
        latitude=lat,
        longitude=lon,
        radius_m=radius,
        is_active=is_active,
    )
    location.full_clean()
    location.save()
    audit_write(actor=actor, action="org.office_location_create", instance=location, after=snapshot(location))
    return location


@_write
def office_location_update(*, actor, location: OfficeLocation, **changes: Any) -> OfficeLocation:
    _check_allowed(changes, {"name", "latitude", "longitude", "radius_m", "is_active"})
    _require_permission(actor, "org.manage_unit")
    location = OfficeLocation.objects.select_for_update().get(pk=location.pk)
    _require_in_scope(actor, location.unit, "org.manage_unit")
    before = snapshot(location)
    lat, lon, radius = _validated_location(
        changes.get("latitude", location.latitude),
        changes.get("longitude", location.longitude),
        changes.get("radius_m", location.radius_m),
    )
    location.latitude, location.longitude, location.radius_m = lat, lon, radius
    if "name" in changes:
        location.name = (changes["name"] or "").strip()
    if "is_active" in changes:
        location.is_active = bool(changes["is_active"])
    location.full_clean()
    location.save()
    audit_write(
        actor=actor,
        action="org.office_location_update",
        instance=location,
        before=before,
        after=snapshot(location),
    )
    return location


@_write
def office_location_delete(*, actor, location: OfficeLocation) -> None:
    _require_permission(actor, "org.manage_unit")
    _require_in_scope(actor, location.unit, "org.manage_unit")
    before = snapshot(location)
    audit_write(actor=actor, action="org.office_location_delete", instance=location, before=before)
    location.delete()


# --- positions --------------------------------------------------------------------------------------------


def _check_position_unique(name: str, kelas, exclude_pk=None) -> None:
    same = Position.objects.filter(name__iexact=name, kelas_jabatan=kelas)
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError(
            {"name": _("Jabatan %(name)s kelas %(kelas)s sudah ada.") % {"name": name, "kelas": kelas}}
        )


def _kelas(value) -> int:
    try:
        kelas = int(str(value).strip())
    except (TypeError, ValueError):
        kelas = 0
    if not 1 <= kelas <= 17:
        raise ValidationError({"kelas_jabatan": _("Kelas jabatan harus bilangan bulat 1–17.")})
    return kelas


@_write
def position_create(*, actor, name: str, kind: str, kelas_jabatan) -> Position:
    _require_permission(actor, "org.manage_unit")
    name = " ".join((name or "").split())
    kelas = _kelas(kelas_jabatan)
    _check_position_unique(name, kelas)
    position = Position(name=name, kind=kind, kelas_jabatan=kelas)
    position.full_clean()
    position.save()
    audit_write(actor=actor, action="org.position_create", instance=position, after=snapshot(position))
    return position


@_write
def position_update(*, actor, position: Position, **changes: Any) -> Position:
    _check_allowed(changes, {"name", "kind", "kelas_jabatan"})
    _require_permission(actor, "org.manage_unit")
    position = Position.objects.select_for_update().get(pk=position.pk)
    before = snapshot(position)
    if "name" in changes:
        position.name = " ".join((changes["name"] or "").split())
    if "kind" in changes:
        position.kind = changes["kind"]
    if "kelas_jabatan" in changes:
        position.kelas_jabatan = _kelas(changes["kelas_jabatan"])
    _check_position_unique(position.name, position.kelas_jabatan, exclude_pk=position.pk)
    position.full_clean()
    position.save()
    audit_write(
        actor=actor, action="org.position_update", instance=position, before=before, after=snapshot(position)
    )
    return position


# --- employees --------------------------------------------------------------------------------------------


def normalize_phone(value: str) -> str:
    """Indonesian numbers as people type them (0812…, +62 812…, 62812…) → E.164; raises on nonsense."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError({"phone": _("Nomor telepon tidak sah (contoh: 0812 3456 7890).")}) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError({"phone": _("Nomor telepon tidak sah (contoh: 0812 3456 7890).")})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _fmt(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _apply_identity(employee: Employee, *, today: date) -> list[dict]:
    """Validate NIP/NI PPPK, NIK and dates of ``employee`` in place; fill sex, birth date and TMT from the
    NIP when missing. Returns the mismatch warnings (stored messages, ``core.stored_text``); raises
    ValidationError (by field) on errors."""
    errors: dict[str, list[str]] = {}
    warnings: list[dict] = []
    nip_info = None
    employee.nip = normalize_digits(employee.nip or "") or None
    if employee.kind == Employee.Kind.NON_ASN:
        if employee.nip:
            errors["nip"] = [_("Pegawai non-ASN tidak memiliki NIP; kosongkan kolom NIP.")]
    elif not employee.nip:
        label = _("NIP") if employee.kind == Employee.Kind.PNS else _("NI PPPK")
        errors["nip"] = [
            _("%(label)s wajib diisi untuk pegawai %(kind)s.")
            % {"label": label, "kind": employee.get_kind_display()}
        ]
    else:
        parser = parse_nip if employee.kind == Employee.Kind.PNS else parse_ni_pppk
        try:
            nip_info = parser(employee.nip, today=today)
        except ValidationError as exc:
            errors["nip"] = exc.messages
    if nip_info is not None:
        employee.sex = employee.sex or nip_info.sex
        employee.birth_date = employee.birth_date or nip_info.birth_date
        if employee.employment_start is None and nip_info.appointment is not None:
            employee.employment_start = nip_info.appointment
        if employee.sex != nip_info.sex:
            warnings.append(
                message(
                    N_("Jenis kelamin di data (%(record)s) tidak sesuai NIP (%(nip)s)."),
                    record=sex_message(employee.sex),
                    nip=sex_message(nip_info.sex),
                )
            )
        if employee.birth_date and employee.birth_date != nip_info.birth_date:
            warnings.append(
                message(
                    N_("Tanggal lahir di data (%(record)s) tidak sesuai NIP (%(nip)s)."),
                    record=_fmt(employee.birth_date),
                    nip=_fmt(nip_info.birth_date),
                )
            )
    if not employee.sex:
        errors["sex"] = [_("Jenis kelamin wajib diisi (L atau P).")]
    elif employee.sex not in Employee.Sex.values:
        errors["sex"] = [_("Jenis kelamin harus L atau P.")]
    if employee.birth_date is None:
        errors["birth_date"] = [_("Tanggal lahir wajib diisi.")]
    elif employee.birth_date > today or employee.birth_date.year < 1940:
        errors["birth_date"] = [
            _("Tanggal lahir %(day)s tidak masuk akal.") % {"day": _fmt(employee.birth_date)}
        ]
    if employee.employment_start is None:
        errors["employment_start"] = [_("TMT (tanggal mulai bekerja) wajib diisi.")]
    elif (
        employee.birth_date
        and "birth_date" not in errors
        and employee.employment_start < _years_after(employee.birth_date, MIN_WORKING_AGE_YEARS)
    ):
        errors["employment_start"] = [
            _("TMT %(day)s tidak masuk akal: pegawai belum berusia %(age)s tahun.")
            % {"day": _fmt(employee.employment_start), "age": MIN_WORKING_AGE_YEARS}
        ]
    if employee.employment_start and employee.employment_start > today + timedelta(days=366):
        errors["employment_start"] = [_("TMT lebih dari setahun ke depan.")]
    employee.nik = normalize_digits(employee.nik or "")
    if employee.nik:
        try:
            nik_info = parse_nik(employee.nik, today=today, region_exists=region_exists)
        except ValidationError as exc:
            errors["nik"] = exc.messages
        else:
            warnings.extend(
                nik_mismatches(nik_info, sex=employee.sex or None, birth_date=employee.birth_date)
            )
    try:
        employee.phone = normalize_phone(employee.phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    employee.email = (employee.email or "").strip()
    if employee.email:
        try:
            validate_email(employee.email)
        except ValidationError:
            errors["email"] = [_("Alamat surel %(value)s tidak sah.") % {"value": employee.email}]
    employee.name = " ".join((employee.name or "").split())
    if not employee.name:
        errors["name"] = [_("Nama wajib diisi.")]
    if employee.nip and "nip" not in errors:
        same = Employee.objects.filter(nip=employee.nip).exclude(pk=employee.pk)
        if same.exists():
            errors["nip"] = [_("NIP %(nip)s sudah terdaftar untuk pegawai lain.") % {"nip": employee.nip}]
    if employee.nik and "nik" not in errors:
        employee.nik_hash = keyed_hash(employee.nik)
        if Employee.objects.filter(nik_hash=employee.nik_hash).exclude(pk=employee.pk).exists():
            errors["nik"] = [_("NIK ini sudah dipakai pegawai lain.")]
    else:
        employee.nik_hash = keyed_hash(employee.nik) if employee.nik else ""
    if errors:
        raise ValidationError(errors)
    return warnings


def _check_supervisor(employee: Employee, supervisor: Employee | None) -> None:
    """Not oneself, an active employee, and no loop (the chain above the supervisor never reaches back)."""
    if supervisor is None:
        return
    if employee.pk and supervisor.pk == employee.pk:
        raise ValidationError({"supervisor": _("Pegawai tidak dapat menjadi atasan dirinya sendiri.")})
    if not supervisor.is_active:
        raise ValidationError(
            {"supervisor": _("Atasan %(name)s sudah tidak aktif.") % {"name": supervisor.name}}
        )
    if employee.pk is None:
        return
    seen: set[int] = set()
    current = supervisor.pk
    while current is not None and current not in seen:
        if current == employee.pk:
            raise ValidationError(
                {
                    "supervisor": _(
                        "%(supervisor)s adalah bawahan (langsung atau tidak langsung) dari %(employee)s; "
                        "atasan tidak boleh melingkar."
                    )
                    % {"supervisor": supervisor.name, "employee": employee.name}
                }
            )
        seen.add(current)
        current = Employee.objects.filter(pk=current).values_list("supervisor_id", flat=True).first()


def _check_unit_usable(actor, unit: Unit | None) -> None:
    if unit is None:
        raise ValidationError({"unit": _("Unit wajib diisi.")})
    if not unit.is_active:
        raise ValidationError({"unit": _("Unit %(name)s tidak aktif.") % {"name": unit.name}})
    if not _in_scope(actor, unit, "org.manage_employee"):
        raise ValidationError({"unit": _("Unit %(name)s di luar wilayah kerja Anda.") % {"name": unit.name}})


_EMPLOYEE_FIELDS = {
    "kind",
    "nip",
    "name",
    "nik",
    "sex",
    "birth_date",
    "birth_place",
    "phone",
    "email",
    "employment_start",
    "supervisor",
}


@_write
def employee_create(
    *,
    actor,
    kind: str,
    name: str,
    unit: Unit,
    nip: str | None = None,
    nik: str = "",
    sex: str = "",
    birth_date: date | None = None,
    birth_place: str = "",
    phone: str = "",
    email: str = "",
    position: Position | None = None,
    supervisor: Employee | None = None,
    employment_start: date | None = None,
    user: User | None = None,
) -> Employee:
    """Create an employee. Mismatches between the NIP/NIK and the record do not block: they are returned in
    ``employee.data_warnings`` (and kept there for the detail page)."""
    _require_permission(actor, "org.manage_employee")
    employee = Employee(
        kind=kind,
        name=name,
        nip=nip,
        nik=nik or "",
        sex=sex or "",
        birth_date=birth_date,
        birth_place=(birth_place or "").strip(),
        phone=phone or "",
        email=(email or "").strip(),
        unit=unit,
        position=position,
        employment_start=employment_start,
        user=user,
    )
    if kind not in Employee.Kind.values:
        raise ValidationError({"kind": _("Jenis pegawai harus PNS, PPPK atau NON_ASN.")})
    errors: dict[str, list[str]] = {}
    try:
        employee.data_warnings = _apply_identity(
            employee, today=local_today(unit.region_id if unit else None)
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_unit_usable(actor, unit)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:  # every field's problem at once, so a form shows them all
        raise ValidationError(errors)
    _check_supervisor(employee, supervisor)
    employee.supervisor = supervisor
    employee.full_clean()
    employee.save()
    audit_write(actor=actor, action="org.employee_create", instance=employee, after=snapshot(employee))
    return employee


@_write
def employee_update(*, actor, employee: Employee, **changes: Any) -> Employee:
    """Change an employee's own data. The unit and position change only through ``employee_move`` (so the
    history stays true); the supervisor through the same checks as ``employee_set_supervisor``."""
    if "unit" in changes or "position" in changes:
        raise ValidationError(
            {"unit": _("Unit dan jabatan diubah melalui mutasi, bukan dengan menyunting data.")}
        )
    _check_allowed(changes, _EMPLOYEE_FIELDS)
    _require_permission(actor, "org.manage_employee")
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    _require_in_scope(actor, employee, "org.manage_employee")
    before = snapshot(employee)
    before_nik_hash = employee.nik_hash  # the snapshot masks the NIK, so compare its hash too
    supervisor = changes.pop("supervisor", employee.supervisor)
    for field, value in changes.items():
        setattr(employee, field, value)
    if employee.kind not in Employee.Kind.values:
        raise ValidationError({"kind": _("Jenis pegawai harus PNS, PPPK atau NON_ASN.")})
    employee.email = (employee.email or "").strip()
    employee.data_warnings = _apply_identity(employee, today=local_today(employee.unit.region_id))
    if (supervisor.pk if supervisor else None) != employee.supervisor_id:
        _check_supervisor(employee, supervisor)
        employee.supervisor = supervisor
    first_move = employee.moves.order_by("effective_date").values_list("effective_date", flat=True).first()
    if first_move and employee.employment_start > first_move:
        raise ValidationError(
            {
                "employment_start": _("TMT tidak boleh sesudah mutasi pertama (%(day)s).")
                % {"day": _fmt(first_move)}
            }
        )
    employee.full_clean()
    after = snapshot(employee)
    if after == before and employee.nik_hash == before_nik_hash:
        return employee  # nothing changed: no write, no audit noise (re-imports rely on this)
    employee.save()
    audit_write(
        actor=actor, action="org.employee_update", instance=employee, before=before, after=snapshot(employee)
    )
    return employee


@_write
def employee_move(
    *,
    actor,
    employee: Employee,
    to_unit: Unit,
    to_position: Position | None = None,
    effective_date: date,
    decree_number: str = "",
    note: str = "",
) -> EmployeeMove:
    """Move to another unit and/or position. Appends one ``EmployeeMove``; never edits an older one.

    ``to_position`` ``None`` keeps the current position. The date may not precede the latest recorded move
    nor the TMT (that would rewrite the past) and may not be in the future (the current unit changes now).
    """
    _require_permission(actor, "org.manage_employee")
    employee = (
        Employee.objects.select_for_update(of=("self",))
        .select_related("unit", "position")
        .get(pk=employee.pk)
    )
    _require_in_scope(actor, employee, "org.manage_employee")
    if not employee.is_active:
        raise ValidationError(_("Pegawai sudah berhenti; mutasi tidak dapat dicatat."))
    _check_unit_usable(actor, to_unit)
    to_position = to_position if to_position is not None else employee.position
    if to_unit.pk == employee.unit_id and (to_position.pk if to_position else None) == employee.position_id:
        raise ValidationError({"to_unit": _("Tidak ada perubahan unit atau jabatan.")})
    if effective_date is None:
        raise ValidationError({"effective_date": _("Tanggal berlaku wajib diisi.")})
    today = local_today(to_unit.region_id)
    if effective_date > today:
        raise ValidationError(
            {
                "effective_date": _(
                    "Tanggal berlaku tidak boleh di masa depan; catat mutasi pada "
                    "atau sesudah tanggal berlakunya."
                )
            }
        )
    if effective_date < employee.employment_start:
        raise ValidationError(
            {
                "effective_date": _("Tanggal berlaku tidak boleh sebelum TMT pegawai (%(day)s).")
                % {"day": _fmt(employee.employment_start)}
            }
        )
    latest = employee.moves.aggregate(latest=Max("effective_date"))["latest"]
    if latest and effective_date < latest:
        raise ValidationError(
            {
                "effective_date": _(
                    "Tanggal berlaku tidak boleh sebelum mutasi terakhir (%(day)s): "
                    "riwayat tidak ditulis ulang."
                )
                % {"day": _fmt(latest)}
            }
        )
    before = snapshot(employee)
    move = EmployeeMove(
        employee=employee,
        effective_date=effective_date,
        from_unit=employee.unit,
        to_unit=to_unit,
        from_position=employee.position,
        to_position=to_position,
        decree_number=(decree_number or "").strip(),
        note=(note or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    move.full_clean()
    move.save()
    employee.unit, employee.position = to_unit, to_position
    employee.save(update_fields=["unit", "position", "updated_at"])
    audit_write(
        actor=actor,
        action="org.employee_move",
        instance=employee,
        before=before,
        after=snapshot(employee),
        note=_("Mutasi berlaku %(day)s, SK %(sk)s")
        % {"day": _fmt(effective_date), "sk": move.decree_number or "-"},
    )
    return move


@_write
def employee_set_supervisor(*, actor, employee: Employee, supervisor: Employee | None) -> Employee:
    _require_permission(actor, "org.manage_employee")
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    _require_in_scope(actor, employee, "org.manage_employee")
    if supervisor is not None and not _in_scope(actor, supervisor, "org.view_employee"):
        raise ValidationError({"supervisor": _("Atasan tidak ditemukan di wilayah kerja Anda.")})
    if (supervisor.pk if supervisor else None) == employee.supervisor_id:
        return employee
    _check_supervisor(employee, supervisor)
    before = snapshot(employee, ["supervisor"])
    employee.supervisor = supervisor
    employee.save(update_fields=["supervisor", "updated_at"])
    audit_write(
        actor=actor,
        action="org.employee_set_supervisor",
        instance=employee,
        before=before,
        after=snapshot(employee, ["supervisor"]),
    )
    return employee


@_write
def employee_end(*, actor, employee: Employee, end_date: date, reason: str = "") -> Employee:
    """End the employment (retirement, resignation, end of contract). The login account is disabled."""
    _require_permission(actor, "org.manage_employee")
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    _require_in_scope(actor, employee, "org.manage_employee")
    if not employee.is_active:
        raise ValidationError(
            _("Pegawai sudah berhenti sejak %(day)s.") % {"day": _fmt(employee.employment_end)}
        )
    if end_date is None or end_date < employee.employment_start:
        raise ValidationError(
            {
                "end_date": _("Tanggal berhenti tidak boleh sebelum TMT (%(day)s).")
                % {"day": _fmt(employee.employment_start)}
            }
        )
    latest = employee.moves.aggregate(latest=Max("effective_date"))["latest"]
    if latest and end_date < latest:
        raise ValidationError(
            {
                "end_date": _("Tanggal berhenti tidak boleh sebelum mutasi terakhir (%(day)s).")
                % {"day": _fmt(latest)}
            }
        )
    before = snapshot(employee)
    employee.employment_end = end_date
    employee.save(update_fields=["employment_end", "updated_at"])
    if employee.user_id and employee.user.is_active:
        User.objects.filter(pk=employee.user_id).update(is_active=False)
    audit_write(
        actor=actor,
        action="org.employee_end",
        instance=employee,
        before=before,
        after=snapshot(employee),
        note=(reason or "")[:500],
    )
    return employee


@_write
def employee_link_user(*, actor, employee: Employee, username: str = "") -> User:
    """Create (or link) the login account. ASN log in with their NIP, so the username is the NIP; a non-ASN
    employee needs an explicit username. A new account has no usable password until it is set or reset."""
    _require_permission(actor, "org.manage_employee")
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    _require_in_scope(actor, employee, "org.manage_employee")
    if employee.user_id:
        raise ValidationError(
            _("Pegawai ini sudah memiliki akun (%(username)s).") % {"username": employee.user.username}
        )
    if not employee.is_active:
        raise ValidationError(_("Pegawai sudah berhenti; akun tidak dapat dibuat."))
    username = employee.nip or (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Pegawai non-ASN memerlukan nama pengguna.")})
    user = User.objects.filter(username__iexact=username).first()
    if user is not None:
        if Employee.objects.filter(user=user).exists():
            raise ValidationError(
                {
                    "username": _("Nama pengguna %(username)s sudah dipakai pegawai lain.")
                    % {"username": username}
                }
            )
    else:
        user = User(
            username=username,
            full_name=employee.name,
            email=employee.email,
            phone=employee.phone,
            date_joined=timezone.now(),
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    before = snapshot(employee, ["user"])
    employee.user = user
    employee.save(update_fields=["user", "updated_at"])
    audit_write(
        actor=actor,
        action="org.employee_link_user",
        instance=employee,
        before=before,
        after=snapshot(employee, ["user"]),
    )
    return user
