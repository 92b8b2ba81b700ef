"""Every write of the attendance module: risk status, check-ins and their review, daily attendance,
leave, corrections and rosters. The server decides (geofence, window, signals), never the client."""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from layan.attendance import rules
from layan.attendance.models import (
    ApprovalStatus,
    AttendanceCorrection,
    BoundDevice,
    CheckIn,
    DailyAttendance,
    DayStatus,
    LeaveBalance,
    LeaveRequest,
    LeaveType,
    ManualAttendanceList,
    RegionRiskStatus,
    Roster,
    RosterEntry,
    RosterSwap,
    StandbyPing,
    WfoExemption,
    WorkFromHomeProfile,
    WorkMode,
    Zone,
)
from layan.core import calendar
from layan.core.audit import audit_write, snapshot
from layan.core.stored_text import message, shown
from layan.core.uploads import validate_image_upload
from layan.org.models import Employee, Unit
from layan.org.selectors import own_employee
from layan.regions.models import Region

SELFIE_MAX_BYTES = getattr(settings, "LAYAN_MAX_SELFIE_BYTES", 2 * 1024 * 1024)


class CheckInConflict(Exception):
    """A second check-in the employee did not mean (double tap, already checked in today)."""

    def __init__(self, message: str, existing: CheckIn | None = None):
        super().__init__(message)
        self.message = message
        self.existing = existing


def _signal(code: str, text: str, **params) -> dict:
    """A reason to doubt a check-in, kept as a stored message (``core.stored_text``: ``text`` is the
    untranslated wording, ``N_``) so each reader sees it in their own language, with the Indonesian
    sentence as ``message`` for clients that read only that."""
    with translation.override(settings.LANGUAGE_CODE):
        stored = message(text, **params)
        return {"code": code, "message": shown(stored), **stored}


# --- region risk status --------------------------------------------------------------------------------


@transaction.atomic
def region_risk_set(
    *,
    actor,
    region_code: str,
    zone: str = "",
    level: int | None = None,
    valid_from: date,
    legal_basis: str = "",
) -> RegionRiskStatus:
    """Set the risk zone and/or PPKM level of a kabupaten/kota from ``valid_from`` (the health module calls
    this). The status in force before is closed the day before; one set on the same day is replaced."""
    region = Region.objects.filter(code=region_code).first()
    if region is None or region.level != Region.Level.KABUPATEN_KOTA:
        raise ValidationError(
            {"region_code": _("Wilayah %(code)s bukan kabupaten/kota yang dikenal.") % {"code": region_code}}
        )
    if zone and zone not in Zone.values:
        raise ValidationError({"zone": _("Zona tidak dikenal.")})
    if level is not None and level not in (1, 2, 3, 4):
        raise ValidationError({"level": _("Level PPKM harus 1 sampai 4.")})
    if not zone and level is None:
        raise ValidationError(_("Isi zona risiko atau level PPKM."))
    later = RegionRiskStatus.objects.select_for_update().filter(region=region, valid_from__gt=valid_from)
    if later.exists():
        raise ValidationError({"valid_from": _("Sudah ada status yang berlaku setelah tanggal ini.")})
    same_day = (
        RegionRiskStatus.objects.select_for_update().filter(region=region, valid_from=valid_from).first()
    )
    before = snapshot(same_day)
    if same_day is None:
        current = (
            RegionRiskStatus.objects.select_for_update()
            .filter(region=region, valid_from__lt=valid_from)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
            .first()
        )
        if current is not None:
            closed_before = snapshot(current)
            current.valid_to = valid_from - timedelta(days=1)
            current.save(update_fields=["valid_to", "updated_at"])
            audit_write(
                actor=actor,
                action="attendance.region_risk_close",
                instance=current,
                before=closed_before,
                after=snapshot(current),
            )
        status = RegionRiskStatus(region=region, valid_from=valid_from)
    else:
        status = same_day
    status.zone, status.ppkm_level = zone, level
    status.legal_basis = legal_basis
    status.set_by = actor if getattr(actor, "pk", None) else None
    status.full_clean()
    status.save()
    audit_write(
        actor=actor,
        action="attendance.region_risk_set",
        instance=status,
        before=before,
        after=snapshot(status),
    )
    return status


@transaction.atomic
def wfo_exemption_set(
    *, actor, employee: Employee, reason: str, valid_from: date, valid_to: date | None = None
) -> WfoExemption:
    exemption = WfoExemption(
        employee=employee,
        reason=reason,
        valid_from=valid_from,
        valid_to=valid_to,
        set_by=actor if getattr(actor, "pk", None) else None,
    )
    exemption.full_clean()
    exemption.save()
    audit_write(
        actor=actor, action="attendance.wfo_exemption_set", instance=exemption, after=snapshot(exemption)
    )
    return exemption


# --- mode of the day -----------------------------------------------------------------------------------


def mode_of_day(employee: Employee, day: date) -> tuple[str, LeaveRequest | None]:
    """WFO / WFH / PIKET from the published roster, DL from an approved official trip; WFO otherwise."""
    return rules.employee_mode_of_day(employee, day)


# --- check-in ------------------------------------------------------------------------------------------


@dataclass
class CheckInResult:
    checkin: CheckIn
    created: bool


def _fmt_m(meters: float) -> str:
    return f"{round(meters):,}".replace(",", ".")


def _place_check(employee: Employee, mode: str, trip: LeaveRequest | None, lat, lon, accuracy: int, policy):
    """(place, distance, radius, refusal signal or None, signals): the position against the allowed place."""
    signals: list[dict] = []
    if mode in (WorkMode.WFO, WorkMode.PIKET):
        offices = rules.unit_rules(employee.unit_id).offices
        if not offices:
            signals.append(
                _signal(
                    "no_office_location",
                    N_("Unit belum memiliki titik kantor; lokasi tidak dapat diperiksa."),
                )
            )
            return "", None, None, None, signals
        office, distance = min(
            ((o, rules.haversine_m(lat, lon, o.latitude, o.longitude)) for o in offices),
            key=lambda pair: pair[1],
        )
        slack = min(accuracy, policy.drift_allowance_m)
        if distance - slack > office.radius_m:
            refusal = _signal(
                "outside_geofence",
                N_(
                    "Presensi WFO ditolak: Anda berada %(distance)s m dari %(office)s, sedangkan radius yang "
                    "diizinkan %(radius)s m."
                ),
                distance=_fmt_m(distance),
                office=office.name,
                radius=_fmt_m(office.radius_m),
            )
            return office.name, distance, office.radius_m, refusal, signals
        return office.name, distance, office.radius_m, None, signals
    if mode == WorkMode.WFH:
        profile = WorkFromHomeProfile.objects.filter(employee=employee).first()
        if profile is None or profile.home_latitude is None or profile.home_longitude is None:
            signals.append(_signal("home_unregistered", N_("Lokasi rumah untuk WFH belum terdaftar.")))
            return N_("Rumah"), None, None, None, signals
        distance = rules.haversine_m(lat, lon, profile.home_latitude, profile.home_longitude)
        if distance - min(accuracy, policy.drift_allowance_m) > profile.home_radius_m:
            signals.append(
                _signal(
                    "outside_home",
                    N_("WFH di luar radius rumah: %(distance)s m (radius %(radius)s m)."),
                    distance=_fmt_m(distance),
                    radius=_fmt_m(profile.home_radius_m),
                )
            )
        return N_("Rumah"), distance, profile.home_radius_m, None, signals
    if mode == WorkMode.DL and trip is not None and trip.place_latitude is not None:
        distance = rules.haversine_m(lat, lon, trip.place_latitude, trip.place_longitude)
        if distance - min(accuracy, policy.drift_allowance_m) > trip.place_radius_m:
            signals.append(
                _signal(
                    "outside_assignment",
                    N_("Di luar lokasi dinas luar: %(distance)s m (radius %(radius)s m)."),
                    distance=_fmt_m(distance),
                    radius=_fmt_m(trip.place_radius_m),
                )
            )
        return N_("Lokasi dinas luar"), distance, trip.place_radius_m, None, signals
    return "", None, None, None, signals


