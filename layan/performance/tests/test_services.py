"""Domain rules of the performance module: predikat, daily reports, TPP at its edges, locking."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from layan.attendance.models import AttendanceCorrection
from layan.core.models import AuditEvent
from layan.org.models import EmployeeMove
from layan.performance import services
from layan.performance.models import DailyReport, Predikat, Rating, TppParameter, TppRun
from layan.performance.tests.conftest import MONTH, YEAR, attend

B, A, U = Rating.BELOW, Rating.AS_EXPECTED, Rating.ABOVE


@pytest.mark.parametrize(
    ("result", "behaviour", "expected"),
    [
        (U, B, Predikat.KURANG),
        (U, A, Predikat.BAIK),
        (U, U, Predikat.SANGAT_BAIK),
        (A, B, Predikat.KURANG),
        (A, A, Predikat.BAIK),
        (A, U, Predikat.BAIK),
        (B, B, Predikat.SANGAT_KURANG),
        (B, A, Predikat.BUTUH_PERBAIKAN),
        (B, U, Predikat.BUTUH_PERBAIKAN),
    ],
)
def test_predikat_matrix(result, behaviour, expected):
    assert services.predikat_for(result=result, behaviour=behaviour) == expected


def test_predikat_refuses_unknown_rating():
    with pytest.raises(ValidationError):
        services.predikat_for(result="great", behaviour=A)


# --- daily reports -------------------------------------------------------------------------------------


def submit(user, day, **extra):
    return services.daily_report_submit(
        actor=user,
        client_uuid=extra.pop("client_uuid", uuid.uuid4()),
        day=day,
        activity="Rekap data",
        **extra,
    )


def test_offline_resend_is_idempotent(people):
    key = uuid.uuid4()
    first = submit(people["staff"].user, date(2021, 3, 2), client_uuid=key)
    again = submit(people["staff"].user, date(2021, 3, 2), client_uuid=key)
    assert first.created and not again.created
    assert again.report.pk == first.report.pk
    assert DailyReport.objects.count() == 1


def test_future_day_and_holiday_are_refused(people):
    staff = people["staff"].user
    with pytest.raises(ValidationError, match="belum tiba"):
        submit(staff, timezone.localdate() + timedelta(days=2))
    with pytest.raises(ValidationError, match="libur"):
        submit(staff, date(2021, 8, 17))  # Hari Kemerdekaan
    with pytest.raises(ValidationError, match="bukan hari kerja"):
        submit(staff, date(2021, 3, 6))  # Saturday
    assert DailyReport.objects.count() == 0


# Plans (SKP/RHK, cascading, problems): test_skp.py.


def test_edit_after_supervisor_action_makes_a_new_version(people):
    report = submit(people["staff"].user, date(2021, 3, 2)).report
    services.daily_report_update(actor=people["staff"].user, report=report, activity="Rekap data desa")
    report.refresh_from_db()
    assert report.version == 1 and report.versions.count() == 0
    services.daily_report_decide(
        actor=people["head"].user, report=report, approve=False, note="Lengkapi bukti"
    )
    services.daily_report_update(
        actor=people["staff"].user, report=report, evidence_link="https://contoh.id/b"
    )
    report.refresh_from_db()
    assert report.version == 2 and report.status == DailyReport.Status.SUBMITTED
    assert report.versions.get().data["activity"] == "Rekap data desa"


def test_return_needs_a_note_and_only_the_team_decides(people, outsider):
    report = submit(people["staff"].user, date(2021, 3, 2)).report
    with pytest.raises(ValidationError, match="catatan"):
        services.daily_report_decide(actor=people["head"].user, report=report, approve=False)
    with pytest.raises(Http404):
        services.daily_report_decide(actor=people["staff"].user, report=report, approve=True)
    with pytest.raises(Http404):
        services.daily_report_decide(actor=outsider, report=report, approve=True)
    assert services.daily_report_bulk_approve(actor=people["head"].user, report_ids=[report.pk]) == 1
    report.refresh_from_db()
    assert report.status == DailyReport.Status.APPROVED
    assert AuditEvent.objects.filter(action="performance.daily_report_approve").count() == 1


# --- TPP -----------------------------------------------------------------------------------------------


def approve_all(employee, days):
    DailyReport.objects.bulk_create(
        DailyReport(employee=employee, date=d, activity="x", status="approved", decided_at=timezone.now())
        for d in days
    )


def run_for(bkpsdm, unit):
    return services.tpp_run_compute(actor=bkpsdm, unit=unit, year=YEAR, month=MONTH)


def line_of(run, employee):
    return run.lines.get(employee=employee)


def test_full_month_gives_full_basic_tpp(bkpsdm, units, people, full_month):
    approve_all(people["staff"], full_month)
    line = line_of(run_for(bkpsdm, units["kec_toili"]), people["staff"])
    assert line.basic_amount == Decimal("2600000")  # kelas 7, seeded
    assert line.performance_percent == 100 and line.discipline_cut_percent == 0
    assert line.amount == Decimal("2600000")
    assert {s["key"] for s in line.steps} >= {"basic", "performance", "discipline_cut", "formula", "amount"}
    assert len(line.days) == len(full_month)


def test_days_without_report_are_cut(bkpsdm, units, people, full_month):
    line = line_of(run_for(bkpsdm, units["kec_toili"]), people["staff"])
    n = len(full_month)
    assert line.missing_report_days == n and line.performance_percent == 0
    expected = Decimal("2600000") * Decimal("0.4") * (100 - n) / 100
    assert line.amount == expected.quantize(Decimal("1"))


def test_discipline_cut_is_capped_at_100_percent(bkpsdm, units, people, full_month):
    for day in full_month:
        attend(people["staff"], day, status="TL4", late_code="TL4", early_code="PSW4")
    line = line_of(run_for(bkpsdm, units["kec_toili"]), people["staff"])
    assert line.attendance_cut_percent == 4 * len(full_month)
    assert line.discipline_cut_percent == 100
    assert line.amount == 0


def test_leave_days_need_no_report(bkpsdm, units, people, full_month):
    approve_all(people["staff"], full_month[2:])
    for day in full_month[:2]:
        attend(people["staff"], day, status="CUTI")
    line = line_of(run_for(bkpsdm, units["kec_toili"]), people["staff"])
    assert line.missing_report_days == 0 and line.performance_percent == 100
    assert line.amount == Decimal("2600000")


def test_move_between_units_mid_month_splits_the_tpp(bkpsdm, units, people, full_month):
    staff = people["staff"]
    approve_all(staff, full_month)
    EmployeeMove.objects.create(
        employee=staff,
        effective_date=date(2021, 3, 16),
        from_unit=units["kec_toili"],
        to_unit=units["kec_batui"],
    )
    staff.unit = units["kec_batui"]
    staff.save(update_fields=["unit"])
    before = [d for d in full_month if d < date(2021, 3, 16)]
    toili = line_of(run_for(bkpsdm, units["kec_toili"]), staff)
    batui = line_of(run_for(bkpsdm, units["kec_batui"]), staff)
    assert toili.days_in_unit == len(before)
    assert batui.days_in_unit == len(full_month) - len(before)
    assert abs(toili.amount + batui.amount - Decimal("2600000")) <= 1


def test_sanction_crossing_months_counts_its_days(bkpsdm, units, people, full_month):
    staff = people["staff"]
    approve_all(staff, full_month)
    services.sanction_record(
        actor=bkpsdm,
        employee=staff,
        cut_percent=Decimal("25"),
        start_date=date(2021, 2, 15),
        end_date=date(2021, 3, 15),
        decree_number="800/12/BKPSDM",
        reason="TK 12 hari",
    )
    covered = [d for d in full_month if d <= date(2021, 3, 15)]
    line = line_of(run_for(bkpsdm, units["kec_toili"]), staff)
    expected_cut = (Decimal(25) * len(covered) / len(full_month)).quantize(Decimal("0.01"))
    assert line.sanction_cut_percent == expected_cut
    assert line.amount == (Decimal("2600000") * (100 - expected_cut) / 100).quantize(Decimal("1"))


def test_locked_month_refuses_changes_and_takes_a_correction(bkpsdm, units, people, full_month):
    report = DailyReport.objects.create(employee=people["staff"], date=full_month[0], activity="x")
    run = run_for(bkpsdm, units["kec_toili"])
    services.tpp_run_review(actor=bkpsdm, run=run)
    run = services.tpp_run_lock(actor=bkpsdm, run=run)
    with pytest.raises(ValidationError, match="dikunci"):
        run_for(bkpsdm, units["kec_toili"])
    with pytest.raises(ValidationError, match="dikunci"):
        services.daily_report_decide(actor=people["head"].user, report=report, approve=True)
    with pytest.raises(ValidationError, match="dikunci"):
        submit(people["staff"].user, full_month[1])
    with pytest.raises(ValidationError, match="alasan"):
        services.tpp_run_correct(actor=bkpsdm, run=run, reason=" ")
    correction = services.tpp_run_correct(actor=bkpsdm, run=run, reason="Salah kelas jabatan")
    assert correction.corrects == run and correction.status == TppRun.Status.DRAFT
    run.refresh_from_db()
    assert run.status == TppRun.Status.LOCKED and run.lines.count() == 2  # Toili: head and staff
    assert AuditEvent.objects.filter(action="performance.tpp_run_correct").exists()


def test_run_refuses_unresolved_attendance_corrections(bkpsdm, units, people, full_month):
    AttendanceCorrection.objects.create(
        employee=people["staff"], date=full_month[3], kind="in", time="07:30", reason="HP mati"
    )
    with pytest.raises(services.UnresolvedCorrections, match="Budi Santoso") as caught:
        run_for(bkpsdm, units["kec_toili"])
    assert len(caught.value.corrections) == 1
    assert not TppRun.objects.exists()


def test_only_tpp_admins_run(units, people, camat, full_month):
    with pytest.raises(Http404):
        services.tpp_run_compute(actor=people["head"].user, unit=units["kec_toili"], year=YEAR, month=MONTH)
    with pytest.raises(Http404):
        services.tpp_run_compute(actor=camat, unit=units["kec_toili"], year=YEAR, month=MONTH)


def test_overlapping_parameters_are_refused(db):
    row = TppParameter(
        valid_from=date(2022, 1, 1),
        weight_performance=40,
        weight_discipline=60,
        missing_report_cut=1,
        discipline_cut_cap=100,
    )
    with pytest.raises(ValidationError, match="bertumpang tindih"):
        row.full_clean()


def test_weights_must_sum_to_100(db):
    row = TppParameter(
        valid_from=date(2010, 1, 1),
        valid_to=date(2010, 12, 31),
        weight_performance=50,
        weight_discipline=60,
        missing_report_cut=1,
        discipline_cut_cap=100,
    )
    with pytest.raises(ValidationError, match="berjumlah 100"):
        row.full_clean()


def test_demo_is_idempotent(people):
    from layan.performance.demo import load_demo

    load_demo()
    count = DailyReport.objects.count()
    load_demo()
    assert DailyReport.objects.count() == count
    assert people["staff"].skps.get().rhks.get().parent == people["head"].skps.get().rhks.get()
