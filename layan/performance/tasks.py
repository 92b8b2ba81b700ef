"""Background work of the performance module (scheduled in layan/celery.py): the daily-report reminders."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="layan.performance.tasks.remind_daily_reports")
def remind_daily_reports() -> int:
    """Hourly: staff past the reminder hour of their zone without today's report (once a day each)."""
    from layan.performance.services import daily_report_reminders_send

    return daily_report_reminders_send()


@shared_task(name="layan.performance.tasks.remind_pending_reviews")
def remind_pending_reviews() -> int:
    """Daily: supervisors with team reports waiting more than N working days (once a day each)."""
    from layan.performance.services import review_reminders_send

    return review_reminders_send()
