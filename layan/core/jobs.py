"""Long work as a background job with progress the user can watch (core.Job + a Celery task).

    job = job_start(actor=user, kind="org.import_employees", title=message(N_("Impor pegawai")),
                    params={...}, task=import_employees_task)
    # in the task:
    with job_running(job_id) as job:
        for i, row in enumerate(rows):
            ...
            job_progress(job, done=i + 1, total=len(rows))
        job.result = {...}

The task is sent on commit, so a job is never started for a write that rolled back. The page at
``/tugas/<id>/`` shows a progress bar (htmx polling) and the result when it is done.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from layan.core.models import Job
from layan.core.stored_text import shown

logger = logging.getLogger(__name__)


def job_start(*, actor, kind: str, title: dict, task, params: dict | None = None) -> Job:
    """Create the job row and enqueue ``task(job_id)`` once the surrounding transaction commits.
    ``title`` is a stored message (``core.stored_text``): each reader sees it in their own language."""
    with translation.override(settings.LANGUAGE_CODE):
        default_title = shown(title)[:200]
    job = Job.objects.create(
        kind=kind,
        title=default_title,
        title_message=title,
        started_by=actor if getattr(actor, "pk", None) else None,
        params=params or {},
    )
    transaction.on_commit(lambda: task.delay(str(job.pk)))
    return job


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "", every: int = 1) -> None:
    """Save progress (every ``every`` steps, and always at the end) without touching other columns."""
    job.done = done
    if total is not None:
        job.total = total
    if message:
        job.message = message[:255]
    if every <= 1 or done % every == 0 or (job.total and done >= job.total):
        Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total, message=job.message)


@contextlib.contextmanager
def job_running(job_id: str) -> Iterator[Job]:
    """Mark the job running; on exit mark it done (saving ``result``) or failed with the error."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    job.status = Job.Status.RUNNING
    try:
        yield job
    except Exception as exc:
        logger.exception("job failed", extra={"job": str(job.pk), "kind": job.kind})
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=str(exc)[:255] or exc.__class__.__name__,
        )
        raise
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "result", "result_file", "done", "total", "message"])