def _device_signals(employee: Employee, device_id: str) -> tuple[list[dict], bool]:
    """Signals about the device and whether it should be bound to this employee now."""
    bound = list(
        BoundDevice.objects.filter(revoked_at__isnull=True).filter(
            Q(device_id=device_id) | Q(employee=employee)
        )
    )
    this_device = next((b for b in bound if b.device_id == device_id), None)
    if this_device is not None and this_device.employee_id != employee.pk:
        return [
            _signal("device_other_employee", N_("Perangkat ini terdaftar atas nama pegawai lain."))
        ], False
    if this_device is None and any(b.employee_id == employee.pk for b in bound):
        return [_signal("new_device", N_("Perangkat baru, belum terdaftar untuk pegawai ini."))], False
    return [], this_device is None


# Two points on Earth are at most ~20,015 km apart: a record further in time than that distance at the
# policy's top speed can never make a move "impossible", so a check-in reads only the records inside it.
_FARTHEST_KM = 20_040
_NEARBY_FIELDS = (
    "id", "client_uuid", "kind", "recorded_at", "local_date", "latitude", "longitude", "status", "review",
)  # fmt: skip


def _nearby_checkins(employee: Employee, client_uuid, recorded: datetime, policy) -> list:
    """One indexed read serves the whole check-in: the record of this client UUID (a re-send) and the
    employee's records around ``recorded`` (impossible travel, double tap, already checked in that day)."""
    rows = CheckIn.objects.filter(employee=employee)
    if policy.max_speed_kmh >= 1:  # (a top speed of 0 makes any earlier record count)
        window = timedelta(hours=max(48, _FARTHEST_KM / policy.max_speed_kmh), seconds=policy.double_tap_s)
        around = (recorded - window, recorded + window)
        rows = rows.filter(Q(client_uuid=client_uuid) | Q(recorded_at__range=around))
    return list(rows.order_by().values_list(*_NEARBY_FIELDS, named=True))


def _at_and_id(row) -> tuple:
    return row.recorded_at, row.id


def _latest(rows: list):
    return max(rows, key=_at_and_id, default=None)


def _travel_signal(nearby: list, recorded: datetime, lat, lon, policy) -> list[dict]:
    # Refused fixes count too: they still say where the phone was.
    previous = _latest([r for r in nearby if r.recorded_at <= recorded])
    following = min((r for r in nearby if r.recorded_at > recorded), key=_at_and_id, default=None)
    for other in (previous, following):
        if other is None:
            continue
        distance = rules.haversine_m(lat, lon, other.latitude, other.longitude)
        hours = max(abs((recorded - other.recorded_at).total_seconds()), 60) / 3600
        if distance > 1000 and distance / 1000 / hours > policy.max_speed_kmh:
            return [
                _signal(
                    "impossible_travel",
                    N_("Perpindahan tidak wajar: %(km)s km dalam %(min)s menit sejak presensi sebelumnya."),
                    km=f"{distance / 1000:.1f}",
                    min=max(1, round(hours * 60)),
                )
            ]
    return []


def _attributed_day(employee: Employee, local: datetime, kind: str) -> tuple[date, rules.DayPlan | None]:
    """The working day a check-in belongs to: a check-out after midnight closes the night shift before."""
    day = local.date()
    if kind == CheckIn.Kind.OUT:
        yesterday = rules.employee_day_plan(employee, day - timedelta(days=1))
        if yesterday and yesterday.end.date() == day and local <= yesterday.window[1]:
            return day - timedelta(days=1), yesterday
    return day, rules.employee_day_plan(employee, day)


