"""Celery application. Embedded default: filesystem broker under var/ (no server); Redis in production."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")

app = Celery("layan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work of every module is declared here, in one place (crontab hours in LAYAN_TIME_ZONE).
app.conf.beat_schedule = {
    "complaints-sla-sweep": {"task": "layan.complaints.tasks.sla_sweep", "schedule": crontab(minute=15)},
    "complaints-poll-imap": {"task": "layan.complaints.tasks.poll_imap", "schedule": crontab(minute="*/5")},
    "complaints-poll-twitter": {
        "task": "layan.complaints.tasks.poll_twitter",
        "schedule": crontab(minute="*/5"),
    },
    "attendance-close-day": {  # hourly: each time zone's day is closed at 23:00 local
        "task": "layan.attendance.tasks.close_attendance_day",
        "schedule": crontab(minute=5),
    },
    "attendance-missed-selfies": {  # selfie analyses that were never queued or got lost
        "task": "layan.attendance.tasks.analyse_missed_selfies",
        "schedule": crontab(minute="*/15"),
    },
    "attendance-standby-pings": {  # WFH stand-by pings; each unit's own hours and time zone decide
        "task": "layan.attendance.tasks.standby_pings",
        "schedule": crontab(minute="*/10"),
    },
    "performance-remind-daily-reports": {  # hourly: each zone's staff past the reminder hour, once a day
        "task": "layan.performance.tasks.remind_daily_reports",
        "schedule": crontab(minute=10),
    },
    "performance-remind-pending-reviews": {  # supervisors with reports waiting > N working days
        "task": "layan.performance.tasks.remind_pending_reviews",
        "schedule": crontab(hour=8, minute=20),
    },
    "aid-find-duplicates-nightly": {
        "task": "layan.aid.tasks.find_duplicates_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    "core-purge-finished-jobs": {
        "task": "layan.core.tasks.purge_finished_jobs",
        "schedule": crontab(minute=7),
    },
}
