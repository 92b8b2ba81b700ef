"""/kalender/: the year view, adding/changing/deleting days off (validated, audited), counting working days.
Only roles with core.manage_calendar see it; everyone else gets 404."""

from __future__ import annotations

from datetime import date

import pytest

from layan.conftest import client_for
from layan.core.calendar import is_working_day
from layan.core.models import AuditEvent, DayOff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["camat", "sibling", "outsider"])
def test_calendar_is_404_without_the_permission(request, persona, regions):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/kalender/").status_code == 404
    assert (
        client.post("/kalender/", {"date": "2026-03-02", "name": "x", "kind": "cuti_bersama"}).status_code
        == 404
    )
    row = DayOff.objects.create(date=date(2026, 3, 2), name="Libur", kind=DayOff.Kind.CUTI_BERSAMA)
    assert client.get(f"/kalender/libur/{row.pk}/ubah/").status_code == 404
    assert client.post(f"/kalender/libur/{row.pk}/hapus/").status_code == 404
    assert DayOff.objects.filter(pk=row.pk).exists()


def test_year_view_lists_national_holidays_and_admin_days(bkpsdm_client, regions):
    DayOff.objects.create(
        date=date(2025, 5, 14), name="HUT Toili", kind=DayOff.Kind.REGIONAL, region_prefix="72.01.01"
    )
    response = bkpsdm_client.get("/kalender/?tahun=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kalender kerja 2025" in html
    assert "Hari Raya Idul Fitri" in html and "Cuti Bersama Hari Raya Idul Fitri" in html
    assert "HUT Toili" in html and "Libur daerah" in html
    # Filtered to the sibling kecamatan, Toili's regional day off does not apply.
    other = bkpsdm_client.get("/kalender/?tahun=2025&wilayah=72.01.02").content.decode()
    assert "HUT Toili" not in other
    assert "Hari Raya Idul Fitri" in other


def test_bad_filter_is_a_400_with_a_message(bkpsdm_client, regions):
    response = bkpsdm_client.get("/kalender/?tahun=1800&wilayah=99.99")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kode wilayah 99.99 tidak ada dalam daftar wilayah." in html


def test_adding_a_cuti_bersama_changes_the_calendar_and_is_audited(bkpsdm_client, bkpsdm, regions):
    day = date(2026, 3, 2)
    assert is_working_day(day)
    response = bkpsdm_client.post(
        "/kalender/?tahun=2026",
        {
            "date": "2026-03-02",
            "name": "Cuti bersama tambahan",
            "kind": "cuti_bersama",
            "legal_basis": "SKB 3 Menteri",
        },
    )
    assert response.status_code == 302
    assert "tahun=2026" in response["Location"]
    assert not is_working_day(day)
    event = AuditEvent.objects.get(action="core.day_off_create")
    assert event.actor == bkpsdm and event.changes["name"] == [None, "Cuti bersama tambahan"]
    assert "Cuti bersama tambahan" in bkpsdm_client.get(response["Location"]).content.decode()


def test_duplicate_day_is_refused_with_a_message(bkpsdm_client, regions):
    DayOff.objects.create(date=date(2026, 3, 2), name="Ada", kind=DayOff.Kind.CUTI_BERSAMA)
    response = bkpsdm_client.post(
        "/kalender/", {"date": "2026-03-02", "name": "Lagi", "kind": "cuti_bersama"}
    )
    assert response.status_code == 400
    assert "Sudah ada hari libur/kerja pada 02-03-2026 untuk wilayah ini." in response.content.decode()
    assert DayOff.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2026-02-30", "name": "x", "kind": "cuti_bersama"}, "Masukkan tanggal yang valid."),
        ({"date": "2026-03-02", "name": "x", "kind": "pesta"}, "Masukkan pilihan yang valid."),
        (
            {"date": "2026-03-02", "name": "x", "kind": "regional", "region_prefix": "72.09"},
            "Kode wilayah 72.09 tidak ada dalam daftar wilayah.",
        ),
        (
            {"date": "2026-03-02", "name": "x", "kind": "regional", "region_prefix": "7201"},
            "Kode wilayah 7201 tidak sah",
        ),
        ({"date": "2026-03-02", "name": "x", "kind": "regional"}, "Libur daerah memerlukan kode wilayah."),
        ({"date": "2026-03-02", "name": "", "kind": "cuti_bersama"}, "Bidang ini harus diisi."),
    ],
)
def test_invalid_day_off_is_refused(bkpsdm_client, regions, data, message):
    response = bkpsdm_client.post("/kalender/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DayOff.objects.exists()


def test_edit_and_delete_a_day_off(bkpsdm_client, regions):
    row = DayOff.objects.create(date=date(2026, 3, 2), name="Libur", kind=DayOff.Kind.CUTI_BERSAMA)
    assert bkpsdm_client.get(f"/kalender/libur/{row.pk}/ubah/").status_code == 200
    response = bkpsdm_client.post(
        f"/kalender/libur/{row.pk}/ubah/",
        {
            "date": "2026-03-07",
            "name": "Sabtu masuk kerja",
            "kind": "workday",
            "region_prefix": "72.01",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.date, row.is_off, row.region_prefix) == (date(2026, 3, 7), False, "72.01")
    assert is_working_day(date(2026, 3, 2))
    assert is_working_day(date(2026, 3, 7), "72.01.01")
    update = AuditEvent.objects.get(action="core.day_off_update")
    assert update.changes["is_off"] == [True, False]

    assert bkpsdm_client.get(f"/kalender/libur/{row.pk}/hapus/").status_code == 405
    assert bkpsdm_client.post(f"/kalender/libur/{row.pk}/hapus/").status_code == 302
    assert not DayOff.objects.exists()
    assert AuditEvent.objects.filter(action="core.day_off_delete").exists()
    assert bkpsdm_client.post(f"/kalender/libur/{row.pk}/hapus/").status_code == 404


def test_edit_into_a_duplicate_keeps_the_row(bkpsdm_client, regions):
    DayOff.objects.create(date=date(2026, 3, 2), name="A", kind=DayOff.Kind.CUTI_BERSAMA)
    row = DayOff.objects.create(date=date(2026, 3, 3), name="B", kind=DayOff.Kind.CUTI_BERSAMA)
    response = bkpsdm_client.post(
        f"/kalender/libur/{row.pk}/ubah/",
        {
            "date": "2026-03-02",
            "name": "B",
            "kind": "cuti_bersama",
        },
    )
    assert response.status_code == 400
    assert "Sudah ada hari libur/kerja" in response.content.decode()
    row.refresh_from_db()
    assert row.date == date(2026, 3, 3)


def test_count_working_days_form(bkpsdm_client, regions):
    response = bkpsdm_client.get(
        "/kalender/?tahun=2025&hitung-dari=2025-03-27&hitung-sampai=2025-04-14&hitung-wilayah=72.01"
    )
    assert response.status_code == 200
    # After Thursday 27 March: 8, 9, 10, 11, 14 April (Idul Fitri, cuti bersama and weekends excluded).
    assert "5 hari kerja setelah 27-03-2025 sampai dengan 14-04-2025." in response.content.decode()


def test_count_working_days_with_bad_dates_is_a_400(bkpsdm_client, regions):
    response = bkpsdm_client.get("/kalender/?hitung-dari=2025-13-01&hitung-sampai=")
    assert response.status_code == 400
    assert "Masukkan tanggal yang valid." in response.content.decode()