def checkin_record(
    *,
    actor,
    kind: str,
    client_uuid: uuid.UUID,
    device_time: datetime,
    latitude: Decimal,
    longitude: Decimal,
    accuracy_m: int,
    fix_age_s: int,
    mock_location: bool,
    device_id: str,
    selfie,
    user_agent: str = "",
) -> CheckInResult:
    """Record a check-in/out sent by a phone (live or from its offline queue).

    Idempotent on (employee, client_uuid), including concurrent re-sends. A WFO position outside the office
    geofence is stored as refused; other doubts are stored as flagged with their reasons for the supervisor.
    Selfie hash and face detection run in a background task after commit so the request stays fast, and
    the request reads little: the employee, the rules of the day, and one read of the employee's own
    records around that time (re-send, travel, double tap) — docs/OPERATIONS.md, "Scale figures"."""
    employee = own_employee(actor)
    received = timezone.now()
    zone = calendar.zone_for_region(employee.unit.region_id)
    policy = rules.policy_on(received.astimezone(zone).date())
    # The device's capture time counts when plausible: an outage at 07:00 must not make people late.
    device_ok = device_time <= received + timedelta(
        seconds=policy.device_time_future_s
    ) and received - device_time <= timedelta(hours=policy.device_time_max_delay_h)
    recorded = device_time if device_ok else received
    nearby = _nearby_checkins(employee, client_uuid, recorded, policy)
    resent = next((r.id for r in nearby if r.client_uuid == client_uuid), None)
    if resent is not None:
        return CheckInResult(_checkin_of(employee, pk=resent), False)

    errors: dict[str, list[str]] = {}
    if kind not in CheckIn.Kind.values:
        errors["kind"] = [_("Jenis presensi harus 'in' (masuk) atau 'out' (pulang).")]
    if latitude is None or not (-90 <= latitude <= 90):
        errors["latitude"] = [_("Lintang harus antara -90 dan 90.")]
    if longitude is None or not (-180 <= longitude <= 180):
        errors["longitude"] = [_("Bujur harus antara -180 dan 180.")]
    if accuracy_m is None or accuracy_m < 0:
        errors["accuracy_m"] = [_("Akurasi GPS wajib diisi.")]
    elif accuracy_m > policy.max_accuracy_m:
        errors["accuracy_m"] = [
            _(
                "Akurasi GPS terlalu rendah (%(acc)s m; maksimal %(max)s m). Pindah ke tempat "
                "terbuka lalu coba lagi."
            )
            % {"acc": accuracy_m, "max": policy.max_accuracy_m}
        ]
    if fix_age_s is None or fix_age_s < 0:
        errors["fix_age_s"] = [_("Umur posisi GPS wajib diisi.")]
    elif fix_age_s > policy.max_fix_age_s:
        errors["fix_age_s"] = [
            _("Posisi GPS sudah terlalu lama (%(age)s detik). Perbarui lokasi lalu coba lagi.")
            % {"age": fix_age_s}
        ]
    if not device_id or len(device_id) > 64:
        errors["device_id"] = [_("ID perangkat wajib diisi (maksimal 64 karakter).")]
    if selfie is None:
        errors["selfie"] = [_("Swafoto dari kamera wajib dilampirkan.")]
    else:
        try:
            validate_image_upload(selfie, max_bytes=SELFIE_MAX_BYTES)
        except ValidationError as exc:
            errors["selfie"] = exc.messages
    if errors:
        raise ValidationError(errors)

    signals: list[dict] = []
    if not device_ok:
        signals.append(
            _signal(
                "device_time_implausible",
                N_("Jam perangkat tidak wajar (%(device)s); waktu diterima server yang dipakai."),
                device=device_time.astimezone(zone).strftime("%d-%m-%Y %H:%M"),
            )
        )
    local = recorded.astimezone(zone)
    day, plan = _attributed_day(employee, local, kind)
    if plan is not None:
        opens, closes = plan.window
        if kind == CheckIn.Kind.IN and not (opens <= local <= plan.end):
            raise ValidationError(
                {
                    "device_time": [
                        _("Di luar jendela presensi masuk (%(open)s–%(close)s %(tz)s).")
                        % {
                            "open": opens.strftime("%H:%M"),
                            "close": plan.end.strftime("%H:%M"),
                            "tz": calendar.zone_label(zone),
                        }
                    ]
                }
            )
        if kind == CheckIn.Kind.OUT and not (plan.start <= local <= closes):
            raise ValidationError(
                {
                    "device_time": [
                        _("Di luar jendela presensi pulang (%(open)s–%(close)s %(tz)s).")
                        % {
                            "open": plan.start.strftime("%H:%M"),
                            "close": closes.strftime("%H:%M"),
                            "tz": calendar.zone_label(zone),
                        }
                    ]
                }
            )

    mode, trip = mode_of_day(employee, day)
    place, distance, radius, refusal, place_signals = _place_check(
        employee, mode, trip, latitude, longitude, accuracy_m, policy
    )
    signals += place_signals
    if accuracy_m > policy.soft_accuracy_m:
        signals.append(_signal("poor_accuracy", N_("Akurasi GPS rendah: %(acc)s m."), acc=accuracy_m))
    if fix_age_s > policy.soft_fix_age_s:
        signals.append(_signal("stale_fix", N_("Posisi GPS berumur %(age)s detik."), age=fix_age_s))
    if mock_location:
        signals.append(_signal("mock_location", N_("Perangkat melaporkan lokasi palsu (mock location).")))
    device_signals, bind_device = _device_signals(employee, device_id)
    signals += device_signals
    signals += _travel_signal(nearby, recorded, latitude, longitude, policy)

    if refusal:
        status, review = CheckIn.Status.REFUSED, CheckIn.Review.NONE
        signals.insert(0, refusal)
    elif signals:
        status, review = CheckIn.Status.FLAGGED, CheckIn.Review.PENDING
    else:
        status, review = CheckIn.Status.ACCEPTED, CheckIn.Review.NONE

    if status != CheckIn.Status.REFUSED:
        _refuse_duplicates(nearby, kind, day, recorded, policy, zone)
    checkin = CheckIn(
        employee=employee,
        client_uuid=client_uuid,
        kind=kind,
        mode=mode,
        device_time=device_time,
        received_at=received,
        recorded_at=recorded,
        local_date=day,
        device_time_accepted=device_ok,
        latitude=Decimal(str(latitude)).quantize(Decimal("0.000001")),
        longitude=Decimal(str(longitude)).quantize(Decimal("0.000001")),
        accuracy_m=accuracy_m,
        fix_age_s=fix_age_s,
        mock_location=bool(mock_location),
        device_id=device_id,
        user_agent=(user_agent or "")[:255],
        place=place[:150],
        distance_m=round(distance) if distance is not None else None,
        allowed_radius_m=radius,
        signals=signals,
        status=status,
        review=review,
    )
    selfie.seek(0)
    checkin.selfie.save(f"{client_uuid}.jpg", selfie, save=False)
    try:
        with transaction.atomic():
            # The first write: a concurrent copy of this request that committed first makes it fail here,
            # before anything else was written.
            checkin.save()
            if bind_device and status != CheckIn.Status.REFUSED:
                # Bound concurrently by another check-in: nothing to do, the next check-in sees it.
                BoundDevice.objects.bulk_create(
                    [BoundDevice(employee=employee, device_id=device_id, label=(user_agent or "")[:150])],
                    ignore_conflicts=True,
                )
            audit_write(
                actor=actor,
                action=f"attendance.checkin_{status}",
                instance=checkin,
                after=snapshot(checkin, ["kind", "mode", "recorded_at", "status", "distance_m", "signals"]),
            )
            checkin_id, today = checkin.pk, calendar.local_today(employee.unit.region_id)
            # Robust: the check-in is committed whatever the broker does; an analysis that could not be
            # queued is picked up by ``checkins_awaiting_analysis`` (a periodic task).
            transaction.on_commit(lambda: _after_checkin(checkin_id, employee.pk, day, today), robust=True)
    except IntegrityError:
        # A concurrent re-send of the same client UUID won the race: answer with its record.
        checkin.selfie.delete(save=False)
        existing = CheckIn.objects.filter(employee=employee, client_uuid=client_uuid).values_list("pk")
        if not existing:
            raise
        return CheckInResult(_checkin_of(employee, pk=existing[0][0]), False)
    return CheckInResult(checkin, True)


def _checkin_of(employee: Employee, *, pk: int) -> CheckIn:
    checkin = CheckIn.objects.get(pk=pk)
    checkin.employee = employee  # already loaded: the answer names the employee
    return checkin


def _refuse_duplicates(nearby: list, kind, day, recorded, policy, zone) -> None:
    """A second tap within the double-tap time, or a second check-in on a day, is a conflict (the records
    of the employee around ``recorded`` come from ``_nearby_checkins``)."""
    counted = [
        r
        for r in nearby
        if r.kind == kind and r.status != CheckIn.Status.REFUSED and r.review != CheckIn.Review.REJECTED
    ]
    tap = timedelta(seconds=policy.double_tap_s)
    near = _latest([r for r in counted if recorded - tap <= r.recorded_at <= recorded + tap])
    if near is not None:
        raise CheckInConflict(
            _("Presensi %(kind)s sudah tercatat pukul %(time)s.")
            % {
                "kind": CheckIn.Kind(near.kind).label.lower(),
                "time": near.recorded_at.astimezone(zone).strftime("%H:%M"),
            }
        )
    if kind == CheckIn.Kind.IN:
        first = _latest([r for r in counted if r.local_date == day])
        if first is not None:
            raise CheckInConflict(
                _("Anda sudah presensi masuk pada %(day)s pukul %(time)s.")
                % {
                    "day": day.strftime("%d-%m-%Y"),
                    "time": first.recorded_at.astimezone(zone).strftime("%H:%M"),
                }
            )


def _after_checkin(checkin_id: int, employee_id: int, day: date, today: date) -> None:
    from layan.attendance import tasks

    if day < today:  # an offline check-in arriving after its day was computed
        tasks.recompute_employee_days.delay(employee_id, [day.isoformat()])
    tasks.analyse_checkin_selfie.delay(checkin_id)


