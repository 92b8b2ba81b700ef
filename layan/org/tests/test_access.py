"""Scope: every employee page and endpoint is a 404 for the sibling camat and the outsider on Toili people;
a supervisor sees their team, an employee sees themself; the NIK is masked unless org.view_nik."""

from __future__ import annotations

import pytest
from django.urls import reverse

from layan.core.models import PersonalDataRead


def employee_urls(pk):
    return [
        ("get", reverse("org:employee_detail", args=[pk])),
        ("get", reverse("org:employee_edit", args=[pk])),
        ("get", reverse("org:employee_move", args=[pk])),
        ("get", reverse("org:employee_end", args=[pk])),
        ("post", reverse("org:employee_nik", args=[pk])),
        ("post", reverse("org:employee_link_user", args=[pk])),
        ("post", reverse("org:employee_edit", args=[pk])),
        ("post", reverse("org:employee_move", args=[pk])),
        ("get", f"/api/v1/employees/{pk}/"),
        ("get", f"/api/v1/employees/{pk}/moves/"),
        ("patch", f"/api/v1/employees/{pk}/"),
        ("post", f"/api/v1/employees/{pk}/move/"),
    ]


@pytest.mark.parametrize("persona", ["sibling_client", "outsider_client"])
@pytest.mark.parametrize("who", ["head", "staff"])
def test_every_employee_page_and_endpoint_is_404_outside_the_scope(request, people, persona, who):
    client = request.getfixturevalue(persona)
    for method, url in employee_urls(people[who].pk):
        kwargs = {"content_type": "application/json", "data": "{}"} if method == "patch" else {}
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 404, (method, url, response.status_code)
    assert PersonalDataRead.objects.count() == 0


@pytest.mark.parametrize("persona", ["sibling_client", "outsider_client"])
def test_lists_do_not_show_toili_people_outside_the_scope(request, people, persona):
    client = request.getfixturevalue(persona)
    page = client.get(reverse("org:employee_list"))
    assert "Siti Rahma" not in page.content.decode()
    api = client.get("/api/v1/employees/")
    names = [e["name"] for e in api.json()["results"]] if api.status_code == 200 else []
    assert "Siti Rahma" not in names and "Budi Santoso" not in names
    assert client.get(reverse("org:unit_detail", args=[people["head"].unit_id])).status_code == 404
    assert client.get(f"/api/v1/units/{people['head'].unit_id}/").status_code == 404


def test_outsider_gets_404_on_list_pages(outsider_client, people):
    for name in [
        "org:employee_list",
        "org:unit_list",
        "org:position_list",
        "org:employee_create",
        "org:employee_import",
        "org:unit_create",
    ]:
        assert outsider_client.get(reverse(name)).status_code == 404, name


def test_camat_sees_toili_people_but_not_batui(camat_client, people):
    assert camat_client.get(reverse("org:employee_detail", args=[people["staff"].pk])).status_code == 200
    assert camat_client.get(reverse("org:employee_detail", args=[people["batui"].pk])).status_code == 404
    listing = camat_client.get(reverse("org:employee_list")).content.decode()
    assert "Budi Santoso" in listing and "Andi Lamato" not in listing
    # viewing is not managing
    assert camat_client.get(reverse("org:employee_edit", args=[people["staff"].pk])).status_code == 404


def test_supervisor_sees_their_team(head_client, people):
    assert head_client.get(reverse("org:employee_detail", args=[people["staff"].pk])).status_code == 200
    assert head_client.get(f"/api/v1/employees/{people['staff'].pk}/").status_code == 200
    names = {e["name"] for e in head_client.get("/api/v1/employees/").json()["results"]}
    assert names == {"Siti Rahma", "Budi Santoso"}


def test_employee_sees_themself_only(staff_client, people):
    assert staff_client.get(reverse("org:employee_detail", args=[people["staff"].pk])).status_code == 200
    assert staff_client.get(reverse("org:employee_detail", args=[people["head"].pk])).status_code == 404
    assert staff_client.get(reverse("org:employee_detail", args=[people["batui"].pk])).status_code == 404
    names = [e["name"] for e in staff_client.get("/api/v1/employees/").json()["results"]]
    assert names == ["Budi Santoso"]
    assert staff_client.get(f"/api/v1/employees/{people['staff'].pk}/").json()["nik"] == "7201********0004"


def test_nik_is_masked_and_revealed_only_with_view_nik_and_logged(bkpsdm_client, camat_client, people):
    staff = people["staff"]
    page = bkpsdm_client.get(reverse("org:employee_detail", args=[staff.pk])).content.decode()
    assert "7201********0004" in page and "7201011001920004" not in page and "Tampilkan NIK" in page
    assert PersonalDataRead.objects.count() == 0
    revealed = bkpsdm_client.post(reverse("org:employee_nik", args=[staff.pk]), HTTP_HX_REQUEST="true")
    assert revealed.status_code == 200 and "7201011001920004" in revealed.content.decode()
    read = PersonalDataRead.objects.get()
    assert read.object_id == str(staff.pk) and read.fields == ["nik"] and read.actor_label == "admin.bkpsdm"
    # the camat sees the person but not the NIK
    camat_page = camat_client.get(reverse("org:employee_detail", args=[staff.pk])).content.decode()
    assert "Tampilkan NIK" not in camat_page
    assert camat_client.post(reverse("org:employee_nik", args=[staff.pk])).status_code == 404
    assert camat_client.get(f"/api/v1/employees/{staff.pk}/").json()["nik"] == "7201********0004"
    assert bkpsdm_client.get(f"/api/v1/employees/{staff.pk}/").json()["nik"] == "7201011001920004"
    assert PersonalDataRead.objects.count() == 2
