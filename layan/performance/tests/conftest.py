"""Fixtures of the performance tests: a past month with computed attendance, reports, a supervisor."""

from __future__ import annotations

from datetime import date

import pytest

from layan.attendance.models import DailyAttendance
from layan.core import calendar

YEAR, MONTH = 2021, 3


@pytest.fixture
def month_days():
    return calendar.working_days_in(date(YEAR, MONTH, 1), date(YEAR, MONTH, 31), "72.01.01")


def attend(employee, day, status="HADIR", late_code="", early_code=""):
    return DailyAttendance.objects.update_or_create(
        employee=employee,
        date=day,
        defaults={"status": status, "late_code": late_code, "early_code": early_code},
    )[0]


@pytest.fixture
def full_month(people, month_days):
    """Everyone present every working day of March 2021."""
    for employee in people.values():
        for day in month_days:
            attend(employee, day)
    return month_days