def checkins_awaiting_analysis(*, waited: timedelta = timedelta(hours=1)) -> list[int]:
    """Check-ins of the last days whose selfie was never analysed although it was received more than
    ``waited`` ago: the broker was unreachable when they were committed, or the queued task was lost.
    (The wait leaves a morning burst's queue time to drain before anything is queued twice.)"""
    now = timezone.now()
    return list(
        CheckIn.objects.filter(
            recorded_at__gte=now - timedelta(days=4),  # (indexed; the device time may precede receipt)
            received_at__gte=now - timedelta(days=2),
            received_at__lt=now - waited,
            analysed_at__isnull=True,
        )
        .exclude(selfie="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def checkin_analyse_selfie(*, checkin_id: int) -> CheckIn | None:
    """Perceptual hash (reuse of an earlier selfie) and face search; flags the check-in when they fail."""
    from layan.attendance import selfie as selfie_analysis

    checkin = CheckIn.objects.select_related("employee").filter(pk=checkin_id).first()
    if checkin is None or checkin.analysed_at is not None or not checkin.selfie:
        return checkin
    policy = rules.policy_on(checkin.local_date)
    with checkin.selfie.open("rb") as handle:
        image = selfie_analysis.open_image(handle)
    phash = selfie_analysis.perceptual_hash(image)
    has_face = selfie_analysis.face_found(image)
    signals = list(checkin.signals)
    earlier = (
        CheckIn.objects.filter(employee_id=checkin.employee_id)
        .exclude(pk=checkin.pk)
        .exclude(selfie_hash="")
        .order_by("-recorded_at")
        .values_list("selfie_hash", "recorded_at")[:200]
    )
    for other_hash, other_at in earlier:
        distance = selfie_analysis.hash_distance(phash, other_hash)
        if distance <= policy.selfie_hash_distance:
            zone = calendar.zone_for_region(checkin.employee.unit.region_id)
            signals.append(
                _signal(
                    "selfie_reused",
                    N_("Swafoto sama/mirip dengan presensi %(at)s (selisih hash %(d)s)."),
                    at=other_at.astimezone(zone).strftime("%d-%m-%Y %H:%M"),
                    d=distance,
                )
            )
            break
    if not has_face:
        signals.append(_signal("no_face", N_("Tidak ada wajah yang terdeteksi pada swafoto.")))
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        before = snapshot(locked, ["status", "signals", "review"])
        locked.selfie_hash, locked.face_found, locked.analysed_at = phash, has_face, timezone.now()
        locked.signals = signals
        if len(signals) > len(checkin.signals) and locked.status == CheckIn.Status.ACCEPTED:
            locked.status, locked.review = CheckIn.Status.FLAGGED, CheckIn.Review.PENDING
        locked.save(update_fields=["selfie_hash", "face_found", "analysed_at", "signals", "status", "review"])
        if locked.status != before["status"]:
            audit_write(
                actor=None,
                action="attendance.checkin_flagged",
                instance=locked,
                before=before,
                after=snapshot(locked, ["status", "signals", "review"]),
            )
    return locked


@transaction.atomic
def checkin_review(*, actor, checkin: CheckIn, confirm: bool, note: str = "") -> CheckIn:
    """The supervisor confirms or rejects a flagged check-in; the day is recomputed."""
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.status != CheckIn.Status.FLAGGED:
        raise ValidationError(_("Hanya presensi yang ditandai yang dapat ditinjau."))
    if checkin.employee.user_id and checkin.employee.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("Anda tidak dapat meninjau presensi Anda sendiri."))
    if not confirm and not note.strip():
        raise ValidationError({"note": _("Tuliskan alasan penolakan.")})
    before = snapshot(checkin, ["review", "review_note"])
    checkin.review = CheckIn.Review.CONFIRMED if confirm else CheckIn.Review.REJECTED
    checkin.review_note = note[:255]
    checkin.reviewed_by, checkin.reviewed_at = actor, timezone.now()
    checkin.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    audit_write(
        actor=actor,
        action="attendance.checkin_review",
        instance=checkin,
        before=before,
        after=snapshot(checkin, ["review", "review_note"]),
    )
    _recompute_on_commit(checkin.employee_id, [checkin.local_date])
    return checkin


# --- daily attendance ----------------------------------------------------------------------------------


def _minutes(delta: timedelta) -> int:
    return max(0, math.floor(delta.total_seconds() / 60))


@dataclass
class _Day:
    first_in: datetime | None = None
    last_out: datetime | None = None
    flagged: bool = False
    modes: set = field(default_factory=set)


def daily_attendance_compute(*, day: date, unit: Unit | None = None, employees=None) -> int:
    """Compute (or recompute) the status of every active employee of ``unit`` (or of ``employees``) on
    ``day``: LIBUR, leave, TK, or HADIR/WFH-hadir with TL/PSW brackets and minutes. Returns rows written."""
    if employees is None:
        employees = Employee.objects.filter(unit=unit)
    employees = list(
        employees.filter(employment_start__lte=day)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=day))
        .select_related("unit")
    )
    if not employees:
        return 0
    brackets = rules.brackets_on(day)
    # A few queries per chunk whatever its size: a whole kabupaten is computed in one call.
    return sum(
        _compute_chunk(day, employees[i : i + COMPUTE_CHUNK], brackets)
        for i in range(0, len(employees), COMPUTE_CHUNK)
    )


COMPUTE_CHUNK = 2000


def _compute_chunk(day: date, employees: list[Employee], brackets) -> int:
    ids = [e.pk for e in employees]
    book = rules.ScheduleBook(employees, day, day)
    leaves = {
        lr.employee_id: lr
        for lr in LeaveRequest.objects.filter(
            employee_id__in=ids, status=ApprovalStatus.APPROVED, start__lte=day, end__gte=day
        ).select_related("leave_type")
    }
    roster_modes = dict(
        RosterEntry.objects.filter(employee_id__in=ids, date=day, roster__status=Roster.Status.PUBLISHED)
        .order_by("roster__created_at")
        .values_list("employee_id", "mode")
    )
    days: dict[int, _Day] = defaultdict(_Day)
    for row in (
        CheckIn.objects.filter(employee_id__in=ids, local_date=day)
        .exclude(status=CheckIn.Status.REFUSED)
        .exclude(review=CheckIn.Review.REJECTED)
        .values("employee_id", "kind", "recorded_at", "status", "review", "mode")
    ):
        d = days[row["employee_id"]]
        at = row["recorded_at"]
        if row["kind"] == CheckIn.Kind.IN:
            d.first_in = at if d.first_in is None or at < d.first_in else d.first_in
        else:
            d.last_out = at if d.last_out is None or at > d.last_out else d.last_out
        d.modes.add(row["mode"])
        if row["status"] == CheckIn.Status.FLAGGED and row["review"] != CheckIn.Review.CONFIRMED:
            d.flagged = True
    corrections = AttendanceCorrection.objects.filter(
        employee_id__in=ids, date=day, status=ApprovalStatus.APPROVED
    )
    correction_by = defaultdict(dict)
    for c in corrections:
        correction_by[c.employee_id][c.kind] = c.time

    rows = []
    for employee in employees:
        plan = book.plan(employee, day)
        d = days.get(employee.pk, _Day())
        row = DailyAttendance(employee=employee, date=day, flagged=d.flagged)
        row.mode = roster_modes.get(employee.pk, "") or (next(iter(d.modes)) if len(d.modes) == 1 else "")
        leave = leaves.get(employee.pk)
        if plan is None:
            row.status = DayStatus.LIBUR
            row.note = (calendar.day_off_name(day, employee.unit.region_id) or "")[:255]
            row.check_in_at, row.check_out_at = d.first_in, d.last_out
        elif leave is not None:
            row.status = leave.leave_type.day_status
            row.note = leave.leave_type.name
            row.mode = WorkMode.DL if leave.leave_type.code == "DL" else row.mode
        else:
            zone = plan.start.tzinfo
            fixes = correction_by.get(employee.pk, {})
            first_in, last_out = d.first_in, d.last_out
            if "in" in fixes:
                fixed = datetime.combine(day, fixes["in"], tzinfo=zone)
                first_in = fixed if first_in is None else min(first_in, fixed)
            if "out" in fixes:
                fixed = datetime.combine(plan.end.date(), fixes["out"], tzinfo=zone)
                last_out = fixed if last_out is None else max(last_out, fixed)
            row.check_in_at, row.check_out_at = first_in, last_out
            if first_in is None and last_out is None:
                row.status = DayStatus.TK
            else:
                if first_in is None:
                    row.late_code = rules.worst_code(brackets, "TL")
                else:
                    late = _minutes(first_in - plan.start)
                    row.minutes_late = 0 if late <= plan.grace_in else late
                    row.late_code = rules.bracket_code(brackets, "TL", row.minutes_late)
                if last_out is None:
                    row.early_code = rules.worst_code(brackets, "PSW")
                else:
                    early = _minutes(plan.end - last_out)
                    row.minutes_early = 0 if early <= plan.grace_out else early
                    row.early_code = rules.bracket_code(brackets, "PSW", row.minutes_early)
                present = DayStatus.WFH_HADIR if row.mode == WorkMode.WFH else DayStatus.HADIR
                row.status = row.late_code or row.early_code or present
        rows.append(row)
    DailyAttendance.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["employee", "date"],
        update_fields=[
            "status",
            "mode",
            "late_code",
            "early_code",
            "minutes_late",
            "minutes_early",
            "check_in_at",
            "check_out_at",
            "flagged",
            "note",
            "computed_at",
        ],
    )
    return len(rows)


