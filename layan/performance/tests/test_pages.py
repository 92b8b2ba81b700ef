"""Pages: the phone report form, the supervisor's live view, TPP explanation and runs, scope by persona."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.urls import reverse

from layan.conftest import client_for
from layan.performance import services
from layan.performance.models import DailyReport
from layan.performance.tests.conftest import MONTH, YEAR


@pytest.fixture
def run(bkpsdm, units, full_month):
    return services.tpp_run_compute(actor=bkpsdm, unit=units["kec_toili"], year=YEAR, month=MONTH)


def test_employee_files_a_report_and_supervisor_approves_it(people):
    staff, head = client_for(people["staff"].user), client_for(people["head"].user)
    assert staff.get(reverse("performance:report_new")).status_code == 200
    key = str(uuid.uuid4())
    data = {
        "client_uuid": key,
        "date": "2021-03-02",
        "activity": "Input data SKTM",
        "quantity": "3",
        "minutes": "90",
        "mode": "WFH",
        "rhk": "",
    }
    assert staff.post(reverse("performance:report_new"), data).status_code == 302
    assert staff.post(reverse("performance:report_new"), data).status_code == 302  # double tap
    report = DailyReport.objects.get()
    rows = head.get(reverse("performance:team_rows"))
    assert "Input data SKTM" in rows.content.decode()
    response = head.post(
        reverse("performance:report_decide", args=[report.pk]), {"approve": "on"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == DailyReport.Status.APPROVED


def test_bad_report_input_is_a_clear_400(people):
    staff = client_for(people["staff"].user)
    data = {
        "client_uuid": str(uuid.uuid4()),
        "date": "2021-08-17",
        "activity": "x",
        "quantity": "1",
        "minutes": "60",
        "mode": "WFO",
    }
    response = staff.post(reverse("performance:report_new"), data)
    assert response.status_code == 400 and "hari libur" in response.content.decode()
    data.update(date="2021-03-02", minutes="5000")
    assert staff.post(reverse("performance:report_new"), data).status_code == 400
    assert not DailyReport.objects.exists()


def test_bulk_approve(people):
    reports = DailyReport.objects.bulk_create(
        DailyReport(employee=people["staff"], date=date(2021, 3, d), activity="x") for d in (2, 3)
    )
    head = client_for(people["head"].user)
    head.post(reverse("performance:bulk_approve"), {"report": [r.pk for r in reports]})
    assert DailyReport.objects.filter(status="approved").count() == 2


def test_team_view_is_not_for_staff_without_team(people, outsider, sibling):
    for user in (people["staff"].user, outsider, sibling):
        assert client_for(user).get(reverse("performance:team")).status_code == 404


def test_tpp_explanation_scope(run, people, camat, sibling, outsider, bkpsdm):
    line = run.lines.get(employee=people["staff"])
    url = reverse("performance:tpp_line", args=[line.pk])
    own = client_for(people["staff"].user).get(url)
    assert own.status_code == 200 and "TPP dasar" in own.content.decode()
    assert client_for(people["head"].user).get(url).status_code == 200  # supervisor: team
    head_line = run.lines.get(employee=people["head"])
    assert (
        client_for(people["staff"].user).get(reverse("performance:tpp_line", args=[head_line.pk])).status_code
        == 404
    )
    for user in (camat, sibling, outsider):
        assert client_for(user).get(url).status_code == 404
    mine = client_for(people["staff"].user).get(reverse("performance:my_tpp")).content.decode()
    assert "Budi Santoso" in mine and "Siti Rahma" not in mine


def test_run_page_and_xlsx_export(run, bkpsdm_client, people, sibling, outsider):
    url = reverse("performance:run_detail", args=[run.pk])
    page = bkpsdm_client.get(url)
    assert page.status_code == 200 and "Budi Santoso" in page.content.decode()
    export = bkpsdm_client.get(url + "?export=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    for user in (people["head"].user, sibling, outsider):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(reverse("performance:run_list")).status_code == 404


def test_run_actions_through_the_page(run, bkpsdm_client):
    for action in ("review", "lock"):
        bkpsdm_client.post(reverse("performance:run_action", args=[run.pk, action]))
    run.refresh_from_db()
    assert run.status == "locked"
    response = bkpsdm_client.post(
        reverse("performance:run_list"), {"unit": run.unit_id, "year": YEAR, "month": MONTH}
    )
    assert response.status_code == 400 and "dikunci" in response.content.decode()
