"""Periodic housekeeping of the core app (scheduled in layan/celery.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from layan.core.models import Job

logger = logging.getLogger(__name__)

FINISHED_JOB_RETENTION = timedelta(days=30)


@shared_task(name="layan.core.tasks.purge_finished_jobs")
def purge_finished_jobs() -> int:
    """Delete jobs finished more than 30 days ago, with their result files (exports hold personal data)."""
    cutoff = timezone.now() - FINISHED_JOB_RETENTION
    old = Job.objects.filter(status__in=[Job.Status.DONE, Job.Status.FAILED], finished_at__lt=cutoff)
    count = 0
    for job in old.iterator(chunk_size=200):
        if job.result_file:
            job.result_file.delete(save=False)
        job.delete()
        count += 1
    logger.info("purged finished jobs", extra={"count": count})
    return count