def recompute_employee_days(*, employee_id: int, days: list[date]) -> None:
    """Recompute past days of one employee (after a correction, leave, review or late offline check-in)."""
    employee = Employee.objects.select_related("unit").filter(pk=employee_id).first()
    if employee is None:
        return
    today = calendar.local_today(employee.unit.region_id)
    for day in sorted(set(days)):
        if day < today or DailyAttendance.objects.filter(employee_id=employee_id, date=day).exists():
            daily_attendance_compute(day=day, employees=Employee.objects.filter(pk=employee_id))


def _recompute_on_commit(employee_id: int, days: list[date]) -> None:
    def run():
        from layan.attendance import tasks

        tasks.recompute_employee_days.delay(employee_id, [d.isoformat() for d in days])

    transaction.on_commit(run)


# --- leave and corrections -----------------------------------------------------------------------------


def leave_balance_for(employee: Employee, leave_type: LeaveType, year: int) -> LeaveBalance:
    """This year's balance, created on first use with the carry-over from last year (capped)."""
    balance = LeaveBalance.objects.filter(employee=employee, leave_type=leave_type, year=year).first()
    if balance is not None:
        return balance
    previous = LeaveBalance.objects.filter(employee=employee, leave_type=leave_type, year=year - 1).first()
    carried = min(max(previous.remaining, 0), leave_type.carry_over_max) if previous else 0
    balance, _created = LeaveBalance.objects.get_or_create(
        employee=employee,
        leave_type=leave_type,
        year=year,
        defaults={"entitlement": leave_type.yearly_quota or 0, "carried_over": carried},
    )
    return balance


@transaction.atomic
def leave_request_submit(
    *,
    actor,
    leave_type: LeaveType,
    start: date,
    end: date,
    reason: str,
    place_latitude: Decimal | None = None,
    place_longitude: Decimal | None = None,
    place_radius_m: int = 500,
) -> LeaveRequest:
    employee = own_employee(actor)
    if end < start:
        raise ValidationError({"end": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    if (end - start).days > 366:
        raise ValidationError({"end": _("Pengajuan paling lama satu tahun.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan wajib diisi.")})
    overlap = (
        LeaveRequest.objects.select_for_update()
        .filter(
            employee=employee,
            status__in=[ApprovalStatus.SUBMITTED, ApprovalStatus.APPROVED],
            start__lte=end,
            end__gte=start,
        )
        .first()
    )
    if overlap is not None:
        raise ValidationError(
            _("Bertumpang tindih dengan pengajuan %(type)s %(start)s–%(end)s.")
            % {
                "type": overlap.leave_type.name,
                "start": overlap.start.strftime("%d-%m-%Y"),
                "end": overlap.end.strftime("%d-%m-%Y"),
            }
        )
    working_days = len(calendar.working_days_in(start, end, employee.unit.region_id))
    if leave_type.yearly_quota:
        if start.year != end.year:
            raise ValidationError({"end": _("Cuti tahunan diajukan per tahun kalender.")})
        balance = leave_balance_for(employee, leave_type, start.year)
        pending = sum(
            r.working_days
            for r in LeaveRequest.objects.filter(
                employee=employee,
                leave_type=leave_type,
                status=ApprovalStatus.SUBMITTED,
                start__year=start.year,
            )
        )
        if working_days > balance.remaining - pending:
            raise ValidationError(
                _("Sisa %(type)s Anda %(left)s hari kerja; yang diajukan %(asked)s hari kerja.")
                % {
                    "type": leave_type.name.lower(),
                    "left": balance.remaining - pending,
                    "asked": working_days,
                }
            )
    request = LeaveRequest(
        employee=employee,
        leave_type=leave_type,
        start=start,
        end=end,
        reason=reason.strip(),
        working_days=working_days,
        place_latitude=place_latitude,
        place_longitude=place_longitude,
        place_radius_m=place_radius_m,
    )
    request.full_clean()
    request.save()
    audit_write(actor=actor, action="attendance.leave_submit", instance=request, after=snapshot(request))
    return request


@transaction.atomic
def leave_request_decide(*, actor, leave: LeaveRequest, approve: bool, note: str = "") -> LeaveRequest:
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("leave_type", "employee")
        .get(pk=leave.pk)
    )
    if leave.status != ApprovalStatus.SUBMITTED:
        raise ValidationError(_("Pengajuan ini sudah diputuskan."))
    if leave.employee.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("Anda tidak dapat memutuskan pengajuan Anda sendiri."))
    before = snapshot(leave)
    leave.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    leave.decided_by, leave.decided_at, leave.decision_note = actor, timezone.now(), note[:255]
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    if approve and leave.leave_type.yearly_quota:
        balance = leave_balance_for(leave.employee, leave.leave_type, leave.start.year)
        LeaveBalance.objects.filter(pk=balance.pk).update(used=balance.used + leave.working_days)
    audit_write(
        actor=actor, action="attendance.leave_decide", instance=leave, before=before, after=snapshot(leave)
    )
    if approve:
        days = [leave.start + timedelta(days=i) for i in range((leave.end - leave.start).days + 1)]
        _recompute_on_commit(leave.employee_id, days)
    return leave


@transaction.atomic
def correction_submit(
    *, actor, day: date, kind: str, at: time, reason: str, evidence=None
) -> AttendanceCorrection:
    employee = own_employee(actor)
    today = calendar.local_today(employee.unit.region_id)
    if day > today:
        raise ValidationError({"date": _("Koreksi hanya untuk hari yang sudah lewat atau hari ini.")})
    if (today - day).days > 31:
        raise ValidationError({"date": _("Koreksi paling lambat 31 hari setelah tanggalnya.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan wajib diisi.")})
    if AttendanceCorrection.objects.filter(
        employee=employee, date=day, kind=kind, status__in=[ApprovalStatus.SUBMITTED, ApprovalStatus.APPROVED]
    ).exists():
        raise ValidationError(_("Koreksi untuk tanggal dan jenis ini sudah diajukan."))
    if evidence is not None:
        validate_image_upload(evidence)
    correction = AttendanceCorrection(employee=employee, date=day, kind=kind, time=at, reason=reason.strip())
    if evidence is not None:
        correction.evidence = evidence
    correction.full_clean()
    correction.save()
    audit_write(
        actor=actor, action="attendance.correction_submit", instance=correction, after=snapshot(correction)
    )
    return correction


@transaction.atomic
def correction_decide(*, actor, correction: AttendanceCorrection, approve: bool) -> AttendanceCorrection:
    correction = (
        AttendanceCorrection.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(pk=correction.pk)
    )
    if correction.status != ApprovalStatus.SUBMITTED:
        raise ValidationError(_("Koreksi ini sudah diputuskan."))
    if correction.employee.user_id == getattr(actor, "pk", None):
        raise ValidationError(_("Anda tidak dapat memutuskan koreksi Anda sendiri."))
    before = snapshot(correction)
    correction.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    correction.decided_by, correction.decided_at = actor, timezone.now()
    correction.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_write(
        actor=actor,
        action="attendance.correction_decide",
        instance=correction,
        before=before,
        after=snapshot(correction),
    )
    if approve:
        _recompute_on_commit(correction.employee_id, [correction.date])
    return correction


# --- rosters -------------------------------------------------------------------------------------------


