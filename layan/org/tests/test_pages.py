"""Pages: search, filters, export, the unit tree, forms with field-level Indonesian errors."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from layan.org import services
from layan.org.models import Employee, EmployeeMove, OfficeLocation, Unit


def test_employee_list_search_filter_and_export(bkpsdm_client, people, units):
    url = reverse("org:employee_list")
    assert "Andi Lamato" in bkpsdm_client.get(url).content.decode()
    by_name = bkpsdm_client.get(url, {"q": "budi"}).content.decode()
    assert "Budi Santoso" in by_name and "Siti Rahma" not in by_name
    by_nip = bkpsdm_client.get(url, {"q": "198805122010"}).content.decode()
    assert "Andi Lamato" in by_nip and "Budi Santoso" not in by_nip
    by_unit = bkpsdm_client.get(url, {"unit": units["kec_batui"].pk}).content.decode()
    assert "Andi Lamato" in by_unit and "Siti Rahma" not in by_unit
    by_setda_subtree = bkpsdm_client.get(url, {"unit": units["setda"].pk}).content.decode()
    assert "Andi Lamato" in by_setda_subtree and "Siti Rahma" in by_setda_subtree
    assert "Tidak ada pegawai" in bkpsdm_client.get(url, {"active": "0"}).content.decode()
    export = bkpsdm_client.get(url, {"q": "budi", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("199201102019031002", "Budi Santoso") and len(rows) == 2
    csv = bkpsdm_client.get(url, {"export": "csv"}).content.decode()
    assert "Andi Lamato" in csv and "7201" not in csv  # no NIK in exports


def test_camat_export_only_holds_their_scope(camat_client, people):
    csv = camat_client.get(reverse("org:employee_list"), {"export": "csv"}).content.decode()
    assert "Budi Santoso" in csv and "Andi Lamato" not in csv


def test_unit_list_is_an_indented_tree_with_counts_and_time_zone(bkpsdm_client, people, units):
    page = bkpsdm_client.get(reverse("org:unit_list")).content.decode()
    assert page.index("Sekretariat Daerah") < page.index("Kecamatan Batui") < page.index("Kecamatan Toili")
    assert "tree-depth-1" in page and "WITA" in page
    export = bkpsdm_client.get(reverse("org:unit_list"), {"export": "csv"}).content.decode()
    assert "KEC-TOILI,Kecamatan Toili,Kantor kecamatan,72.01.01,Sekretariat Daerah,WITA,2" in export


def test_camat_unit_list_shows_only_their_kecamatan(camat_client, people):
    page = camat_client.get(reverse("org:unit_list")).content.decode()
    assert "Kecamatan Toili" in page and "Kecamatan Batui" not in page


def test_unit_detail_shows_locations_and_staff(bkpsdm, bkpsdm_client, people, units):
    services.office_location_create(
        actor=bkpsdm,
        unit=units["kec_toili"],
        name="Kantor Camat Toili",
        latitude="-1.3125",
        longitude="122.4601",
        radius_m=150,
    )
    page = bkpsdm_client.get(reverse("org:unit_detail", args=[units["kec_toili"].pk])).content.decode()
    assert "Kantor Camat Toili" in page and "-1.312500" in page and "150 m" in page
    assert "Budi Santoso" in page and "Andi Lamato" not in page


def test_employee_form_shows_field_errors_in_indonesian(bkpsdm_client, units):
    response = bkpsdm_client.post(
        reverse("org:employee_create"),
        {
            "kind": "pns",
            "nip": "199013452015031001",
            "name": "Uji",
            "nik": "123",
            "unit": units["kec_toili"].pk,
            "email": "bukan-surel",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tanggal lahir dalam NIP" in page and "NIK harus 16 angka" in page
    assert not Employee.objects.filter(name="Uji").exists()


def test_employee_create_edit_and_move_through_pages(bkpsdm_client, people, units):
    response = bkpsdm_client.post(
        reverse("org:employee_create"),
        {
            "kind": "pns",
            "nip": "198503152010011004",
            "name": "Rudi Hartono",
            "nik": "7201011503850007",
            "unit": units["kec_toili"].pk,
            "supervisor_nip": people["head"].nip,
        },
    )
    assert response.status_code == 302
    rudi = Employee.objects.get(nip="198503152010011004")
    assert rudi.supervisor == people["head"] and rudi.birth_date.isoformat() == "1985-03-15"
    response = bkpsdm_client.post(
        reverse("org:employee_edit", args=[rudi.pk]),
        {
            "kind": "pns",
            "nip": rudi.nip,
            "name": "Rudi Hartono",
            "nik": "7201011503850007",
            "sex": "L",
            "birth_date": "15-03-1985",
            "employment_start": "2010-01-01",
            "supervisor_nip": rudi.nip,
        },
    )
    assert response.status_code == 400 and "dirinya sendiri" in response.content.decode()
    response = bkpsdm_client.post(
        reverse("org:employee_move", args=[rudi.pk]),
        {"to_unit": units["kec_batui"].pk, "effective_date": "2021-01-04", "decree_number": "SK-9"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert EmployeeMove.objects.get(employee=rudi).decree_number == "SK-9"
    detail = bkpsdm_client.get(reverse("org:employee_detail", args=[rudi.pk])).content.decode()
    assert "Riwayat mutasi" in detail and "04-01-2021" in detail and "Siti Rahma" in detail  # chain


def test_unit_and_location_forms(bkpsdm_client, units):
    response = bkpsdm_client.post(
        reverse("org:unit_create"),
        {
            "code": "UPT-PASAR",
            "name": "UPT Pasar",
            "kind": "upt",
            "region": "72.01.9",
            "parent": units["setda"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 400 and "tidak sah" in response.content.decode()
    response = bkpsdm_client.post(
        reverse("org:unit_create"),
        {
            "code": "UPT-PASAR",
            "name": "UPT Pasar",
            "kind": "upt",
            "region": "72.01.01",
            "parent": units["setda"].pk,
            "is_active": "on",
        },
    )
    unit = Unit.objects.get(code="UPT-PASAR")
    assert response.status_code == 302 and unit.parent == units["setda"]
    response = bkpsdm_client.post(
        reverse("org:location_create", args=[unit.pk]),
        {"name": "Pasar", "latitude": "122.46", "longitude": "-1.31", "radius_m": "100"},
    )
    assert response.status_code == 400 and "-90 dan 90" in response.content.decode()
    assert not OfficeLocation.objects.exists()


def test_position_list_and_create(bkpsdm_client, camat_client, position):
    page = bkpsdm_client.get(reverse("org:position_list")).content.decode()
    assert "Pengelola Data" in page and "Tambah jabatan" in page
    response = bkpsdm_client.post(
        reverse("org:position_list"), {"name": "Analis", "kind": "fungsional", "kelas_jabatan": "18"}
    )
    assert response.status_code == 400
    assert "Tambah jabatan" not in camat_client.get(reverse("org:position_list")).content.decode()
    assert camat_client.post(reverse("org:position_list"), {"name": "X"}).status_code == 404


def test_pages_and_messages_are_available_in_english(bkpsdm_client, units, settings):
    bkpsdm_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switcher's choice
    page = bkpsdm_client.get(reverse("org:unit_list")).content.decode()
    assert "Add unit" in page and "Tambah unit" not in page
    response = bkpsdm_client.post(
        reverse("org:unit_create"),
        {"code": "X", "name": "X", "kind": "upt", "region": "72.77", "parent": units["setda"].pk},
    )
    assert response.status_code == 400 and "Region code 72.77 is unknown." in response.content.decode()
