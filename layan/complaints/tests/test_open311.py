"""Open311 GeoReport v2 as the spec says: discovery, services, definitions, requests GET/POST, one request,
JSON and XML, ISO 8601 dates with a zone, errors as a list of {code, description}."""

import hashlib
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from layan.complaints import services
from layan.complaints.models import Case, Open311Client
from layan.complaints.tests.conftest import DESCRIPTION, submit

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def api_key(db):
    Open311Client.objects.create(name="Aplikasi Warga", key_hash=hashlib.sha256(b"kunci-open311").hexdigest())
    return "kunci-open311"


def test_discovery_and_services(db):
    client = Client()
    discovery = client.get("/open311/v2/discovery.json").json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "application/json" in discovery["endpoints"][0]["formats"]
    root = ET.fromstring(client.get("/open311/v2/discovery.xml").content)
    assert root.tag == "discovery" and root.find("endpoints/endpoint/url").text.endswith("/open311/v2/")
    services_json = client.get("/open311/v2/services.json").json()
    assert len(services_json) == 16
    assert set(services_json[0]) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    xml = ET.fromstring(client.get("/open311/v2/services.xml").content)
    assert xml.tag == "services" and len(xml.findall("service")) == 16
    assert xml.find("service/metadata").text == "false"
    definition = client.get("/open311/v2/services/jalan.json").json()
    assert definition == {"service_code": "jalan", "attributes": []}
    missing = client.get("/open311/v2/services/tidakada.xml")
    assert missing.status_code == 404 and ET.fromstring(missing.content).find("error/code").text == "404"
    assert client.get("/open311/v2/services.csv").status_code == 404


def test_post_request_with_api_key_then_get_it(regions, api_key):
    client = Client()
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "jalan",
            "lat": "-1.0123",
            "long": "122.7812",
            "description": DESCRIPTION,
            "email": "warga@example.id",
            "first_name": "Rina",
        },
    )
    assert response.status_code == 201
    code = response.json()[0]["service_request_id"]
    case = Case.objects.get(code=code)
    assert case.channel == "open311" and case.reporter_email == "warga@example.id"
    item = client.get(f"/open311/v2/requests/{code}.json").json()[0]
    assert set(item) == REQUEST_FIELDS and item["status"] == "open"
    assert ISO.match(item["requested_datetime"]) and item["requested_datetime"].endswith("+08:00")
    assert "warga@example.id" not in str(item) and "Rina" not in str(item)
    xml = ET.fromstring(client.get(f"/open311/v2/requests/{code}.xml").content)
    assert xml.tag == "service_requests" and xml.find("request/service_request_id").text == code


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"service_code": "jalan", "lat": "1", "long": "1", "description": DESCRIPTION}, 403),
        (
            {
                "api_key": "salah",
                "service_code": "jalan",
                "lat": "1",
                "long": "1",
                "description": DESCRIPTION,
            },
            403,
        ),
        ({"api_key": "kunci-open311", "service_code": "tidakada", "lat": "1", "long": "1"}, 400),
        ({"api_key": "kunci-open311", "service_code": "jalan", "description": DESCRIPTION}, 400),
        (
            {
                "api_key": "kunci-open311",
                "service_code": "jalan",
                "lat": "x",
                "long": "1",
                "description": DESCRIPTION,
            },
            400,
        ),
        (
            {
                "api_key": "kunci-open311",
                "service_code": "jalan",
                "lat": "1",
                "long": "1",
                "description": "zz",
            },
            400,
        ),
    ],
)
def test_post_errors_follow_the_spec(regions, api_key, data, status):
    for fmt in ("json", "xml"):
        response = Client().post(f"/open311/v2/requests.{fmt}", data)
        assert response.status_code == status
        if fmt == "json":
            error = response.json()[0]
            assert error["code"] == status and error["description"]
        else:
            assert ET.fromstring(response.content).find("error/code").text == str(status)
    assert not Case.objects.exists()


def test_get_requests_filters(regions, jalan, verifier, officer, dinas_pu):
    open_case = services.case_route(actor=verifier, case=submit(category=jalan), unit=dinas_pu)
    closed = services.case_route(
        actor=verifier, case=submit(category=jalan, reporter_email="b@example.id"), unit=dinas_pu
    )
    services.case_resolve(actor=officer, case=closed, answer="Sudah diperbaiki oleh tim jalan.")
    services.case_close(actor=officer, case=closed)
    client = Client()
    both = [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()]
    assert set(both) == {open_case.code, closed.code}
    only_open = client.get("/open311/v2/requests.json", {"status": "open"}).json()
    assert [r["service_request_id"] for r in only_open] == [open_case.code]
    by_id = client.get(
        "/open311/v2/requests.json", {"service_request_id": f"{closed.code},LYN-ZZZZ-ZZ"}
    ).json()
    assert [r["status"] for r in by_id] == ["closed"]
    assert client.get("/open311/v2/requests.json", {"service_code": "air"}).json() == []
    assert (
        client.get(
            "/open311/v2/requests.json",
            {"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-02-01T00:00:00Z"},
        ).json()
        == []
    )
    assert client.get("/open311/v2/requests.json", {"start_date": "kemarin"}).status_code == 400
    assert client.get("/open311/v2/requests.json", {"status": "pending"}).status_code == 400
    xml = ET.fromstring(client.get("/open311/v2/requests.xml").content)
    assert len(xml.findall("request")) == 2
