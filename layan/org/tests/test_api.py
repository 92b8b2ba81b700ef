"""API: scoped reads, writes through the services, the one error format, django-filter filters."""

from __future__ import annotations

import json

from layan.org.models import Employee, OfficeLocation


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_create_employee_via_api_and_validation_errors(bkpsdm_client, units):
    data = {
        "kind": "pns",
        "nip": "198503152010011004",
        "name": "Rudi Hartono",
        "nik": "7201011503850007",
        "unit": units["kec_toili"].pk,
    }
    created = post(bkpsdm_client, "/api/v1/employees/", data)
    assert created.status_code == 201 and created.json()["nik"] == "7201011503850007"
    duplicate = post(bkpsdm_client, "/api/v1/employees/", data)
    assert duplicate.status_code == 400
    body = duplicate.json()
    assert body["code"] == "invalid" and "sudah terdaftar" in body["fields"]["nip"][0]
    bad = post(
        bkpsdm_client,
        "/api/v1/employees/",
        {**data, "nip": "198503152010011005", "nik": "72", "birth_date": "1985-13-01"},
    )
    assert bad.status_code == 400 and "birth_date" in bad.json()["fields"]


def test_camat_cannot_write(camat_client, people, units):
    data = {"kind": "pns", "nip": "198503152010011004", "name": "X", "unit": units["kec_toili"].pk}
    assert post(camat_client, "/api/v1/employees/", data).status_code == 404
    response = camat_client.patch(
        f"/api/v1/employees/{people['staff'].pk}/", json.dumps({"name": "Y"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Employee.objects.filter(name="Y").exists()


def test_move_via_api_and_filters(bkpsdm_client, people, units):
    staff = people["staff"]
    response = post(
        bkpsdm_client,
        f"/api/v1/employees/{staff.pk}/move/",
        {"to_unit": units["kec_batui"].pk, "effective_date": "2021-01-04"},
    )
    assert response.status_code == 201
    moves = bkpsdm_client.get(f"/api/v1/employees/{staff.pk}/moves/").json()
    assert moves[0]["to_unit"] == units["kec_batui"].pk
    in_batui = bkpsdm_client.get("/api/v1/employees/", {"unit": units["kec_batui"].pk}).json()
    assert {e["name"] for e in in_batui["results"]} == {"Andi Lamato", "Budi Santoso"}
    assert bkpsdm_client.get("/api/v1/employees/", {"search": "andi"}).json()["count"] == 1
    assert bkpsdm_client.get("/api/v1/employees/", {"kind": "bogus"}).status_code == 400


def test_units_positions_locations(bkpsdm_client, camat_client, units, position):
    units_seen = {u["code"] for u in camat_client.get("/api/v1/units/").json()["results"]}
    assert units_seen == {"KEC-TOILI"}
    toili = camat_client.get(f"/api/v1/units/{units['kec_toili'].pk}/").json()
    assert toili["time_zone"] == "WITA"
    bad = post(
        bkpsdm_client,
        "/api/v1/office-locations/",
        {"unit": units["kec_toili"].pk, "name": "Kantor", "latitude": 122.4, "longitude": -1.3},
    )
    assert bad.status_code == 400 and "latitude" in bad.json()["fields"]
    good = post(
        bkpsdm_client,
        "/api/v1/office-locations/",
        {
            "unit": units["kec_toili"].pk,
            "name": "Kantor",
            "latitude": -1.3125,
            "longitude": 122.4601,
            "radius_m": 120,
        },
    )
    assert good.status_code == 201
    assert camat_client.get("/api/v1/office-locations/").json()["count"] == 1
    location = OfficeLocation.objects.get()
    assert camat_client.delete(f"/api/v1/office-locations/{location.pk}/").status_code == 403
    assert bkpsdm_client.delete(f"/api/v1/office-locations/{location.pk}/").status_code == 204
    region = post(
        bkpsdm_client, "/api/v1/units/", {"code": "X", "name": "X", "kind": "upt", "region": "72.77"}
    )
    assert region.status_code == 400 and "tidak dikenal" in region.json()["fields"]["region"][0]
    cycle = bkpsdm_client.patch(
        f"/api/v1/units/{units['setda'].pk}/",
        json.dumps({"parent": units["kec_toili"].pk}),
        content_type="application/json",
    )
    assert cycle.status_code == 400 and "parent" in cycle.json()["fields"]
    positions = bkpsdm_client.get("/api/v1/positions/", {"kelas_jabatan": 7}).json()
    assert positions["count"] == 1
    bad_kelas = post(
        bkpsdm_client, "/api/v1/positions/", {"name": "Analis", "kind": "fungsional", "kelas_jabatan": 40}
    )
    assert bad_kelas.status_code == 400 and "1–17" in bad_kelas.json()["fields"]["kelas_jabatan"][0]


def test_unit_region_filter_takes_any_text(bkpsdm_client, units):
    codes = {u["code"] for u in bkpsdm_client.get("/api/v1/units/", {"region": "72.01.01"}).json()["results"]}
    assert codes == {"KEC-TOILI"}
    assert bkpsdm_client.get("/api/v1/units/", {"region": "26\x11Û3-´"}).json()["count"] == 0
