"""Reminder jobs: staff without a daily report by the set hour, supervisors with reports waiting too long."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from layan.attendance.models import ApprovalStatus, LeaveRequest, LeaveType
from layan.core.calendar import WITA
from layan.core.models import AuditEvent, Notification
from layan.performance import services, tasks
from layan.performance.models import DailyReport

TUESDAY_4PM = datetime(2021, 3, 2, 16, 0, tzinfo=WITA)  # Toili (72.01.01) is in WITA


@pytest.fixture(autouse=True)
def _reminder_settings(settings):
    settings.LAYAN_PERFORMANCE_REPORT_REMINDER_HOUR = 15
    settings.LAYAN_PERFORMANCE_REVIEW_REMINDER_DAYS = 3


def notified(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user))


def test_staff_without_a_report_by_the_hour_are_reminded_once_a_day(people):
    DailyReport.objects.create(employee=people["head"], date=date(2021, 3, 2), activity="Rapat koordinasi")
    assert services.daily_report_reminders_send(now=TUESDAY_4PM) == 1
    [note] = notified(people["staff"].user)
    assert "belum mengisi laporan kinerja harian 02-03-2021" in note.title
    assert note.url.startswith("/kinerja/laporan/baru/")
    assert notified(people["head"].user) == []  # reported already
    # The hourly job runs again: nobody is reminded twice.
    assert services.daily_report_reminders_send(now=TUESDAY_4PM.replace(hour=17)) == 0
    assert len(notified(people["staff"].user)) == 1
    assert AuditEvent.objects.filter(action="performance.daily_report_reminders").count() == 1
    # The next working day is a new day.
    assert services.daily_report_reminders_send(now=TUESDAY_4PM.replace(day=3)) == 2


def test_no_reminder_before_the_hour_on_a_day_off_or_on_leave(people, settings):
    assert services.daily_report_reminders_send(now=TUESDAY_4PM.replace(hour=14, minute=59)) == 0
    assert services.daily_report_reminders_send(now=datetime(2021, 8, 17, 16, 0, tzinfo=WITA)) == 0
    assert services.daily_report_reminders_send(now=datetime(2021, 3, 6, 16, 0, tzinfo=WITA)) == 0  # Saturday
    LeaveRequest.objects.create(
        employee=people["staff"],
        leave_type=LeaveType.objects.get(code="CT"),
        start=date(2021, 3, 1),
        end=date(2021, 3, 5),
        reason="Cuti tahunan",
        status=ApprovalStatus.APPROVED,
    )
    assert services.daily_report_reminders_send(now=TUESDAY_4PM) == 1
    assert notified(people["staff"].user) == [] and len(notified(people["head"].user)) == 1
    settings.LAYAN_PERFORMANCE_REPORT_REMINDER_HOUR = 17
    assert services.daily_report_reminders_send(now=TUESDAY_4PM.replace(day=3)) == 0


def _waiting(employee, submitted_at, **extra):
    return DailyReport.objects.create(
        employee=employee, date=submitted_at.date(), activity="x", submitted_at=submitted_at, **extra
    )


def test_supervisors_are_reminded_of_reports_waiting_more_than_n_working_days(people):
    _waiting(people["staff"], datetime(2021, 3, 1, 9, 0, tzinfo=WITA))  # 5 working days by 8 March
    _waiting(people["staff"], datetime(2021, 3, 2, 9, 0, tzinfo=WITA))  # 4
    _waiting(people["staff"], datetime(2021, 3, 4, 9, 0, tzinfo=WITA))  # 2: not yet
    _waiting(people["staff"], datetime(2021, 3, 1, 10, 0, tzinfo=WITA), status="approved")
    monday = datetime(2021, 3, 8, 8, 20, tzinfo=WITA)
    assert services.review_reminders_send(now=monday) == 1
    [note] = notified(people["head"].user)
    assert note.title.startswith("2 laporan harian tim") and "3 hari kerja" in note.title
    assert note.url.startswith("/kinerja/tim/")
    assert notified(people["staff"].user) == []  # no team
    assert services.review_reminders_send(now=monday.replace(hour=15)) == 0  # once a day


def test_holidays_do_not_count_as_waiting_days(people):
    # 11 March 2021 was Isra Mikraj: by Monday 15th a report of Tuesday 9th waited 3 working days (10, 12,
    # 15), not 4; by Tuesday 16th, 4.
    _waiting(people["staff"], datetime(2021, 3, 9, 9, 0, tzinfo=WITA))
    assert services.review_reminders_send(now=datetime(2021, 3, 15, 9, 0, tzinfo=WITA)) == 0
    assert services.review_reminders_send(now=datetime(2021, 3, 16, 9, 0, tzinfo=WITA)) == 1


def test_the_celery_tasks_call_the_services(people):
    assert tasks.remind_daily_reports.apply().get() >= 0
    assert tasks.remind_pending_reviews.apply().get() == 0
