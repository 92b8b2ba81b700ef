"""SLA arithmetic for cases. Every day count goes through layan.core.calendar (holidays, cuti bersama,
regional days off, the region's time zone); nothing here counts days itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q

from layan.core.calendar import local_today, working_days_between, working_deadline, zone_for_region


@dataclass(frozen=True)
class SlaDays:
    verify: int = 3
    answer: int = 5
    auto_close: int = 10
    resolve: int = 60
    escalate_after: int = 2


def sla_for(*, kind: str, category_id: int | None, on: date) -> SlaDays:
    """The most specific rule in force on ``on``: (kind, category) > (kind, -) > (-, category) > (-, -)."""
    from layan.complaints.models import SlaRule

    rows = list(
        SlaRule.in_force(on)
        .filter(Q(kind=kind) | Q(kind=""))
        .filter(Q(category_id=category_id) | Q(category__isnull=True))
    )
    if not rows:
        return SlaDays()

    def specificity(rule) -> tuple[int, int]:
        return (int(rule.kind != "") + 2 * int(rule.category_id is not None), rule.valid_from.toordinal())

    rule = max(rows, key=specificity)
    return SlaDays(
        rule.verify_days, rule.answer_days, rule.auto_close_days, rule.resolve_days, rule.escalate_after_days
    )


def deadline(start: datetime, days: int, region_code: str) -> datetime:
    return working_deadline(start, days, region_code)


def extend(due: datetime | None, days: int, region_code: str) -> datetime | None:
    """A due time moved ``days`` working days later (after a pause)."""
    if due is None or days <= 0:
        return due
    return working_deadline(due, days, region_code)


def paused_days(paused_at: datetime, resumed_at: datetime, region_code: str) -> int:
    """Working days the clock stood still: the working days after the pause began, up to the resume."""
    zone = zone_for_region(region_code)
    return max(
        working_days_between(
            paused_at.astimezone(zone).date(), resumed_at.astimezone(zone).date(), region_code
        ),
        0,
    )


def working_days_left(due: datetime | None, region_code: str) -> int | None:
    """Working days from today to the due day (negative when overdue), for display."""
    if due is None:
        return None
    zone = zone_for_region(region_code)
    return working_days_between(local_today(region_code), due.astimezone(zone).date(), region_code)


def date_working_days_before(today: date, count: int, region_code: str | None = None) -> date:
    """The latest day D with ``count`` working days in (D, today] — the calendar's own count, stepped back."""
    region_code = region_code or settings.LAYAN_REGION_CODE
    day = today
    while working_days_between(day, today, region_code) < count:
        day -= timedelta(days=1)
    return day
