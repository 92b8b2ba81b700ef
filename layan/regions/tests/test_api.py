import pytest
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_the_list_is_public_paginated_and_filterable(client, tree):
    response = client.get("/api/v1/regions/", {"level": 4, "prefix": "72.01"})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [r["code"] for r in data["results"]] == ["72.01.01.1002", "72.01.01.2001", "72.01.10.2001"]
    assert data["results"][0] == {
        "code": "72.01.01.1002", "name": "Sentral Toili", "level": 4, "level_label": "Desa/Kelurahan",
        "kind_label": "Kelurahan", "parent": "72.01.01", "population": None, "population_male": None,
        "population_female": None, "population_year": None,
    }  # fmt: skip


def test_the_desa_picker_asks_for_the_villages_of_one_kecamatan(client, tree):
    data = client.get("/api/v1/regions/", {"parent": "72.01.01", "q": "sing"}).json()

    assert [r["name"] for r in data["results"]] == ["Singkoyo"]


def test_the_prefix_filter_does_not_confuse_72_01_01_with_72_01_10(client, tree):
    data = client.get("/api/v1/regions/", {"prefix": "72.01.01"}).json()

    assert [r["code"] for r in data["results"]] == ["72.01.01", "72.01.01.1002", "72.01.01.2001"]


def test_page_size_is_honoured(client, tree):
    data = client.get("/api/v1/regions/", {"page_size": 2}).json()

    assert data["count"] == 10 and len(data["results"]) == 2 and data["next"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "9"}, "level"),
        ({"level": "provinsi"}, "level"),
        ({"prefix": "72.01.1"}, "prefix"),
        ({"parent": "72.1"}, "parent"),
        ({"parent": "x" * 50}, "parent"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field(client, tree, params, field):
    response = client.get("/api/v1/regions/", params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"]
    assert list(body["fields"]) == [field]


def test_the_detail_gives_the_ancestors(client, tree):
    response = client.get("/api/v1/regions/72.01.01.2001/")

    assert response.status_code == 200
    data = response.json()
    assert (data["name"], data["kind_label"], data["parent"]) == ("Singkoyo", "Desa", "72.01.01")
    assert data["ancestors"] == [
        {"code": "72", "name": "Sulawesi Tengah", "level": 1},
        {"code": "72.01", "name": "Kabupaten Banggai", "level": 2},
        {"code": "72.01.01", "name": "Toili", "level": 3},
    ]
    assert client.get("/api/v1/regions/72.01/").json()["population"] == 377804


@pytest.mark.parametrize("code", ["72.02", "abc", "72.01.01.9999"])
def test_an_unknown_code_is_a_404_in_the_error_format(client, tree, code):
    response = client.get(f"/api/v1/regions/{code}/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Data tidak ditemukan.", "fields": {}}


def test_the_api_is_read_only(client, tree):
    assert client.post("/api/v1/regions/", {"code": "72.02", "name": "x"}).status_code in (403, 405)
    assert client.delete("/api/v1/regions/72.01/").status_code in (403, 405)
    assert tree["72.01"].__class__.objects.filter(code="72.01").exists()


def test_the_region_endpoints_are_documented_and_the_schema_validates():
    generator = SchemaGenerator(patterns=[path("api/v1/", include("layan.regions.api_urls"))])
    schema = generator.get_schema(request=None, public=True)

    validate_schema(schema)
    listing = schema["paths"]["/api/v1/regions/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "q",
        "level",
        "parent",
        "prefix",
        "page",
        "page_size",
    }
    assert "400" in listing["responses"]
    assert "404" in schema["paths"]["/api/v1/regions/{code}/"]["get"]["responses"]