class RosterInfeasible(ValidationError):
    """The period cannot be rostered within the rules; ``problems`` says why, per day."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class RosterPlan:
    days: list[date]
    assignments: dict[tuple[int, date], str]
    explanation: list[dict]


def roster_plan(*, unit: Unit, start: date, end: date) -> RosterPlan:
    """Assign WFO / WFH / PIKET per working day: never above the cap, exempt staff on site, minimum
    coverage and piket met, WFH first for SE 58/2020 priority staff, WFO days shared fairly.
    Raises ``RosterInfeasible`` explaining each day that cannot be planned."""
    if end < start:
        raise ValidationError({"end": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    if (end - start).days > 62:
        raise ValidationError({"end": _("Periode jadwal paling lama 62 hari.")})
    staff = list(
        Employee.objects.filter(unit=unit, employment_start__lte=end)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=start))
        .select_related("unit")
        .order_by("pk")
    )
    if not staff:
        raise RosterInfeasible([_("Unit ini tidak memiliki pegawai aktif.")])
    policy = getattr(unit, "work_policy", None)
    min_onsite = policy.min_onsite if policy else 1
    piket = policy.piket_per_day if policy else 0
    priority = {
        p.employee_id: p.priority_score for p in WorkFromHomeProfile.objects.filter(employee__in=staff)
    }
    exemptions = list(
        WfoExemption.objects.filter(employee__in=staff, valid_from__lte=end).exclude(valid_to__lt=start)
    )
    book = rules.ScheduleBook(staff, start, end)
    wfo_days = {e.pk: 0 for e in staff}
    piket_days = {e.pk: 0 for e in staff}
    assignments: dict[tuple[int, date], str] = {}
    explanation, problems, days = [], [], []
    day = start
    while day <= end:
        working = [
            e
            for e in staff
            if book.plan(e, day) is not None
            and e.employment_start <= day
            and (e.employment_end is None or e.employment_end >= day)
        ]
        if not working:
            day += timedelta(days=1)
            continue
        days.append(day)
        cap = rules.wfo_cap(unit, day)
        cap_count = cap.count(len(staff))
        exempt = {
            x.employee_id
            for x in exemptions
            if x.valid_from <= day and (x.valid_to is None or x.valid_to >= day)
        }
        exempt_here = [e for e in working if e.pk in exempt]
        need = max(min(min_onsite, len(working)), min(piket, len(working)))
        label = day.strftime("%d-%m-%Y")
        day_problems = len(problems)
        if len(exempt_here) > cap_count:
            problems.append(
                _(
                    "%(day)s: %(n)s pegawai wajib WFO (dikecualikan) melebihi batas WFO %(cap)s orang "
                    "(%(basis)s)."
                )
                % {"day": label, "n": len(exempt_here), "cap": cap_count, "basis": cap.basis}
            )
        if need > cap_count:
            problems.append(
                _(
                    "%(day)s: kebutuhan minimal di kantor/piket %(need)s orang melebihi batas WFO "
                    "%(cap)s orang (%(basis)s)."
                )
                % {"day": label, "need": need, "cap": cap_count, "basis": cap.basis}
            )
        if len(problems) > day_problems:
            day += timedelta(days=1)
            continue
        others = [e for e in working if e.pk not in exempt]
        # Fewest WFO days first (fairness), SE 58/2020 priority staff last, then a rotating tie-break.
        others.sort(
            key=lambda e: (
                priority.get(e.pk, 0) > 0,
                wfo_days[e.pk],
                priority.get(e.pk, 0),
                (e.pk + day.toordinal()) % max(len(working), 1),
            )
        )
        slots = cap_count - len(exempt_here)
        onsite = list(exempt_here)
        for e in others:
            if slots <= 0:
                break
            # Priority staff only come in when the minimum coverage needs them.
            if priority.get(e.pk, 0) > 0 and len(onsite) >= need:
                break
            onsite.append(e)
            slots -= 1
        onsite_ids = {e.pk for e in onsite}
        piket_ids = {
            e.pk
            for e in sorted(
                onsite,
                key=lambda e: (piket_days[e.pk], e.pk in exempt, (e.pk + day.toordinal()) % len(working)),
            )[:piket]
        }
        for e in working:
            if e.pk in piket_ids:
                mode = WorkMode.PIKET
                piket_days[e.pk] += 1
            elif e.pk in onsite_ids:
                mode = WorkMode.WFO
            else:
                mode = WorkMode.WFH
            if e.pk in onsite_ids:
                wfo_days[e.pk] += 1
            assignments[(e.pk, day)] = mode
        explanation.append(
            {
                "date": day.isoformat(),
                "cap_percent": cap.percent,
                "cap_count": cap_count,
                "basis": cap.basis,
                "onsite": len(onsite),
                "staff": len(staff),
            }
        )
        day += timedelta(days=1)
    if problems:
        raise RosterInfeasible(problems)
    return RosterPlan(days=days, assignments=assignments, explanation=explanation)


@transaction.atomic
def roster_generate(*, actor, unit: Unit, start: date, end: date) -> Roster:
    plan = roster_plan(unit=unit, start=start, end=end)
    roster = Roster(
        unit=unit,
        start=start,
        end=end,
        explanation=plan.explanation,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    roster.full_clean()
    roster.save()
    RosterEntry.objects.bulk_create(
        [
            RosterEntry(roster=roster, employee_id=emp, date=day, mode=mode)
            for (emp, day), mode in plan.assignments.items()
        ]
    )
    audit_write(actor=actor, action="attendance.roster_generate", instance=roster, after=snapshot(roster))
    return roster


@transaction.atomic
def roster_entry_set(*, actor, roster: Roster, employee: Employee, day: date, mode: str) -> RosterEntry:
    """A manager's hand edit, under the same rules as the generator ("roster is full")."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if mode not in (WorkMode.WFO, WorkMode.WFH, WorkMode.PIKET):
        raise ValidationError({"mode": _("Pilih WFO, WFH atau piket.")})
    if not (roster.start <= day <= roster.end) or employee.unit_id != roster.unit_id:
        raise ValidationError(_("Tanggal atau pegawai di luar jadwal ini."))
    entry = RosterEntry.objects.filter(roster=roster, employee=employee, date=day).first()
    if entry is None:
        raise ValidationError(_("Hari itu bukan hari kerja pegawai ini."))
    onsite = (
        RosterEntry.objects.filter(roster=roster, date=day, mode__in=[WorkMode.WFO, WorkMode.PIKET])
        .exclude(pk=entry.pk)
        .count()
    )
    cap = rules.wfo_cap(roster.unit, day)
    staff = (
        Employee.objects.filter(unit=roster.unit, employment_start__lte=day)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=day))
        .count()
    )
    if mode in (WorkMode.WFO, WorkMode.PIKET) and onsite + 1 > cap.count(staff):
        raise ValidationError(
            _("Jadwal WFO %(day)s sudah penuh: batas %(cap)s orang (%(basis)s).")
            % {"day": day.strftime("%d-%m-%Y"), "cap": cap.count(staff), "basis": cap.basis}
        )
    if (
        mode == WorkMode.WFH
        and WfoExemption.objects.filter(employee=employee, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .exists()
    ):
        raise ValidationError(_("Pegawai ini dikecualikan dan wajib WFO."))
    before = snapshot(entry)
    entry.mode = mode
    entry.save(update_fields=["mode"])
    audit_write(
        actor=actor,
        action="attendance.roster_entry_set",
        instance=entry,
        before=before,
        after=snapshot(entry),
    )
    return entry


@transaction.atomic
def roster_publish(*, actor, roster: Roster) -> Roster:
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.status == Roster.Status.PUBLISHED:
        raise ValidationError(_("Jadwal ini sudah diterbitkan."))
    before = snapshot(roster)
    roster.status = Roster.Status.PUBLISHED
    roster.save(update_fields=["status", "updated_at"])
    audit_write(
        actor=actor,
        action="attendance.roster_publish",
        instance=roster,
        before=before,
        after=snapshot(roster),
    )
    return roster


def _is_exempt(employee: Employee, day: date) -> bool:
    return (
        WfoExemption.objects.filter(employee=employee, valid_from__lte=day).exclude(valid_to__lt=day).exists()
    )


@transaction.atomic
def roster_swap_request(*, actor, roster: Roster, partner: Employee, day: date, reason: str) -> RosterSwap:
    """The actor asks to exchange their mode of ``day`` with a colleague's (published rosters only)."""
    employee = own_employee(actor)
    if roster.status != Roster.Status.PUBLISHED:
        raise ValidationError(_("Tukar jadwal hanya untuk jadwal yang sudah diterbitkan."))
    if partner.pk == employee.pk:
        raise ValidationError({"partner": _("Pilih rekan lain, bukan diri sendiri.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan wajib diisi.")})
    if day < calendar.local_today(employee.unit.region_id):
        raise ValidationError({"date": _("Tanggal sudah lewat.")})
    mine = RosterEntry.objects.filter(roster=roster, employee=employee, date=day).first()
    theirs = RosterEntry.objects.filter(roster=roster, employee=partner, date=day).first()
    if mine is None or theirs is None:
        raise ValidationError(_("Anda dan rekan harus sama-sama terjadwal pada tanggal itu."))
    if mine.mode == theirs.mode:
        raise ValidationError(_("Mode kerja Anda dan rekan pada tanggal itu sama; tidak ada yang ditukar."))
    if RosterSwap.objects.filter(
        roster=roster, date=day, status=ApprovalStatus.SUBMITTED, employee__in=[employee, partner]
    ).exists():
        raise ValidationError(_("Sudah ada permintaan tukar jadwal yang menunggu untuk tanggal itu."))
    swap = RosterSwap(roster=roster, employee=employee, partner=partner, date=day, reason=reason.strip())
    swap.full_clean()
    swap.save()
    audit_write(actor=actor, action="attendance.roster_swap_request", instance=swap, after=snapshot(swap))
    return swap


@transaction.atomic
def roster_swap_decide(*, actor, swap: RosterSwap, approve: bool) -> RosterSwap:
    swap = (
        RosterSwap.objects.select_for_update(of=("self",))
        .select_related("employee", "partner")
        .get(pk=swap.pk)
    )
    if swap.status != ApprovalStatus.SUBMITTED:
        raise ValidationError(_("Permintaan ini sudah diputuskan."))
    if getattr(actor, "pk", None) in (swap.employee.user_id, swap.partner.user_id):
        raise ValidationError(_("Anda tidak dapat memutuskan permintaan Anda sendiri."))
    before = snapshot(swap)
    if approve:
        entries = {
            e.employee_id: e
            for e in RosterEntry.objects.select_for_update().filter(
                roster_id=swap.roster_id, date=swap.date, employee_id__in=[swap.employee_id, swap.partner_id]
            )
        }
        if len(entries) != 2:
            raise ValidationError(_("Jadwal salah satu pegawai pada tanggal itu sudah tidak ada."))
        mine, theirs = entries[swap.employee_id], entries[swap.partner_id]
        for entry, new_mode in ((mine, theirs.mode), (theirs, mine.mode)):
            if new_mode == WorkMode.WFH and _is_exempt(entry.employee, swap.date):
                raise ValidationError(
                    _("%(name)s dikecualikan dan wajib WFO.") % {"name": entry.employee.name}
                )
        for entry, new_mode in ((mine, theirs.mode), (theirs, mine.mode)):
            entry_before = snapshot(entry)
            entry.mode = new_mode
            entry.save(update_fields=["mode"])
            audit_write(
                actor=actor,
                action="attendance.roster_entry_set",
                instance=entry,
                before=entry_before,
                after=snapshot(entry),
            )
    swap.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    swap.decided_by, swap.decided_at = actor, timezone.now()
    swap.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_write(
        actor=actor,
        action="attendance.roster_swap_decide",
        instance=swap,
        before=before,
        after=snapshot(swap),
    )
    return swap


@transaction.atomic
def manual_attendance_record(
    *, actor, unit: Unit, day: date, statement: str, rows: list[tuple[Employee, time | None, time | None]]
) -> ManualAttendanceList:
    """Outage fallback: the head of unit's list of who came and left when, with a statement. One list per
    unit and day; each time becomes a check-in with source "manual" (idempotent client UUIDs)."""
    today = calendar.local_today(unit.region_id)
    if day > today:
        raise ValidationError({"date": _("Daftar hadir manual hanya untuk hari ini atau yang sudah lewat.")})
    if (today - day).days > 7:
        raise ValidationError({"date": _("Daftar hadir manual paling lambat 7 hari setelah tanggalnya.")})
    if len(statement.strip()) < 20:
        raise ValidationError(
            {
                "statement": _(
                    "Tuliskan pernyataan gangguan (minimal 20 karakter): apa yang terjadi dan kapan."
                )
            }
        )
    if ManualAttendanceList.objects.filter(unit=unit, date=day).exists():
        raise ValidationError(_("Daftar hadir manual unit ini untuk tanggal itu sudah ada."))
    for employee, time_in, time_out in rows:
        if employee.unit_id != unit.pk:
            raise ValidationError(_("Pegawai di luar unit ini."))
        if time_in and time_out and time_out <= time_in:
            raise ValidationError(
                _("%(name)s: jam pulang harus sesudah jam masuk.") % {"name": employee.name}
            )
    record = ManualAttendanceList(unit=unit, date=day, statement=statement.strip(), created_by=actor)
    record.full_clean()
    record.save()
    zone = calendar.zone_for_region(unit.region_id)
    office = unit.locations.filter(is_active=True).first()
    lat = office.latitude if office else Decimal("0")
    lon = office.longitude if office else Decimal("0")
    now = timezone.now()
    checkins = []
    for employee, time_in, time_out in rows:
        mode, _trip = mode_of_day(employee, day)
        for kind, at in ((CheckIn.Kind.IN, time_in), (CheckIn.Kind.OUT, time_out)):
            if at is None:
                continue
            moment = datetime.combine(day, at, tzinfo=zone)
            checkins.append(
                CheckIn(
                    employee=employee,
                    client_uuid=uuid.uuid5(
                        uuid.NAMESPACE_URL, f"layan:manual:{record.pk}:{employee.pk}:{kind}"
                    ),
                    kind=kind,
                    mode=mode,
                    device_time=moment,
                    received_at=now,
                    recorded_at=moment,
                    local_date=day,
                    latitude=lat,
                    longitude=lon,
                    accuracy_m=0,
                    fix_age_s=0,
                    device_id="manual",
                    place=_("Daftar hadir manual"),
                    status=CheckIn.Status.ACCEPTED,
                    source="manual",
                )
            )
    CheckIn.objects.bulk_create(checkins)
    audit_write(
        actor=actor,
        action="attendance.manual_list",
        instance=record,
        after={**snapshot(record), "entries": len(checkins)},
    )
    for employee, time_in, time_out in rows:
        if time_in or time_out:
            _recompute_on_commit(employee.pk, [day])
    return record


# --- stand-by while WFH --------------------------------------------------------------------------------


@dataclass
class _StandbyCandidates:
    wfh: int = 0  # WFH staff of the unit working today
    pinged: int = 0  # of them, already pinged today
    due_round: int = -1  # the latest round whose time has come (-1: none yet)
    eligible: list = field(default_factory=list)  # not pinged yet and inside their ping window now


def _wfh_today(unit_ids: list[int], day: date) -> list[Employee]:
    """Active employees of the units whose mode on ``day`` is WFH (the latest published roster wins, as in
    ``mode_of_day``), with an account to answer from, and not on an approved leave or official trip."""
    modes: dict[int, str] = {}
    for employee_id, mode in (
        RosterEntry.objects.filter(
            date=day, roster__status=Roster.Status.PUBLISHED, employee__unit_id__in=unit_ids
        )
        .order_by("roster__created_at", "pk")
        .values_list("employee_id", "mode")
    ):
        modes[employee_id] = mode
    wfh = [pk for pk, mode in modes.items() if mode == WorkMode.WFH]
    away = set(
        LeaveRequest.objects.filter(
            employee_id__in=wfh, status=ApprovalStatus.APPROVED, start__lte=day, end__gte=day
        ).values_list("employee_id", flat=True)
    )
    return list(
        Employee.objects.filter(pk__in=[pk for pk in wfh if pk not in away], user__isnull=False)
        .filter(employment_start__lte=day)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=day))
        .select_related("unit")
        .order_by("pk")
    )


