"""Background work of the performance module: the daily-report reminders (scheduled in layan/celery.py)
and the signed-off payroll PDF of a TPP run (a job)."""

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


@shared_task(name="layan.performance.tasks.payroll_pdf_task")
def payroll_pdf_task(job_id: str) -> None:
    """Renders the payroll sheet of ``job.params["run"]`` as the job's result file. The run is read with
    the scope of whoever started the job (a run they can no longer see fails the job)."""
    from django.core.files.base import ContentFile

    from layan.core.jobs import job_progress, job_running
    from layan.core.pdf import render_pdf
    from layan.performance import selectors

    with job_running(job_id) as job:
        run = selectors.run_get(actor=job.started_by, pk=job.params["run"])
        context = selectors.payroll_pdf_context(run)
        job_progress(job, done=0, total=len(context["rows"]))
        data = render_pdf("performance/pdf/payroll.html", context)
        job.done = job.total
        job.result = {"lines": len(context["rows"]), "bytes": len(data)}
        job.result_file.save(
            f"tpp-{run.unit.code.lower()}-{run.year}-{run.month:02d}-{run.pk}.pdf",
            ContentFile(data),
            save=False,
        )
