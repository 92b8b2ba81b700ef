"""The performance API: idempotent daily reports from the phone, decisions, plans and RHK, TPP lines and
evaluations, each limited to the caller's scope (404 outside it, as on the pages)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from layan.conftest import client_for, make_user, verified_client_for
from layan.performance import services
from layan.performance import services_plans as plans
from layan.performance.models import DailyReport, Evaluation, Rhk
from layan.performance.tests.conftest import MONTH, YEAR

REPORTS = "/api/v1/performance/reports/"
SKP = "/api/v1/performance/skp/"
LINES = "/api/v1/performance/tpp-lines/"
QUANTITY = [{"aspect": "quantity", "description": "Dokumen", "target": "120", "target_unit": "dokumen"}]


def report(client, **extra):
    data = {"client_uuid": str(uuid.uuid4()), "date": "2021-03-02", "activity": "Input data SKTM", **extra}
    return client.post(REPORTS, data, content_type="application/json")


@pytest.fixture
def batui_user(people):
    people["batui"].user = make_user("andi.batui")
    people["batui"].save()
    return people["batui"].user


def test_report_resend_is_one_record_answered_200(people):
    client = client_for(people["staff"].user)
    key = str(uuid.uuid4())
    first = report(client, client_uuid=key, quantity="3", minutes=90, mode="WFH")
    assert first.status_code == 201 and first.json()["status"] == "submitted"
    again = report(client, client_uuid=key, quantity="3", minutes=90, mode="WFH")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert DailyReport.objects.count() == 1


def test_report_bad_input_names_the_field(people):
    client = client_for(people["staff"].user)
    holiday = report(client, date="2021-08-17")
    assert holiday.status_code == 400 and "libur" in holiday.json()["fields"]["date"][0]
    assert report(client, minutes=5000).json()["fields"]["minutes"]
    assert set(report(client, activity="").json()) == {"code", "message", "fields"}
    assert not DailyReport.objects.exists()


def test_report_list_and_detail_are_scoped(people, camat, sibling, outsider, batui_user):
    created = report(client_for(people["staff"].user)).json()
    url = f"{REPORTS}{created['id']}/"
    team = client_for(people["head"].user).get(REPORTS + "?scope=team").json()
    assert [r["id"] for r in team["results"]] == [created["id"]]
    assert client_for(people["head"].user).get(REPORTS + "?scope=own").json()["results"] == []
    assert client_for(people["head"].user).get(url).status_code == 200
    for user in (camat, sibling, outsider, batui_user):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.get(REPORTS).json()["results"] == []


def test_supervisor_decides_through_the_api(people, outsider, sibling):
    created = report(client_for(people["staff"].user)).json()
    url = f"{REPORTS}{created['id']}/decision/"
    for user in (people["staff"].user, outsider, sibling):
        assert (
            client_for(user).post(url, {"decision": "approve"}, content_type="application/json").status_code
            == 404
        )
    head = client_for(people["head"].user)
    refused = head.post(url, {"decision": "return"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["fields"]["note"]
    approved = head.post(url, {"decision": "approve"}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_plan_and_rhk_through_the_api(people, camat, sibling, outsider, batui_user):
    head, staff = people["head"].user, people["staff"].user
    head_skp = plans.skp_create(actor=head, year=YEAR)
    head_rhk = plans.rhk_add(actor=head, skp=head_skp, title="Pelayanan prima", indicators=QUANTITY)
    head_skp.status = "agreed"
    head_skp.save()
    client = client_for(staff)
    created = client.post(SKP, {"year": YEAR}, content_type="application/json")
    assert created.status_code == 201
    assert client.post(SKP, {"year": YEAR}, content_type="application/json").status_code == 200
    detail = client.get(f"{SKP}{created.json()['id']}/").json()
    assert [o["id"] for o in detail["parent_options"]] == [head_rhk.pk]
    assert [p["code"] for p in detail["problems"]] == ["no_rhk"]
    rhk_url = f"{SKP}{created.json()['id']}/rhk/"
    body = {"title": "Data mutakhir", "parent": head_rhk.pk, "indicators": QUANTITY}
    added = client.post(rhk_url, body, content_type="application/json")
    assert added.status_code == 201 and added.json()["parent_title"] == "Pelayanan prima"
    own = Rhk.objects.get(pk=added.json()["id"])
    wrong = client.post(rhk_url, {**body, "parent": own.pk}, content_type="application/json")
    assert wrong.status_code == 400 and "bukan milik atasan" in wrong.json()["fields"]["parent"][0]
    # The supervisor reads the plan; nobody else writes into it; outsiders do not see it.
    assert client_for(head).get(f"{SKP}{created.json()['id']}/").status_code == 200
    assert client_for(head).post(rhk_url, body, content_type="application/json").status_code == 404
    for user in (camat, sibling, outsider, batui_user):
        assert client_for(user).get(f"{SKP}{created.json()['id']}/").status_code == 404
        assert client_for(user).post(rhk_url, body, content_type="application/json").status_code == 404
    assert client_for(outsider).post(SKP, {"year": YEAR}, content_type="application/json").status_code == 404


def test_tpp_lines_own_and_team(bkpsdm, units, people, full_month, camat, sibling, outsider):
    run = services.tpp_run_compute(actor=bkpsdm, unit=units["kec_toili"], year=YEAR, month=MONTH)
    staff_line = run.lines.get(employee=people["staff"])
    head_line = run.lines.get(employee=people["head"])
    own = client_for(people["staff"].user).get(LINES).json()["results"]
    assert [line["id"] for line in own] == [staff_line.pk]
    team = client_for(people["head"].user).get(LINES + "?scope=team").json()["results"]
    assert [line["id"] for line in team] == [staff_line.pk]
    detail = client_for(people["staff"].user).get(f"{LINES}{staff_line.pk}/").json()
    assert (
        detail["amount"] == str(staff_line.amount) and detail["steps"][0]["key"] == "basic" and detail["days"]
    )
    assert client_for(people["staff"].user).get(f"{LINES}{head_line.pk}/").status_code == 404
    assert verified_client_for(bkpsdm).get(f"{LINES}{head_line.pk}/").status_code == 200
    for user in (camat, sibling, outsider):
        assert client_for(user).get(f"{LINES}{staff_line.pk}/").status_code == 404
        assert client_for(user).get(LINES).json()["results"] == []


def test_evaluations_are_scoped(people, sibling, outsider):
    plans.evaluation_record(
        actor=people["head"].user,
        employee=people["staff"],
        kind=Evaluation.Kind.MONTHLY,
        period_start=date(2021, 3, 1),
        period_end=date(2021, 3, 31),
        result_rating="above",
        behaviour_rating="as",
    )
    url = "/api/v1/performance/evaluations/"
    mine = client_for(people["staff"].user).get(url + "?scope=own").json()["results"]
    assert [e["predikat"] for e in mine] == ["baik"]
    for user in (sibling, outsider):
        assert client_for(user).get(url).json()["results"] == []
