"""Background work of the organisation module."""

from __future__ import annotations

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from layan.core.jobs import job_progress, job_running
from layan.core.uploads import read_table_bytes


@shared_task(name="layan.org.tasks.import_employees_task")
def import_employees_task(job_id: str) -> None:
    """Import the uploaded table saved at ``job.params["file"]``; the upload is deleted afterwards (it holds
    NIKs), and the rows with problems are kept as an xlsx report on the job."""
    from layan.org.imports import import_employees

    with job_running(job_id) as job:
        path = job.params["file"]
        try:
            with default_storage.open(path, "rb") as handle:
                data = handle.read()
            headers, rows = read_table_bytes(data)
            result = import_employees(
                actor=job.started_by,
                headers=headers,
                rows=rows,
                progress=lambda done, total: job_progress(job, done=done, total=total, every=25),
            )
        finally:
            if default_storage.exists(path):
                default_storage.delete(path)
        job.result = result.summary()
        job.done = job.total = len(rows)
        if result.problems:
            job.result_file.save(
                f"impor-pegawai-bermasalah-{job.pk}.xlsx", ContentFile(result.report_xlsx()), save=False
            )