def _standby_candidates(employees: list[Employee], day: date, now: datetime, policy) -> dict:
    """Per unit: WFH staff working today, how many were pinged, the round due now, who may be pinged."""
    already = set(
        StandbyPing.objects.filter(date=day, employee_id__in=[e.pk for e in employees]).values_list(
            "employee_id", flat=True
        )
    )
    book = rules.ScheduleBook(employees, day, day)
    quiet_start = timedelta(minutes=policy.quiet_after_start_minutes)
    # The answer window must end inside the working hours too.
    quiet_end = timedelta(minutes=policy.quiet_before_end_minutes + policy.answer_window_minutes)
    units: dict[int, _StandbyCandidates] = defaultdict(_StandbyCandidates)
    for employee in employees:
        plan = book.plan(employee, day)
        if plan is None:  # not a working day for them (holiday, weekend, day off of their shift)
            continue
        unit = units[employee.unit_id]
        unit.wfh += 1
        if employee.pk in already:
            unit.pinged += 1
            continue
        opens, closes = plan.start + quiet_start, plan.end - quiet_end
        if closes <= opens or not opens <= now <= closes:
            continue
        slot = (closes - opens) / policy.rounds_per_day
        unit.due_round = max(unit.due_round, min(int((now - opens) / slot), policy.rounds_per_day - 1))
        unit.eligible.append(employee)
    return units


