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


@shared_task(name="layan.attendance.tasks.analyse_missed_selfies")
def analyse_missed_selfies() -> int:
    """Every 15 minutes: queue again the analysis of check-ins whose task never ran (broker down when the
    check-in was committed, a lost message). The analysis itself is idempotent."""
    from layan.attendance.services import checkins_awaiting_analysis

    missed = checkins_awaiting_analysis()
    for checkin_id in missed:
        analyse_checkin_selfie.delay(checkin_id)
    return len(missed)


@shared_task(name="layan.attendance.tasks.recompute_employee_days")
def recompute_employee_days(employee_id: int, days: list[str]) -> None:
    from layan.attendance.services import recompute_employee_days as recompute

    recompute(employee_id=employee_id, days=[date.fromisoformat(d) for d in days])


@shared_task(name="layan.attendance.tasks.close_attendance_day")
def close_attendance_day() -> int:
    """Run hourly: a unit whose local clock is in the 23:00 hour gets its day computed; one in the 00:00
    hour gets yesterday recomputed (a missed run). Idempotent; the unit's own zone (WIB/WITA/WIT) decides."""
    from layan.attendance.services import daily_attendance_compute
    from layan.org.models import Employee, Unit

    by_zone: dict[str, list[int]] = {}
    sample_region: dict[str, str] = {}
    for unit_id, region_id in Unit.objects.filter(is_active=True).values_list("pk", "region_id"):
        label = calendar.zone_label(calendar.zone_for_region(region_id))
        by_zone.setdefault(label, []).append(unit_id)
        sample_region.setdefault(label, region_id)
    written = 0
    for label, unit_ids in by_zone.items():
        now = calendar.local_now(sample_region[label])
        day = now.date() if now.hour == 23 else now.date() - timedelta(days=1) if now.hour == 0 else None
        if day is not None:
            written += daily_attendance_compute(
                day=day, employees=Employee.objects.filter(unit_id__in=unit_ids)
            )
    return written


@shared_task(name="layan.attendance.tasks.standby_pings")
def standby_pings() -> dict:
    """Every 10 minutes: mark pings past their answer window as missed, then send the round due (only on
    working days, inside each unit's WFH hours in its own time zone; idempotent)."""
    from layan.attendance.services import standby_pings_expire, standby_pings_send

    return {"missed": standby_pings_expire(), "sent": standby_pings_send()}
