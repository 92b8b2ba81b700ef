import csv
import io

import pytest
from openpyxl import load_workbook

from layan.regions.models import Region


def test_the_region_list_is_public_and_searchable_by_name(client, tree):
    response = client.get("/wilayah/", {"q": "toili"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Sentral Toili" in body and "72.01.01" in body
    assert "Palu Barat" not in body


def test_the_region_list_filters_by_code_level_and_parent(client, tree):
    by_code = client.get("/wilayah/", {"q": "72.71"}).content.decode()
    assert "Kota Palu" in by_code and "Lere" in by_code and "Nuhon" not in by_code

    kecamatan = client.get("/wilayah/", {"level": "3"}).content.decode()
    assert "Nuhon" in kecamatan and "Singkoyo" not in kecamatan

    under = client.get("/wilayah/", {"parent": "72.01.01"}).content.decode()
    assert "Singkoyo" in under and "Bonebobakal" not in under
    assert "Wilayah di bawah Kecamatan Toili" in under
    assert 'href="/wilayah/72.01/"' in under  # breadcrumbs of the parent


@pytest.mark.parametrize(
    "params",
    [{"level": "9"}, {"level": "satu"}, {"parent": "72.1"}, {"parent": "<script>"}, {"q": "x" * 101}],
)
def test_bad_filters_answer_400_with_a_message(client, tree, params):
    response = client.get("/wilayah/", params)

    assert response.status_code == 400
    assert "Filter belum benar" in response.content.decode()


def test_an_unknown_parent_is_said_plainly(client, tree):
    response = client.get("/wilayah/", {"parent": "72.02"})

    assert response.status_code == 200
    assert "Kode induk 72.02 tidak dikenal" in response.content.decode()


def test_the_region_list_paginates_without_breaking_on_odd_pages(client, db):
    Region.objects.create(code="72", name="Sulawesi Tengah", level=1)
    Region.objects.create(code="72.01", name="Kabupaten Banggai", level=2, parent_id="72")
    Region.objects.create(code="72.01.01", name="Toili", level=3, parent_id="72.01")
    Region.objects.bulk_create(
        Region(code=f"72.01.01.2{n:03d}", name=f"Desa {n:03d}", level=4, parent_id="72.01.01")
        for n in range(1, 61)
    )

    second = client.get("/wilayah/", {"page": "2"}).content.decode()
    assert "Desa 060" in second and "Desa 001" not in second
    assert "Halaman 2 dari 2" in second
    assert client.get("/wilayah/", {"page": "999"}).status_code == 200
    assert client.get("/wilayah/", {"page": "abc"}).status_code == 200


def test_the_region_list_exports_csv_and_xlsx_with_the_filters(client, tree):
    response = client.get("/wilayah/", {"parent": "72.01", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="wilayah-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Kode", "Nama", "Jenis"]
    assert [row[:3] for row in rows[1:]] == [
        ["72.01.01", "Toili", "Kecamatan"],
        ["72.01.10", "Nuhon", "Kecamatan"],
    ]

    response = client.get("/wilayah/", {"level": "2", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:5] == ["72.01", "Kabupaten Banggai", "Kabupaten", "72", 377804]
    assert values[2][:3] == ["72.71", "Kota Palu", "Kota"]


def test_an_unknown_export_format_is_a_400(client, tree):
    response = client.get("/wilayah/", {"export": "pdf"})

    assert response.status_code == 400
    assert "Format unduhan tidak dikenal" in response.content.decode()


def test_the_detail_page_shows_breadcrumbs_kind_population_and_children(client, tree):
    response = client.get("/wilayah/72.01/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/wilayah/72/"' in body and "Sulawesi Tengah" in body
    assert "Kabupaten" in body
    assert "377.804" in body and "(2025)" in body
    assert "WITA" in body
    assert 'href="/wilayah/72.01.01/"' in body and 'href="/wilayah/72.01.10/"' in body


def test_the_detail_page_of_a_kecamatan_lists_desa_and_kelurahan(client, tree):
    body = client.get("/wilayah/72.01.01/").content.decode()

    assert "Kecamatan Toili" in body
    assert "Desa" in body and "Kelurahan" in body
    assert "belum diketahui" in body  # no population for a kecamatan


def test_the_detail_of_a_village_has_the_full_breadcrumb(client, tree):
    body = client.get("/wilayah/72.01.01.1002/").content.decode()

    for code in ("72", "72.01", "72.01.01"):
        assert f'href="/wilayah/{code}/"' in body
    assert "Kelurahan Sentral Toili" in body


@pytest.mark.parametrize("code", ["72.02", "99", "abc", "72.01.01.9999"])
def test_an_unknown_code_is_an_indonesian_404(client, tree, code):
    response = client.get(f"/wilayah/{code}/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_region_pages_are_read_only(client, tree):
    assert client.post("/wilayah/").status_code == 405
    assert client.post("/wilayah/72.01/").status_code == 405


def test_a_logged_in_user_sees_the_same_pages(tree, django_user_model):
    from django.test import Client

    user = django_user_model.objects.create_user(username="warga", password="kata-sandi-uji-yang-panjang-42")
    client = Client()
    client.force_login(user)

    assert client.get("/wilayah/72.01/").status_code == 200