def standby_pings_send(*, now: datetime | None = None) -> int:
    """Ping a random sample of the WFH staff ("Apakah Anda siap dihubungi?") — run every few minutes by
    beat. Only on the employee's working days, inside their working hours in the unit's time zone (after
    a quiet start, with the answer window ending before the quiet end), only among staff whose mode today
    is WFH, never the same person twice a day. Each round of the day (``StandbyPolicy.rounds_per_day``,
    spread over the hours) brings the unit's pinged count up to ``sample_percent`` of its WFH staff per
    round so far: a second run in the same round finds nothing to do (idempotent). Returns pings sent."""
    from layan.core.models import Notification

    now = now or timezone.now()
    by_day: dict[date, list[int]] = defaultdict(list)
    for unit_id, region_id in Unit.objects.filter(is_active=True).values_list("pk", "region_id"):
        by_day[now.astimezone(calendar.zone_for_region(region_id)).date()].append(unit_id)
    picker = random.SystemRandom()
    sent = 0
    for day, unit_ids in by_day.items():
        policy = rules.standby_policy_on(day)
        if not policy.enabled:
            continue
        employees = _wfh_today(unit_ids, day)
        if not employees:
            continue
        picked: list[Employee] = []
        for unit in _standby_candidates(employees, day, now, policy).values():
            if unit.due_round < 0 or not unit.eligible:
                continue
            per_round = math.ceil(unit.wfh * policy.sample_percent / 100)
            target = min(unit.wfh, per_round * (unit.due_round + 1))
            want = min(target - unit.pinged, len(unit.eligible))
            if want > 0:
                picked.extend(picker.sample(unit.eligible, want))
        if not picked:
            continue
        expires = now + timedelta(minutes=policy.answer_window_minutes)
        with transaction.atomic():
            # The unique (employee, date) constraint keeps a concurrent run from pinging anyone twice;
            # the pings of this run are the ones stamped with its ``now``.
            StandbyPing.objects.bulk_create(
                [StandbyPing(employee=e, date=day, sent_at=now, expires_at=expires) for e in picked],
                ignore_conflicts=True,
            )
            fresh = list(
                StandbyPing.objects.filter(date=day, sent_at=now, employee__in=picked).select_related(
                    "employee__unit"
                )
            )
            url = reverse("attendance:standby")
            Notification.objects.bulk_create(
                Notification(
                    user_id=ping.employee.user_id,
                    title=_("Apakah Anda siap dihubungi?"),
                    body=_(
                        "Panggilan siaga WFH: ketuk “Saya siap” sebelum %(time)s. Waktu menjawab "
                        "tercatat dan terlihat oleh atasan Anda."
                    )
                    % {
                        "time": timezone.localtime(
                            expires, calendar.zone_for_region(ping.employee.unit.region_id)
                        ).strftime("%H:%M")
                    },
                    url=url,
                )
                for ping in fresh
            )
            if fresh:
                audit_write(
                    actor=None,
                    action="attendance.standby_send",
                    object_type="attendance.standbyping",
                    after={"date": day.isoformat(), "pings": len(fresh), "expires_at": expires.isoformat()},
                )
        sent += len(fresh)
    return sent


def standby_pings_expire(*, now: datetime | None = None) -> int:
    """Mark the pings whose answer window has passed as missed (the supervisor sees them)."""
    now = now or timezone.now()
    with transaction.atomic():
        count = StandbyPing.objects.filter(status=StandbyPing.Status.SENT, expires_at__lte=now).update(
            status=StandbyPing.Status.MISSED
        )
        if count:
            audit_write(
                actor=None,
                action="attendance.standby_expire",
                object_type="attendance.standbyping",
                after={"missed": count, "at": now.isoformat()},
            )
    return count


@transaction.atomic
def standby_ping_answer(*, actor, ping: StandbyPing, via: str = StandbyPing.Channel.WEB) -> StandbyPing:
    """The employee's one tap "Saya siap": records the answer time and the response time. Only the pinged
    employee answers; a second tap changes nothing; an answer after the window is refused."""
    from layan.core.models import Notification

    ping = (
        StandbyPing.objects.select_for_update(of=("self",)).select_related("employee__unit").get(pk=ping.pk)
    )
    if ping.employee.user_id != getattr(actor, "pk", None):
        raise Http404
    if ping.status == StandbyPing.Status.ANSWERED:
        return ping
    now = timezone.now()
    if ping.status == StandbyPing.Status.MISSED or now >= ping.expires_at:
        raise ValidationError(
            _("Waktu menjawab panggilan ini sudah lewat (batas %(time)s).")
            % {
                "time": timezone.localtime(
                    ping.expires_at, calendar.zone_for_region(ping.employee.unit.region_id)
                ).strftime("%H:%M")
            }
        )
    before = snapshot(ping)
    ping.status = StandbyPing.Status.ANSWERED
    ping.answered_at = now
    ping.response_seconds = max(0, int((now - ping.sent_at).total_seconds()))
    ping.answered_via = via if via in StandbyPing.Channel.values else StandbyPing.Channel.WEB
    ping.full_clean()
    ping.save(update_fields=["status", "answered_at", "response_seconds", "answered_via"])
    Notification.objects.filter(
        user=actor, url=reverse("attendance:standby"), read_at__isnull=True, created_at__gte=ping.sent_at
    ).update(read_at=now)
    audit_write(
        actor=actor, action="attendance.standby_answer", instance=ping, before=before, after=snapshot(ping)
    )
    return ping
