"""The leaders' view (per unit and for the whole scope) and the TPP budgets behind it."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from layan.conftest import assign, client_for, make_user, verified_client_for
from layan.performance import selectors, services
from layan.performance.models import DailyReport, Evaluation, TppBudget
from layan.performance.tests.conftest import MONTH, YEAR


@pytest.fixture
def pimpinan(regions):
    user = make_user("bupati")
    assign(user, "pimpinan", region="72.01")
    return user


@pytest.fixture
def kepala_toili(units):
    user = make_user("camat.kepala.toili")
    assign(user, "kepala_unit", unit=units["kec_toili"])
    return user


@pytest.fixture
def month_data(bkpsdm, people, units, full_month):
    """March 2021: a computed TPP run for Toili with a budget, decided and waiting reports, evaluations."""
    run = services.tpp_run_compute(actor=bkpsdm, unit=units["kec_toili"], year=YEAR, month=MONTH)
    services.tpp_budget_set(actor=bkpsdm, unit=units["kec_toili"], year=YEAR, amount=Decimal("40000000"))
    submitted = timezone.make_aware(timezone.datetime(2021, 3, 2, 8, 0))
    DailyReport.objects.create(
        employee=people["staff"],
        date=full_month[0],
        activity="x",
        status="approved",
        submitted_at=submitted,
        decided_at=submitted + timedelta(hours=6),
    )
    DailyReport.objects.create(employee=people["staff"], date=full_month[1], activity="y")  # waiting
    DailyReport.objects.create(employee=people["batui"], date=full_month[1], activity="z")  # waiting
    for employee, predikat in ((people["staff"], "baik"), (people["head"], "sangat_baik")):
        Evaluation.objects.create(
            employee=employee,
            kind=Evaluation.Kind.MONTHLY,
            period_start=full_month[0].replace(day=1),
            period_end=full_month[-1],
            result_rating="as",
            behaviour_rating="as",
            predikat=predikat,
        )
    return run


def test_leaders_see_every_unit_and_the_whole_kabupaten(month_data, pimpinan, units):
    page = verified_client_for(pimpinan).get(reverse("performance:leaders"), {"month": "2021-03"})
    assert page.status_code == 200
    summary = page.context["summary"]
    rows = {u.name: u for u in summary["units"]}
    toili, batui = rows["Kecamatan Toili"], rows["Kecamatan Batui"]
    assert toili.staff == 2 and batui.staff == 1
    assert toili.waiting == 1 and batui.waiting == 1 and summary["total"].waiting == 2
    assert toili.approval_hours == 6.0
    assert toili.predikat == {"baik": 1, "sangat_baik": 1}
    assert toili.tpp_month == month_data.total_amount == toili.tpp_year
    assert toili.budget == Decimal("40000000")
    assert toili.budget_used == round(float(month_data.total_amount) * 100 / 40_000_000, 1)
    body = page.content.decode()
    assert 'id="leaders-data"' in body and "chart.umd.min.js" in body
    assert "Seluruh cakupan" in body


def test_share_reported_today(people, pimpinan):
    today = timezone.localdate()
    DailyReport.objects.create(employee=people["staff"], date=today, activity="hari ini")
    summary = selectors.leaders_summary(actor=pimpinan, year=today.year, month=today.month)
    toili = next(u for u in summary["units"] if u.name == "Kecamatan Toili")
    assert toili.reported_today == 1 and toili.reported_share == 50.0
    assert summary["total"].reported_today == 1 and summary["total"].staff == 3


def test_a_correction_run_replaces_the_locked_month_in_the_totals(month_data, bkpsdm, pimpinan):
    services.tpp_run_review(actor=bkpsdm, run=month_data)
    locked = services.tpp_run_lock(actor=bkpsdm, run=month_data)
    correction = services.tpp_run_correct(actor=bkpsdm, run=locked, reason="Salah kelas jabatan")
    runs = selectors.effective_runs([month_data.unit_id], YEAR, MONTH)
    assert runs[(month_data.unit_id, MONTH)].pk == correction.pk


def test_unit_filter_and_a_unit_head_sees_only_their_subtree(month_data, kepala_toili, pimpinan, units):
    own = client_for(kepala_toili).get(reverse("performance:leaders"), {"month": "2021-03"})
    assert [u.name for u in own.context["summary"]["units"]] == ["Kecamatan Toili"]
    # Asking for a unit outside the subtree is a 404, not an empty page.
    other = client_for(kepala_toili).get(reverse("performance:leaders"), {"unit": units["kec_batui"].pk})
    assert other.status_code in (400, 404)
    filtered = verified_client_for(pimpinan).get(
        reverse("performance:leaders"), {"month": "2021-03", "unit": units["kec_batui"].pk}
    )
    assert [u.name for u in filtered.context["summary"]["units"]] == ["Kecamatan Batui"]


def test_others_get_404(people, camat, sibling, outsider):
    for user in (people["staff"].user, people["head"].user, camat, sibling, outsider):
        assert client_for(user).get(reverse("performance:leaders")).status_code == 404


def test_bad_month_is_a_clear_400(pimpinan):
    page = verified_client_for(pimpinan).get(reverse("performance:leaders"), {"month": "2021-13"})
    assert page.status_code == 400 and "TTTT-BB" in page.content.decode()


def test_xlsx_export_has_a_row_per_unit_and_the_total(month_data, pimpinan):
    response = verified_client_for(pimpinan).get(
        reverse("performance:leaders"), {"month": "2021-03", "export": "xlsx"}
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Unit" and "Pagu TPP" in rows[0]
    names = [r[0] for r in rows[1:]]
    assert "Kecamatan Toili" in names and names[-1] == "Seluruh cakupan"
    toili = rows[names.index("Kecamatan Toili") + 1]
    assert toili[rows[0].index("Pagu TPP")] == 40_000_000


def test_bkpsdm_enters_a_budget_and_changes_it(bkpsdm_client, units):
    url = reverse("performance:budgets")
    data = {"unit": units["kec_toili"].pk, "year": 2021, "amount": "45000000", "note": "DPA 2021"}
    assert bkpsdm_client.post(url, data).status_code == 302
    data["amount"] = "47500000"
    bkpsdm_client.post(url, data)
    budget = TppBudget.objects.get()
    assert budget.amount == Decimal("47500000") and budget.note == "DPA 2021"
    assert "Kecamatan Toili" in bkpsdm_client.get(url).content.decode()
    data["amount"] = "-1"
    assert bkpsdm_client.post(url, data).status_code == 400


def test_budgets_are_for_bkpsdm_only(pimpinan, people, outsider, units, camat):
    assert verified_client_for(pimpinan).get(reverse("performance:budgets")).status_code == 404
    for user in (people["head"].user, outsider, camat):
        assert client_for(user).get(reverse("performance:budgets")).status_code == 404
    other = make_user("admin.batui")
    assign(other, "admin_bkpsdm", unit=units["kec_batui"])
    client = verified_client_for(other)
    response = client.post(
        reverse("performance:budgets"), {"unit": units["kec_toili"].pk, "year": 2021, "amount": "1"}
    )
    assert response.status_code == 400 and not TppBudget.objects.exists()


def test_demo_budgets_are_created_once(people):
    from layan.performance.demo import load_demo

    load_demo()
    budgets = {(b.unit_id, b.year): b.amount for b in TppBudget.objects.all()}
    load_demo()
    assert budgets and {(b.unit_id, b.year): b.amount for b in TppBudget.objects.all()} == budgets
