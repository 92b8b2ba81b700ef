"""Demo data of the attendance module, built on the demo kabupaten's units and employees (idempotent).

Kabupaten Banggai gets a risk zone (oranye: 50% WFO), Diskominfo gets a work policy, an exempt head, two
employees with SE 58/2020 WFH priority and a published roster for this week and the next; the last ten
working days get check-ins (a few flagged: fake GPS, a reused selfie; one refused outside the geofence),
their daily attendance, a pending leave request of the ``pegawai`` demo account, and stand-by pings of the
last working days (most answered within minutes, a few missed) plus one waiting for the ``pegawai``
account today."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from layan.attendance import services
from layan.attendance.models import (
    CheckIn,
    LeaveRequest,
    LeaveType,
    RegionRiskStatus,
    Roster,
    StandbyPing,
    UnitWorkPolicy,
    WfoExemption,
    WorkFromHomeProfile,
)
from layan.core import calendar
from layan.core.models import Notification
from layan.org.models import Employee, Unit

REGION = "72.01"
UNIT_CODE = "DISKOMINFO"
NAMESPACE = uuid.UUID("6f1d7a52-9a51-4c0e-8f0e-3f6c2a1b7d10")


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def load_demo(*, stdout=None) -> dict:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data is never loaded in production")
    unit = Unit.objects.filter(code=UNIT_CODE).first()
    if unit is None:
        _say(stdout, "attendance demo: unit DISKOMINFO not found; run the core demo first")
        return {}
    today = calendar.local_today(REGION)
    result = {}
    with transaction.atomic():
        if not RegionRiskStatus.objects.filter(region_id=REGION).exists():
            services.region_risk_set(
                actor=None,
                region_code=REGION,
                zone="oranye",
                valid_from=today - timedelta(days=60),
                legal_basis="Demo: status risiko contoh",
            )
        UnitWorkPolicy.objects.get_or_create(unit=unit, defaults={"min_onsite": 2, "piket_per_day": 1})
        staff = list(Employee.objects.filter(unit=unit, employment_end__isnull=True).order_by("pk"))
        head = next((e for e in staff if e.supervisor_id is None), staff[0] if staff else None)
        office = unit.locations.filter(is_active=True).first()
        if head is not None and not WfoExemption.objects.filter(employee=head).exists():
            WfoExemption.objects.create(
                employee=head, reason="Kepala unit", valid_from=today - timedelta(days=60)
            )
        rng = random.Random(72)
        # Everyone has a registered home (a WFH check-in is checked against it); the last two have the
        # comorbidity that gives them WFH priority.
        for position, employee in enumerate(staff):
            WorkFromHomeProfile.objects.get_or_create(
                employee=employee,
                defaults={
                    "comorbidity": position >= len(staff) - 2,
                    "home_latitude": office.latitude + Decimal(f"{rng.uniform(-0.01, 0.01):.6f}")
                    if office
                    else None,
                    "home_longitude": office.longitude + Decimal(f"{rng.uniform(-0.01, 0.01):.6f}")
                    if office
                    else None,
                },
            )
        monday = today - timedelta(days=today.weekday())
        if not Roster.objects.filter(unit=unit, start__lte=today, end__gte=today).exists():
            try:
                roster = services.roster_generate(
                    actor=None, unit=unit, start=monday, end=monday + timedelta(days=11)
                )
                services.roster_publish(actor=None, roster=roster)
                result["roster"] = roster.pk
            except services.RosterInfeasible as exc:
                _say(stdout, "attendance demo: roster infeasible: " + "; ".join(exc.problems))
        result["checkins"] = _checkins(staff, office, today) if office else 0
        days = [
            d for d in calendar.working_days_in(today - timedelta(days=16), today - timedelta(days=1), REGION)
        ][-10:]
        for day in days:
            services.daily_attendance_compute(day=day, unit=unit)
        result["days_computed"] = len(days)
        pegawai = Employee.objects.filter(user__username="pegawai").first()
        if pegawai is not None and not LeaveRequest.objects.filter(employee=pegawai).exists():
            start = calendar.add_working_days(today, 5, REGION)
            LeaveRequest.objects.create(
                employee=pegawai,
                leave_type=LeaveType.objects.get(code="CT"),
                start=start,
                end=start,
                working_days=1,
                reason="Menghadiri pernikahan saudara",
            )
        result["standby_pings"] = _standby_pings(staff, today)
    _say(stdout, f"attendance demo: {result}")
    return result


def _standby_pings(staff, today) -> int:
    """Pings of the last five working days (three people a day, mostly answered within minutes, one in
    five missed) and, on a working day, one waiting for the ``pegawai`` account. One ping per person and
    day (the unique constraint) keeps a second load from adding any."""
    zone = calendar.zone_for_region(REGION)
    rng = random.Random(58)
    rows = []
    days = calendar.working_days_in(today - timedelta(days=10), today - timedelta(days=1), REGION)[-5:]
    for day in days:
        for employee in rng.sample(staff, min(3, len(staff))):
            sent = datetime.combine(day, time(9, 0), tzinfo=zone) + timedelta(minutes=rng.randrange(0, 300))
            ping = StandbyPing(
                employee=employee, date=day, sent_at=sent, expires_at=sent + timedelta(minutes=30)
            )
            if rng.random() < 0.2:
                ping.status = StandbyPing.Status.MISSED
            else:
                ping.response_seconds = rng.randrange(20, 1500)
                ping.answered_at = sent + timedelta(seconds=ping.response_seconds)
                ping.answered_via = rng.choice(StandbyPing.Channel.values)
                ping.status = StandbyPing.Status.ANSWERED
            rows.append(ping)
    before = StandbyPing.objects.count()
    StandbyPing.objects.bulk_create(rows, ignore_conflicts=True)
    created = StandbyPing.objects.count() - before
    pegawai = Employee.objects.filter(user__username="pegawai").first()
    now = timezone.now()
    if (
        pegawai is not None
        and calendar.is_working_day(today, REGION)
        and time(8, 0) <= now.astimezone(zone).time() <= time(15, 30)  # a ping comes in working hours only
        and not StandbyPing.objects.filter(employee=pegawai, date=today).exists()
    ):
        StandbyPing.objects.create(
            employee=pegawai, date=today, sent_at=now, expires_at=now + timedelta(minutes=30)
        )
        Notification.objects.create(
            user=pegawai.user,
            title="Apakah Anda siap dihubungi?",
            body="Panggilan siaga WFH (demo): ketuk “Saya siap” dalam 30 menit.",
            url=reverse("attendance:standby"),
        )
        created += 1
    return created


def _checkins(staff, office, today) -> int:
    zone = calendar.zone_for_region(REGION)
    rng = random.Random(2020)
    rows = []
    days = calendar.working_days_in(today - timedelta(days=16), today - timedelta(days=1), REGION)[-10:]
    for day_index, day in enumerate(days):
        for index, employee in enumerate(staff):
            if rng.random() < 0.06 and index not in (1, 2, 3):
                continue  # absent (TK) unless covered; the three flagged examples below always check in
            arrive = datetime.combine(day, time(7, 0), tzinfo=zone) + timedelta(
                minutes=rng.choice([5, 10, 15, 20, 25, 28, 29, 33, 45, 70, 100])
            )
            leave = datetime.combine(day, time(16, 30 if day.weekday() == 4 else 0), tzinfo=zone) + timedelta(
                minutes=rng.choice([0, 3, 8, 15, -10, -40])
            )
            for kind, at in (("in", arrive), ("out", leave)):
                signals, status, review = [], CheckIn.Status.ACCEPTED, ""
                lat = office.latitude + Decimal(f"{rng.uniform(-0.0004, 0.0004):.6f}")
                if kind == "in" and index == 1 and day_index == len(days) - 1:
                    signals = [
                        {
                            "code": "mock_location",
                            "message": "Perangkat melaporkan lokasi palsu (mock location).",
                        }
                    ]
                    status, review = CheckIn.Status.FLAGGED, CheckIn.Review.PENDING
                if kind == "in" and index == 2 and day_index == len(days) - 2:
                    signals = [
                        {"code": "selfie_reused", "message": "Swafoto sama/mirip dengan presensi sebelumnya."}
                    ]
                    status, review = CheckIn.Status.FLAGGED, CheckIn.Review.PENDING
                if kind == "in" and index == 3 and day_index == len(days) - 1:
                    lat = office.latitude - Decimal("0.02")
                    signals = [
                        {
                            "code": "outside_geofence",
                            "message": f"Presensi WFO ditolak: Anda berada 2.224 m dari "
                            f"{office.name}, sedangkan radius yang "
                            f"diizinkan {office.radius_m} m.",
                        }
                    ]
                    status = CheckIn.Status.REFUSED
                distance = 2224 if status == CheckIn.Status.REFUSED else rng.randrange(5, 60)
                rows.append(
                    CheckIn(
                        employee=employee,
                        client_uuid=uuid.uuid5(NAMESPACE, f"{employee.pk}:{day}:{kind}"),
                        kind=kind,
                        mode="WFO",
                        device_time=at,
                        received_at=at + timedelta(seconds=2),
                        recorded_at=at,
                        local_date=day,
                        latitude=lat,
                        longitude=office.longitude,
                        accuracy_m=rng.randrange(5, 40),
                        fix_age_s=rng.randrange(1, 20),
                        device_id=f"demo-{employee.pk}",
                        place=office.name,
                        distance_m=distance,
                        allowed_radius_m=office.radius_m,
                        signals=signals,
                        status=status,
                        review=review,
                    )
                )
    CheckIn.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)
