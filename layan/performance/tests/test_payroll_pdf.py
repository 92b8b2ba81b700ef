"""The signed-off payroll sheet (PDF) of a reviewed or locked TPP run."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from layan.conftest import assign, client_for, make_employee, make_user, verified_client_for
from layan.core.models import Job
from layan.performance import services
from layan.performance.tests.conftest import MONTH, YEAR


@pytest.fixture
def run(bkpsdm, units, full_month):
    return services.tpp_run_compute(actor=bkpsdm, unit=units["kec_toili"], year=YEAR, month=MONTH)


def pdf_of(client, run, on_commit) -> str:
    """Starts the PDF job from the run's page (the task runs on commit, eagerly), downloads its result."""
    with on_commit(execute=True):
        response = client.post(reverse("performance:run_action", args=[run.pk, "pdf"]))
    assert response.status_code == 302 and "/tugas/" in response["Location"]
    job = Job.objects.get(kind="performance.payroll_pdf", params__run=run.pk)
    assert job.status == Job.Status.DONE, job.message
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="tpp-kec-toili-2021-03')
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_draft_run_has_no_signed_pdf(run, bkpsdm_client):
    url = reverse("performance:run_detail", args=[run.pk])
    assert "payroll-pdf" not in bkpsdm_client.get(url).content.decode()
    response = bkpsdm_client.post(reverse("performance:run_action", args=[run.pk, "pdf"]), follow=True)
    assert "sudah diperiksa" in response.content.decode()
    assert not Job.objects.filter(kind="performance.payroll_pdf").exists()


def test_locked_run_pdf_lists_the_lines_and_who_signed(
    run, bkpsdm, bkpsdm_client, units, position, django_capture_on_commit_callbacks
):
    reviewer = make_user("pemeriksa.tpp")
    assign(reviewer, "admin_bkpsdm", region="72.01")
    make_employee(
        units["setda"],
        "Dewi Kartika",
        "198203032006042001",
        position=position,
        user=reviewer,
        nik="7201014303820007",
    )
    services.tpp_run_review(actor=reviewer, run=run)
    services.tpp_run_lock(actor=bkpsdm, run=run)
    assert (
        "payroll-pdf" in bkpsdm_client.get(reverse("performance:run_detail", args=[run.pk])).content.decode()
    )
    text = pdf_of(bkpsdm_client, run, django_capture_on_commit_callbacks)
    assert "Daftar pembayaran TPP" in text and "Kecamatan Toili" in text and "03/2021" in text
    assert "Budi Santoso" in text and "199201102019031002" in text
    assert "Siti Rahma" in text
    assert f"{int(run.total_amount):,}".replace(",", ".") in text  # the total, Indonesian digits
    assert "Diperiksa oleh" in text and "Dewi Kartika" in text and "198203032006042001" in text
    assert "Disahkan oleh" in text and "Admin.Bkpsdm" in text
    assert "Belum dikunci" not in text


def test_reviewed_run_pdf_is_marked_not_yet_locked(
    run, bkpsdm, bkpsdm_client, django_capture_on_commit_callbacks
):
    services.tpp_run_review(actor=bkpsdm, run=run)
    text = pdf_of(bkpsdm_client, run, django_capture_on_commit_callbacks)
    assert "Belum dikunci" in text and "Diperiksa oleh" in text and "Disahkan oleh" not in text


def test_the_pdf_is_out_of_scope_for_others(
    run, bkpsdm, people, sibling, outsider, django_capture_on_commit_callbacks
):
    services.tpp_run_review(actor=bkpsdm, run=run)
    url = reverse("performance:run_action", args=[run.pk, "pdf"])
    for user in (people["head"].user, people["staff"].user, sibling, outsider):
        assert client_for(user).post(url).status_code == 404
    other = make_user("admin.lain")
    assign(other, "admin_bkpsdm", unit=run.unit.parent.children.exclude(pk=run.unit_id).first())
    other_client = verified_client_for(other)
    assert other_client.post(url).status_code == 404
    assert not Job.objects.filter(kind="performance.payroll_pdf").exists()
    # Someone else's finished job cannot be downloaded either.
    pdf_of(verified_client_for(bkpsdm), run, django_capture_on_commit_callbacks)
    job = Job.objects.get(kind="performance.payroll_pdf")
    for client in (client_for(people["head"].user), client_for(outsider), other_client):
        assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404
