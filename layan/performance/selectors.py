"""Every read of the performance module, limited to the actor's scope (layan.core.scopes)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet

from layan.core import calendar
from layan.core.scopes import get_in_scope_or_404, scoped
from layan.performance.models import DailyReport, TppLine, TppRun
from layan.performance.services import MANAGE_TPP, REVIEW, VIEW


def own_reports(*, employee) -> QuerySet[DailyReport]:
    return DailyReport.objects.filter(employee=employee).select_related("rhk")


def team_reports(*, actor) -> QuerySet[DailyReport]:
    """Reports of the actor's team (not their own), newest first."""
    return (
        scoped(DailyReport.objects.select_related("employee", "rhk"), actor, REVIEW)
        .exclude(employee__user=actor)
        .order_by("-submitted_at", "-id")
    )


def report_get(*, actor, pk, permission: str = VIEW) -> DailyReport:
    return get_in_scope_or_404(
        DailyReport.objects.select_related("employee", "rhk"), actor, permission, pk=pk
    )


def reporting_streak(employee_id: int, region_code: str, today: date, reported_days: set[date]) -> int:
    """Consecutive working days up to today (or yesterday, if today is not yet reported) with a report."""
    day, streak = today, 0
    if day not in reported_days:
        day -= timedelta(days=1)
    for _ in range(400):
        if calendar.is_working_day(day, region_code):
            if day not in reported_days:
                break
            streak += 1
        day -= timedelta(days=1)
    return streak


def team_streaks(*, actor, today: date) -> list[dict]:
    since = today - timedelta(days=60)
    rows = (
        team_reports(actor=actor)
        .filter(date__gte=since)
        .values_list("employee_id", "employee__name", "employee__unit__region_id", "date")
    )
    per: dict[int, dict] = {}
    for employee_id, name, region, day in rows:
        entry = per.setdefault(employee_id, {"name": name, "region": region, "days": set()})
        entry["days"].add(day)
    return sorted(
        (
            {"name": e["name"], "streak": reporting_streak(pk, e["region"], today, e["days"])}
            for pk, e in per.items()
        ),
        key=lambda r: (-r["streak"], r["name"]),
    )


def runs_visible(*, actor) -> QuerySet[TppRun]:
    return scoped(TppRun.objects.select_related("unit", "corrects"), actor, MANAGE_TPP)


def run_get(*, actor, pk) -> TppRun:
    return get_in_scope_or_404(TppRun.objects.select_related("unit"), actor, MANAGE_TPP, pk=pk)


def run_lines(run: TppRun) -> QuerySet[TppLine]:
    return run.lines.select_related("employee").order_by("employee__name", "id")


def effective_lines(*, actor) -> QuerySet[TppLine]:
    """TPP lines the actor may see (own as pegawai, team as atasan, scope as admin/pimpinan)."""
    return scoped(TppLine.objects.select_related("run", "run__unit", "employee"), actor, VIEW).order_by(
        "-run__year", "-run__month", "-run_id"
    )


def line_get(*, actor, pk) -> TppLine:
    return get_in_scope_or_404(
        TppLine.objects.select_related("run", "run__unit", "employee"), actor, VIEW, pk=pk
    )


PAYROLL_HEADERS = [
    "NIP",
    "Nama",
    "Kelas jabatan",
    "TPP dasar",
    "Hari di unit",
    "Hari kerja",
    "Kinerja (%)",
    "Potongan presensi (%)",
    "Hari tanpa laporan",
    "Potongan disiplin (%)",
    "Hukuman (%)",
    "TPP kotor",
    "TPP diterima",
    "Catatan",
]


PAYROLL_COLUMNS = (
    "employee__nip",
    "employee__name",
    "kelas_jabatan",
    "basic_amount",
    "days_in_unit",
    "working_days",
    "performance_percent",
    "attendance_cut_percent",
    "missing_report_days",
    "discipline_cut_percent",
    "sanction_cut_percent",
    "gross_amount",
    "amount",
    "problems",
)


def payroll_rows(run: TppRun):
    """The payroll sheet's rows, read as tuples: no model instances, no decryption of the employees'
    personal columns, no decoding of each line's steps and days (the sheet shows neither)."""
    rows = run_lines(run).values_list(*PAYROLL_COLUMNS)
    for (
        nip,
        name,
        kelas,
        basic,
        in_unit,
        working,
        perf,
        att,
        missing,
        disc,
        sanction,
        gross,
        amount,
        problems,
    ) in rows.iterator(chunk_size=2000):
        yield [
            nip or "",
            name,
            kelas,
            int(basic),
            in_unit,
            working,
            float(perf),
            float(att),
            missing,
            float(disc),
            float(sanction),
            int(gross),
            int(amount),
            "; ".join(problems),
        ]
