"""Import from xlsx/CSV: bad rows reported with reasons, good rows saved, a re-import is idempotent,
supervisors later in the file are resolved, a non-table upload is refused with a message."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from layan.core.exports import xlsx_bytes
from layan.core.models import Job
from layan.org.imports import COLUMNS
from layan.org.models import Employee, EmployeeMove, Position

HEADER = ",".join(COLUMNS)
ROWS = [
    # staff first, their supervisor later in the file
    "198503152010011004,Rudi Hartono,PNS,7201011503850007,L,Luwuk,15-03-1985,KEC-TOILI,Pengelola Data,7,"
    "197001012000031001,2010-01-01,081234567890,rudi@example.go.id",
    "197001012000031001,Hasan Basri,pns,,L,Toili,1970-01-01,KEC-TOILI,Camat,12,,01/03/2000,,",
    "198503152010011099,Tanggal Salah,PNS,,L,,31-02-1985,KEC-TOILI,,,,,,",
    "12345,NIP Pendek,PNS,,L,,,KEC-TOILI,,,,,,",
    "198503152010011004,Ganda di Berkas,PNS,,L,,,KEC-TOILI,,,,,,",
    "198805122010011007,Unit Asing,PNS,,L,,,KEC-ENTAH,,,,,,",
    ",Honorer Satu,NON_ASN,7201015506950003,P,Toili,15-06-1995,KEC-TOILI,,,,2018-01-02,,",
    "199001012015031002,Koordinat Salah,PPPK,,L,,,KEC-TOILI,Analis,20,,2015-03-01,,bukan-surel",
]


def csv_upload(rows=ROWS, name="pegawai.csv"):
    return SimpleUploadedFile(name, ("\n".join([HEADER, *rows]) + "\n").encode(), content_type="text/csv")


def run_import(client, django_capture_on_commit_callbacks, upload):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:employee_import"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_import_saves_good_rows_and_reports_bad_ones(
    bkpsdm_client, units, position, settings, django_capture_on_commit_callbacks
):
    job = run_import(bkpsdm_client, django_capture_on_commit_callbacks, csv_upload())
    assert job.status == Job.Status.DONE, job.message
    result = job.result
    assert (result["created"], result["rejected"]) == (3, 5)
    rudi = Employee.objects.get(nip="198503152010011004")
    assert rudi.supervisor.name == "Hasan Basri"  # resolved although the supervisor came later
    assert rudi.phone == "+6281234567890" and rudi.position == position
    assert Employee.objects.get(name="Honorer Satu").nip is None
    reasons = {p["row"]: " ".join(p["reasons"]) for p in result["problems"]}
    assert "tanggal_lahir" in reasons[4] and "31-02-1985" in reasons[4]
    assert "NIP harus 18 angka" in reasons[5]
    assert "sudah muncul di baris 2" in reasons[6]
    assert "KEC-ENTAH" in reasons[7]
    assert "kelas_jabatan" in reasons[9] and "email" in reasons[9]
    assert not Position.objects.filter(name="Analis").exists()  # nothing half-written from a rejected row
    status_page = bkpsdm_client.get(reverse("org:employee_import_status", args=[job.pk])).content.decode()
    assert "Unduh baris bermasalah" in status_page
    report = bkpsdm_client.get(reverse("org:employee_import_report", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("baris", "status", "alasan") and len(rows) == 6
    assert not list((settings.MEDIA_ROOT / "imports" / "org").glob("*"))  # the upload (with NIKs) is gone


def test_reimporting_the_same_file_creates_no_duplicates(
    bkpsdm_client, units, position, django_capture_on_commit_callbacks
):
    run_import(bkpsdm_client, django_capture_on_commit_callbacks, csv_upload())
    count = Employee.objects.count()
    again = run_import(bkpsdm_client, django_capture_on_commit_callbacks, csv_upload())
    assert Employee.objects.count() == count
    assert (again.result["created"], again.result["updated"], again.result["unchanged"]) == (0, 0, 3)


def test_a_changed_row_updates_and_a_new_unit_is_a_move(
    bkpsdm_client, units, position, django_capture_on_commit_callbacks
):
    run_import(bkpsdm_client, django_capture_on_commit_callbacks, csv_upload())
    changed = [ROWS[1].replace("KEC-TOILI", "KEC-BATUI").replace(",Toili,", ",Batui,")]
    job = run_import(bkpsdm_client, django_capture_on_commit_callbacks, csv_upload(changed))
    assert job.result["updated"] == 1
    hasan = Employee.objects.get(nip="197001012000031001")
    assert hasan.unit == units["kec_batui"] and hasan.birth_place == "Batui"
    move = EmployeeMove.objects.get(employee=hasan)
    assert move.from_unit == units["kec_toili"] and move.effective_date <= date.today()


def test_xlsx_import_works_too(bkpsdm_client, units, position, django_capture_on_commit_callbacks):
    data = xlsx_bytes(COLUMNS, [row.split(",") for row in ROWS[:2]])
    upload = SimpleUploadedFile("pegawai.xlsx", data)
    job = run_import(bkpsdm_client, django_capture_on_commit_callbacks, upload)
    assert job.result["created"] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "bukan CSV atau Excel"),
        (b"PK\x03\x04garbage-not-a-zip", "rusak"),
        (b"nama,alamat\nSiti,Toili\n", "Kolom wajib tidak ada"),
        (b"", "kosong"),
    ],
)
def test_a_non_table_upload_is_refused_with_a_message(bkpsdm_client, units, content, message):
    response = bkpsdm_client.post(
        reverse("org:employee_import"), {"file": SimpleUploadedFile("pegawai.xlsx", content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_template_download_and_import_pages_need_manage_permission(bkpsdm_client, camat_client, units):
    template = bkpsdm_client.get(reverse("org:employee_import_template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert camat_client.get(reverse("org:employee_import_template")).status_code == 404
    assert camat_client.get(reverse("org:employee_import")).status_code == 404


def test_import_jobs_are_their_starters_own(
    bkpsdm_client, units, position, regions, django_capture_on_commit_callbacks
):
    from layan.conftest import assign, make_user, verified_client_for

    job = run_import(bkpsdm_client, django_capture_on_commit_callbacks, csv_upload(ROWS[:1]))
    colleague = make_user("admin.lain")
    assign(colleague, "admin_bkpsdm", region="72.01")
    other = verified_client_for(colleague)
    assert other.get(reverse("org:employee_import_status", args=[job.pk])).status_code == 404


def test_management_command_prints_counts(tmp_path, units, position, capsys):
    path = tmp_path / "pegawai.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n")
    call_command("import_employees", str(path))
    out = capsys.readouterr().out
    assert "Dibuat: 3" in out and "ditolak: 5" in out
    call_command("import_employees", str(path))
    assert "Dibuat: 0, diperbarui: 0, tidak berubah: 3" in capsys.readouterr().out
