"""Background work of the aid module: resident imports and duplicate finding, as jobs with progress."""

from __future__ import annotations

from celery import shared_task

from layan.core.jobs import job_running


@shared_task(name="layan.aid.tasks.run_resident_import")
def run_resident_import(job_id: str) -> None:
    from layan.aid.models import ResidentImport
    from layan.aid.services import resident_import_run

    with job_running(job_id) as job:
        record = ResidentImport.objects.get(pk=job.params["import_id"])
        counts = resident_import_run(resident_import=record, job=job)
        job.result = {
            "read": counts.read,
            "imported": counts.imported,
            "attached": counts.attached,
            "unchanged": counts.unchanged,
            "rejected": counts.rejected,
            "flagged": counts.flagged,
            "import_id": record.pk,
        }
        # The figures are in ``result``, shown under labels translated for the reader; a summary sentence
        # written here would stay in the worker's language.
        job.message = ""


@shared_task(name="layan.aid.tasks.run_find_duplicates")
def run_find_duplicates(job_id: str) -> None:
    from layan.aid.linkage import find_duplicates

    with job_running(job_id) as job:
        result = find_duplicates(actor=job.started_by)
        job.result = result.as_dict()
        job.message = ""  # the figures are in ``result`` (see run_resident_import)


@shared_task(name="layan.aid.tasks.find_duplicates_nightly")
def find_duplicates_nightly() -> dict:
    """The nightly full run (beat): new pairs flagged or queued; people's decisions kept."""
    from layan.aid.linkage import find_duplicates

    return find_duplicates().as_dict()
