"""Background jobs as the user sees them: the page with a progress bar polled by htmx, the result and its
file, the list of my jobs, the API — and nobody else's jobs (404). Old finished jobs are purged."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from layan.conftest import client_for
from layan.core.models import Job
from layan.core.tasks import purge_finished_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def running_job(camat):
    return Job.objects.create(
        kind="uji.impor",
        title="Impor data uji",
        started_by=camat,
        status=Job.Status.RUNNING,
        done=30,
        total=120,
        message="Baris 30",
    )


def test_running_job_page_shows_progress_and_polls(camat, running_job):
    response = client_for(camat).get(f"/tugas/{running_job.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Impor data uji" in html
    assert '<progress class="job-progress" id="job-progress-bar" max="100" value="25">' in html
    assert f'hx-get="/tugas/{running_job.pk}/progres/"' in html and 'hx-trigger="every 1s"' in html
    assert "30 dari 120" in html
    assert "style=" not in html


def test_progress_partial_stops_polling_when_done(camat, running_job, media):
    client = client_for(camat)
    partial = client.get(f"/tugas/{running_job.pk}/progres/").content.decode()
    assert partial.startswith('<div id="job-progress"') and "hx-trigger" in partial
    running_job.status = Job.Status.DONE
    running_job.done = 120
    running_job.finished_at = timezone.now()
    running_job.result = {"imported": 118, "rejected": 2, "import_id": 7}
    running_job.result_file.save("hasil.xlsx", ContentFile(b"isi"), save=True)
    partial = client.get(f"/tugas/{running_job.pk}/progres/").content.decode()
    assert "hx-trigger" not in partial
    assert 'value="100"' in partial and "Selesai." in partial
    # The figures under their names, not the JSON keys; ids stay out of the page.
    assert "Diimpor" in partial and "118" in partial and "Ditolak" in partial
    assert "imported" not in partial and "import_id" not in partial
    download = client.get(f"/tugas/{running_job.pk}/unduh/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"isi"
    assert "attachment" in download["Content-Disposition"]


def test_failed_job_says_so(camat, running_job):
    Job.objects.filter(pk=running_job.pk).update(status=Job.Status.FAILED, message="Kolom NIP tidak ada")
    html = client_for(camat).get(f"/tugas/{running_job.pk}/").content.decode()
    assert "Tugas gagal" in html and "Kolom NIP tidak ada" in html and "hx-trigger" not in html


@pytest.mark.parametrize("persona", ["sibling", "outsider", "bkpsdm"])
def test_someone_elses_job_is_404_everywhere(request, persona, running_job):
    user = request.getfixturevalue(persona)
    from layan.conftest import verified_client_for

    client = verified_client_for(user) if persona == "bkpsdm" else client_for(user)
    for url in (
        f"/tugas/{running_job.pk}/",
        f"/tugas/{running_job.pk}/progres/",
        f"/tugas/{running_job.pk}/unduh/",
        f"/api/v1/jobs/{running_job.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert "Impor data uji" not in client.get("/tugas/").content.decode()


def test_unknown_job_and_missing_file_are_404(camat, running_job):
    client = client_for(camat)
    assert client.get(f"/tugas/{uuid.uuid4()}/").status_code == 404
    assert client.get("/tugas/bukan-uuid/").status_code == 404
    assert client.get(f"/tugas/{running_job.pk}/unduh/").status_code == 404


def test_my_jobs_list(camat, running_job, sibling):
    Job.objects.create(kind="uji", title="Tugas camat lain", started_by=sibling)
    html = client_for(camat).get("/tugas/").content.decode()
    assert "Impor data uji" in html and "25%" in html
    assert "Tugas camat lain" not in html


def test_job_api_returns_progress(camat, running_job):
    response = client_for(camat).get(f"/api/v1/jobs/{running_job.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(running_job.pk)
    assert (body["status"], body["done"], body["total"], body["percent"]) == ("running", 30, 120, 25)
    assert body["is_finished"] is False and body["result_file_url"] is None


def test_job_api_needs_login(client, running_job):
    response = client.get(f"/api/v1/jobs/{running_job.pk}/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_purge_removes_only_old_finished_jobs_and_their_files(camat, media):
    now = timezone.now()
    old = Job.objects.create(
        kind="uji",
        title="lama",
        started_by=camat,
        status=Job.Status.DONE,
        finished_at=now - timedelta(days=31),
    )
    old.result_file.save("lama.xlsx", ContentFile(b"x"), save=True)
    old_path = old.result_file.path
    old_failed = Job.objects.create(
        kind="uji", title="gagal lama", status=Job.Status.FAILED, finished_at=now - timedelta(days=45)
    )
    recent = Job.objects.create(
        kind="uji", title="baru", status=Job.Status.DONE, finished_at=now - timedelta(days=2)
    )
    still_running = Job.objects.create(kind="uji", title="jalan", status=Job.Status.RUNNING)
    Job.objects.filter(pk=still_running.pk).update(created_at=now - timedelta(days=90))

    assert purge_finished_jobs.delay().get() == 2
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, still_running.pk}
    assert not Job.objects.filter(pk__in=[old.pk, old_failed.pk]).exists()
    import os

    assert not os.path.exists(old_path)


def test_purge_is_in_the_beat_schedule():
    from layan.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "layan.core.tasks.purge_finished_jobs" in tasks
    assert purge_finished_jobs.name in tasks
