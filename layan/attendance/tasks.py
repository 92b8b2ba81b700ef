"""Background work of the attendance module: selfie analysis after each check-in, the end-of-day
computation per unit time zone, and recomputation after a correction, leave or review."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task

from layan.core import calendar


@shared_task(name="layan.attendance.tasks.analyse_checkin_selfie", acks_late=True)
def analyse_checkin_selfie(checkin_id: int) -> None:
    from layan.attendance.services import checkin_analyse_selfie

    checkin_analyse_selfie(checkin_id=checkin_id)


@shared_task(name="layan.attendance.tasks.recompute_employee_days")
def recompute_employee_days(employee_id: int, days: list[str]) -> None:
    from layan.attendance.services import recompute_employee_days as recompute

    recompute(employee_id=employee_id, days=[date.fromisoformat(d) for d in days])


@shared_task(name="layan.attendance.tasks.close_attendance_day")
def close_attendance_day() -> int:
    """Run hourly: a unit whose local clock is in the 23:00 hour gets its day computed; one in the 00:00
    hour gets yesterday recomputed (a missed run). Idempotent; the unit's own zone (WIB/WITA/WIT) decides."""
    from layan.attendance.services import daily_attendance_compute
    from layan.org.models import Unit

    written = 0
    for unit in Unit.objects.filter(is_active=True).only("pk", "region_id", "path"):
        now = calendar.local_now(unit.region_id)
        if now.hour == 23:
            written += daily_attendance_compute(day=now.date(), unit=unit)
        elif now.hour == 0:
            written += daily_attendance_compute(day=now.date() - timedelta(days=1), unit=unit)
    return written
