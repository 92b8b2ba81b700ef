"""Daily attendance: every TL/PSW bracket edge, TK, holidays and cuti bersama, leave and corrections."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from layan.attendance import services
from layan.attendance.models import (
    ApprovalStatus,
    AttendanceCorrection,
    CheckIn,
    DailyAttendance,
    LeaveRequest,
    LeaveType,
    WorkSchedule,
    WorkScheduleDay,
)
from layan.core.calendar import WITA
from layan.core.models import DayOff

MONDAY = date(2024, 3, 4)  # 07:30–16:00 under the default Perbup hours


def stamp(employee, kind, at: datetime, **extra):
    return CheckIn.objects.create(
        employee=employee,
        client_uuid=uuid.uuid4(),
        kind=kind,
        mode="WFO",
        device_time=at,
        received_at=at,
        recorded_at=at,
        local_date=at.astimezone(WITA).date(),
        latitude=Decimal("-1.4"),
        longitude=Decimal("122.4"),
        accuracy_m=10,
        fix_age_s=3,
        device_id="d1",
        status=extra.pop("status", CheckIn.Status.ACCEPTED),
        **extra,
    )


def at(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), tzinfo=WITA)


def compute(employee, day=MONDAY) -> DailyAttendance:
    services.daily_attendance_compute(day=day, unit=employee.unit)
    return DailyAttendance.objects.get(employee=employee, date=day)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hh", "mm", "ss", "minutes", "code"),
    [
        (7, 30, 0, 0, ""),
        (7, 30, 59, 0, ""),
        (7, 31, 0, 1, "TL1"),
        (8, 0, 0, 30, "TL1"),
        (8, 1, 0, 31, "TL2"),
        (8, 30, 0, 60, "TL2"),
        (8, 31, 0, 61, "TL3"),
        (9, 0, 0, 90, "TL3"),
        (9, 1, 0, 91, "TL4"),
        (11, 0, 0, 210, "TL4"),
    ],
)
def test_late_brackets_at_every_edge(people, hh, mm, ss, minutes, code):
    staff = people["staff"]
    stamp(staff, "in", at(MONDAY, hh, mm, ss))
    stamp(staff, "out", at(MONDAY, 16, 0))
    row = compute(staff)
    assert row.minutes_late == minutes
    assert row.late_code == code
    assert row.status == (code or "HADIR")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hh", "mm", "minutes", "code"),
    [
        (16, 0, 0, ""),
        (15, 59, 1, "PSW1"),
        (15, 30, 30, "PSW1"),
        (15, 29, 31, "PSW2"),
        (15, 0, 60, "PSW2"),
        (14, 59, 61, "PSW3"),
        (14, 30, 90, "PSW3"),
        (14, 29, 91, "PSW4"),
    ],
)
def test_early_leave_brackets_at_every_edge(people, hh, mm, minutes, code):
    staff = people["staff"]
    stamp(staff, "in", at(MONDAY, 7, 15))
    stamp(staff, "out", at(MONDAY, hh, mm))
    row = compute(staff)
    assert row.minutes_early == minutes
    assert row.early_code == code
    assert row.status == (code or "HADIR")


@pytest.mark.django_db
def test_friday_ends_at_half_past_four(people):
    friday = date(2024, 3, 8)
    stamp(people["staff"], "in", at(friday, 7, 20))
    stamp(people["staff"], "out", at(friday, 16, 15))
    row = compute(people["staff"], friday)
    assert (row.early_code, row.minutes_early) == ("PSW1", 15)


@pytest.mark.django_db
def test_no_checkin_record_is_tl4_and_no_checkout_is_psw4(people):
    stamp(people["staff"], "out", at(MONDAY, 16, 5))
    stamp(people["head"], "in", at(MONDAY, 7, 10))
    assert compute(people["staff"]).late_code == "TL4"
    head = DailyAttendance.objects.get(employee=people["head"], date=MONDAY)
    assert head.early_code == "PSW4" and head.status == "PSW4"


@pytest.mark.django_db
def test_a_working_day_without_any_valid_record_is_tk(people):
    stamp(people["staff"], "in", at(MONDAY, 7, 10), status=CheckIn.Status.REFUSED)
    assert compute(people["staff"]).status == "TK"


@pytest.mark.django_db
def test_a_checkin_rejected_by_the_supervisor_does_not_count(people):
    stamp(people["staff"], "in", at(MONDAY, 7, 10), status=CheckIn.Status.FLAGGED, review="rejected")
    stamp(people["staff"], "out", at(MONDAY, 16, 10))
    assert compute(people["staff"]).late_code == "TL4"


@pytest.mark.django_db
def test_weekend_national_holiday_and_cuti_bersama_are_libur(people):
    assert compute(people["staff"], date(2024, 3, 9)).status == "LIBUR"  # Saturday
    idul_fitri = date(2024, 4, 10)
    row = compute(people["staff"], idul_fitri)
    assert row.status == "LIBUR" and row.note
    # A cuti bersama decided by the admin later (DayOff), on an ordinary Tuesday.
    DayOff.objects.create(date=date(2024, 3, 12), name="Cuti bersama uji", kind=DayOff.Kind.CUTI_BERSAMA)
    from layan.core import calendar

    calendar.invalidate()
    row = compute(people["staff"], date(2024, 3, 12))
    assert row.status == "LIBUR" and row.note == "Cuti bersama uji"


@pytest.mark.django_db
def test_a_shift_unit_works_on_holidays_and_its_night_shift_crosses_midnight(people):
    schedule = WorkSchedule.objects.create(
        unit=people["staff"].unit, name="Sif malam", kind="shift", follows_holidays=False, is_default=True
    )
    for weekday in range(7):
        WorkScheduleDay.objects.create(schedule=schedule, weekday=weekday, start=time(20, 0), end=time(8, 0))
    idul_fitri = date(2024, 4, 10)
    stamp(people["staff"], "in", at(idul_fitri, 20, 5))
    out = stamp(people["staff"], "out", at(idul_fitri + timedelta(days=1), 8, 0))
    out.local_date = idul_fitri  # the service attributes a post-midnight check-out to the night before
    out.save()
    row = compute(people["staff"], idul_fitri)
    assert (row.status, row.minutes_late, row.minutes_early) == ("TL1", 5, 0)


@pytest.mark.django_db
def test_approved_leave_and_corrections_change_the_day(people, django_capture_on_commit_callbacks, clock):
    clock.set(at(date(2024, 3, 20), 9, 0))
    staff, head = people["staff"], people["head"]
    assert compute(staff).status == "TK"
    leave = services.leave_request_submit(
        actor=staff.user,
        leave_type=LeaveType.objects.get(code="CT"),
        start=MONDAY,
        end=MONDAY,
        reason="Urusan keluarga",
    )
    assert leave.working_days == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.leave_request_decide(actor=head.user, leave=leave, approve=True)
    assert DailyAttendance.objects.get(employee=staff, date=MONDAY).status == "CUTI"
    assert staff.leave_balances.get(year=2024).remaining == 11

    tuesday = MONDAY + timedelta(days=1)
    stamp(staff, "out", at(tuesday, 16, 2))
    assert compute(staff, tuesday).late_code == "TL4"
    correction = services.correction_submit(
        actor=staff.user, day=tuesday, kind="in", at=time(7, 25), reason="Ponsel mati, hadir apel pagi"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.correction_decide(actor=head.user, correction=correction, approve=True)
    row = DailyAttendance.objects.get(employee=staff, date=tuesday)
    assert (row.status, row.late_code) == ("HADIR", "")
    assert AttendanceCorrection.objects.get().status == ApprovalStatus.APPROVED


@pytest.mark.django_db
def test_overlapping_leave_is_refused_with_a_clear_message(people, clock):
    clock.set(at(date(2024, 3, 1), 9, 0))
    kind = LeaveType.objects.get(code="IZIN")
    services.leave_request_submit(
        actor=people["staff"].user,
        leave_type=kind,
        start=MONDAY,
        end=MONDAY + timedelta(days=2),
        reason="Keluarga sakit",
    )
    with pytest.raises(Exception, match="Bertumpang tindih"):
        services.leave_request_submit(
            actor=people["staff"].user,
            leave_type=kind,
            start=MONDAY + timedelta(days=1),
            end=MONDAY + timedelta(days=3),
            reason="Lagi",
        )
    assert LeaveRequest.objects.count() == 1


@pytest.mark.django_db
def test_annual_leave_beyond_the_balance_is_refused(people, clock):
    clock.set(at(date(2024, 1, 2), 9, 0))
    with pytest.raises(Exception, match="Sisa cuti tahunan Anda 12 hari kerja"):
        services.leave_request_submit(
            actor=people["staff"].user,
            leave_type=LeaveType.objects.get(code="CT"),
            start=date(2024, 2, 1),
            end=date(2024, 2, 29),
            reason="Panjang",
        )


@pytest.mark.django_db
def test_the_end_of_day_job_computes_each_unit_in_its_own_time_zone(people, clock):
    from layan.attendance.tasks import close_attendance_day

    clock.set(at(MONDAY, 22, 30))
    assert close_attendance_day() == 0  # 22:30 WITA: the day is not over
    clock.set(at(MONDAY, 23, 5))
    assert close_attendance_day() == 3
    assert set(DailyAttendance.objects.values_list("status", flat=True)) == {"TK"}
