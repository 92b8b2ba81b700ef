"""/audit/ (search the trail, by NIK through its keyed hash, export) and /audit/nik/ (everything processed
about one NIK, UU 27/2022 art. 31–32, itself recorded)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from layan.conftest import client_for
from layan.core.audit import audit_write, personal_data_read, snapshot
from layan.core.models import AuditEvent, PersonalDataRead
from layan.core.personal_data import keyed_hash

pytestmark = pytest.mark.django_db

STAFF_NIK = "7201011001920004"


@pytest.fixture
def trail(people, bkpsdm, camat):
    staff, batui = people["staff"], people["batui"]
    before = snapshot(staff)
    staff.phone = "081234567890"
    staff.save()
    audit_write(
        actor=bkpsdm, action="org.employee_update", instance=staff, before=before, after=snapshot(staff)
    )
    audit_write(actor=bkpsdm, action="org.employee_update", instance=batui, before={}, after=snapshot(batui))
    old = audit_write(actor=camat, action="org.unit_update", object_type="org.unit", object_id="9")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    personal_data_read(actor=bkpsdm, instance=staff, fields=["nik"], purpose="Verifikasi data pegawai")
    return {"staff": staff, "batui": batui}


@pytest.mark.parametrize("persona", ["camat", "sibling", "outsider"])
def test_audit_pages_are_404_without_the_permission(request, persona, trail):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/?export=xlsx").status_code == 404
    assert client.post("/audit/", {"nik-nik": STAFF_NIK}).status_code == 404
    assert client.get("/audit/nik/").status_code == 404
    assert client.post("/audit/nik/", {"nik": STAFF_NIK, "format": "json"}).status_code == 404


def test_bkpsdm_may_search_the_trail_but_not_export_a_nik(bkpsdm_client, trail):
    assert bkpsdm_client.get("/audit/").status_code == 200
    assert bkpsdm_client.get("/audit/nik/").status_code == 404


def test_audit_list_shows_masked_changes_and_filters(admin_client, trail):
    html = admin_client.get("/audit/").content.decode()
    assert "org.employee_update" in html and "org.unit_update" in html
    assert "081234567890" in html  # a plain field
    assert STAFF_NIK not in html  # sensitive values never appear in clear

    by_action = admin_client.get("/audit/?aksi=unit_update").content.decode()
    assert "org.unit_update" in by_action and "org.employee_update" not in by_action
    by_actor = admin_client.get("/audit/?pelaku=camat").content.decode()
    assert "org.unit_update" in by_actor and "org.employee_update" not in by_actor
    by_object = admin_client.get(f"/audit/?jenis=org.employee&objek={trail['batui'].pk}").content.decode()
    assert "Andi Lamato" in by_object and "Budi Santoso" not in by_object
    today = timezone.localdate().isoformat()
    recent = admin_client.get(f"/audit/?dari={today}&sampai={today}").content.decode()
    assert "org.employee_update" in recent and "org.unit_update" not in recent


def test_bad_date_range_is_a_400(admin_client, trail):
    response = admin_client.get("/audit/?dari=2026-02-10&sampai=2026-02-01")
    assert response.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()


def test_search_by_nik_keeps_the_nik_out_of_the_url(admin_client, trail):
    response = admin_client.post("/audit/", {"nik-nik": "7201 0110 0192 0004"})
    assert response.status_code == 302
    assert STAFF_NIK not in response["Location"]
    assert f"subjek={keyed_hash(STAFF_NIK)}" in response["Location"]
    html = admin_client.get(response["Location"]).content.decode()
    assert "Budi Santoso" in html and "Andi Lamato" not in html and "org.unit_update" not in html


def test_search_by_invalid_nik_explains_why(admin_client, trail):
    response = admin_client.post("/audit/", {"nik-nik": "1234"})
    assert response.status_code == 400
    assert "NIK harus 16 angka." in response.content.decode()


def test_audit_export_xlsx_holds_the_filtered_rows(admin_client, trail):
    response = admin_client.get("/audit/?aksi=employee_update&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="jejak-audit-')
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Waktu", "Pelaku", "Aksi")
    assert len(rows) == 3
    assert {r[2] for r in rows[1:]} == {"org.employee_update"}


def test_audit_list_paginates(admin_client, admin_sistem, regions):
    for i in range(55):
        audit_write(actor=admin_sistem, action=f"uji.aksi_{i:02d}", object_type="uji", object_id=str(i))
    first = admin_client.get("/audit/").content.decode()
    assert "Halaman 1 dari 2" in first
    second = admin_client.get("/audit/?page=2").content.decode()
    assert "uji.aksi_00" in second and "uji.aksi_54" not in second


def test_processing_export_json_holds_everything_about_the_nik(admin_client, admin_sistem, trail):
    response = admin_client.post("/audit/nik/", {"nik": STAFF_NIK, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="pemrosesan-nik-')
    data = json.loads(response.content)
    assert data["nik"] == "7201********0004"
    assert [r["object_type"] for r in data["stored_records"]] == ["org.employee"]
    assert [e["action"] for e in data["audit_events"]] == ["org.employee_update"]
    assert data["audit_events"][0]["changes"]["phone"] == ["", "081234567890"]
    assert [r["purpose"] for r in data["personal_data_reads"]] == ["Verifikasi data pegawai"]
    assert STAFF_NIK not in response.content.decode()
    # The export is itself a processing of the NIK, recorded for the next request.
    record = PersonalDataRead.objects.get(object_type="core.processing_export")
    assert record.actor == admin_sistem and record.subject_hash == keyed_hash(STAFF_NIK)
    again = json.loads(admin_client.post("/audit/nik/", {"nik": STAFF_NIK, "format": "json"}).content)
    assert len(again["personal_data_reads"]) == 2


def test_processing_export_xlsx(admin_client, trail):
    response = admin_client.post("/audit/nik/", {"nik": STAFF_NIK, "format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Sumber"
    assert [r[0] for r in rows[1:]] == ["Data tersimpan", "Jejak audit", "Akses data pribadi"]


def test_processing_export_of_an_unknown_nik_is_empty_but_recorded(admin_client, trail):
    data = json.loads(admin_client.post("/audit/nik/", {"nik": "7201024101950001", "format": "json"}).content)
    assert data["stored_records"] == [] and data["audit_events"] == [] and data["personal_data_reads"] == []
    assert PersonalDataRead.objects.filter(subject_hash=keyed_hash("7201024101950001")).count() == 1


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("12345", "NIK harus 16 angka."),
        ("7201013201920004", "bukan tanggal yang ada"),
        ("7201011001920000", "tidak boleh 0000"),
    ],
)
def test_processing_export_validates_the_nik(admin_client, regions, nik, message):
    response = admin_client.post("/audit/nik/", {"nik": nik, "format": "xlsx"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PersonalDataRead.objects.exists()
