"""Every read of the performance module, limited to the actor's scope (layan.core.scopes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _lazy

from layan.core import calendar
from layan.core.scopes import get_in_scope_or_404, require_permission, scoped
from layan.org import selectors as org_selectors
from layan.org.models import Employee, Unit
from layan.performance.models import DailyReport, Evaluation, Predikat, TppBudget, TppLine, TppRun
from layan.performance.services import MANAGE_TPP, REVIEW, VIEW, month_bounds


def own_reports(*, employee) -> QuerySet[DailyReport]:
    return DailyReport.objects.filter(employee=employee).select_related("rhk")


TEAM_DRIVE_LIMIT = 500


def team_reports(*, actor) -> QuerySet[DailyReport]:
    """Reports of the actor's team (not their own), newest first. The employee's encrypted NIK is never
    read for the list (a Fernet decryption per row was most of a large team's render).

    For a reviewer of up to ``TEAM_DRIVE_LIMIT`` people (a supervisor, most unit heads) the query is
    driven by their employees' ids: the database then reads the team's waiting reports from the
    (employee, status, submitted_at) index instead of every waiting report of the kabupaten."""
    reports = (
        scoped(DailyReport.objects.select_related("employee", "rhk"), actor, REVIEW)
        .exclude(employee__user=actor)
        .defer("employee__nik", "employee__data_warnings")
        .order_by(F("submitted_at").desc(nulls_last=True), "-id")
    )
    people = list(
        scoped(Employee.objects.all(), actor, REVIEW).values_list("pk", flat=True)[: TEAM_DRIVE_LIMIT + 1]
    )
    if len(people) <= TEAM_DRIVE_LIMIT:
        reports = reports.filter(employee_id__in=people)
    return reports


def team_reports_since(*, actor, since: datetime) -> QuerySet[DailyReport]:
    """Reports waiting for the actor that were submitted (or re-submitted) after ``since``, oldest first:
    the supervisor's open page polls this and prepends them, so the newest ends on top."""
    return (
        team_reports(actor=actor)
        .filter(status=DailyReport.Status.SUBMITTED, submitted_at__gt=since)
        .order_by("submitted_at", "id")
    )


def report_get(*, actor, pk, permission: str = VIEW) -> DailyReport:
    return get_in_scope_or_404(
        DailyReport.objects.select_related("employee", "rhk").defer("employee__nik"),
        actor,
        permission,
        pk=pk,
    )


def report_for_reader(*, actor, pk) -> DailyReport:
    """A daily report its author or a reviewer of the author may read (its evidence file too), or 404."""
    try:
        return report_get(actor=actor, pk=pk)
    except Http404:
        return report_get(actor=actor, pk=pk, permission=REVIEW)


TEAM_MEMBERS_SHOWN = 200


def team_members(*, actor) -> list[dict]:
    """The people whose reports the actor reviews, as plain rows (id, name, region): the direct reports
    when the actor has any, else the active employees of their review scope (a unit head), at most
    ``TEAM_MEMBERS_SHOWN``."""
    base = Employee.objects.filter(employment_end__isnull=True).exclude(user=actor).order_by("name", "id")
    me = Employee.objects.filter(user=actor, employment_end__isnull=True).values_list("pk", flat=True).first()
    members = base.filter(supervisor_id=me) if me else base.none()
    columns = ("pk", "name", "unit__region_id")
    rows = list(members.values_list(*columns))
    if not rows:
        rows = list(scoped(base, actor, REVIEW).values_list(*columns)[:TEAM_MEMBERS_SHOWN])
    return [{"id": pk, "name": name, "region": region} for pk, name, region in rows]


def _streak(working_days: list[date], reported: set[date], today: date) -> tuple[int, bool]:
    """Consecutive working days with a report, counting back from today (or from the previous working
    day while today is not yet reported); and whether every day of ``working_days`` was reported."""
    streak = 0
    for day in working_days:  # newest first
        if day == today and day not in reported:
            continue
        if day not in reported:
            return streak, False
        streak += 1
    return streak, True


STREAK_WINDOW_DAYS = (45, 400)


def _working_days_newest_first(start: date, end: date, region: str) -> list[date]:
    """``calendar.working_days_in`` for a long window, asking the calendar once per year for its days
    off and day by day only for weekends (a weekend may be a hari kerja pengganti): 400 cache reads per
    render were a fifth of the team page."""
    off = {}
    for year in range(start.year, end.year + 1):
        off.update(calendar.days_off(year, region))
    days, day = [], end
    while day >= start:
        if day.weekday() in calendar.DEFAULT_WEEKEND:
            if calendar.is_working_day(day, region):
                days.append(day)
        elif day not in off:
            days.append(day)
        day -= timedelta(days=1)
    return days


def team_streaks(*, actor, today: date, members: list[dict] | None = None) -> list[dict]:
    """Per team member: reported today or not, and the streak of working days reported.

    A constant number of queries whatever the team's size and history: the dates of a short window for
    everyone; for those who reported every day of it, one count (and first date) per member over the rest
    of the year, which settles everyone who reported every working day since their first report; dates
    only for the few with a gap there."""
    members = team_members(actor=actor) if members is None else members
    if not members:
        return []
    result = {m["id"]: {**m, "streak": 0, "today": False} for m in members}
    short, long = (today - timedelta(days=d) for d in STREAK_WINDOW_DAYS)
    recent_days: dict[str, list[date]] = {}  # working days newest first, per region: (short, today]
    older: dict[str, list[date]] = {}  # (long, short], only when someone's short window is full

    def recent_of(region: str) -> list[date]:
        if region not in recent_days:
            recent_days[region] = _working_days_newest_first(short + timedelta(days=1), today, region)
        return recent_days[region]

    reported: dict[int, set[date]] = {pk: set() for pk in result}
    for employee_id, day in (
        DailyReport.objects.filter(employee_id__in=list(result), date__gt=short, date__lte=today)
        .values_list("employee_id", "date")
        .order_by()
    ):
        reported[employee_id].add(day)
    full = []
    for pk, entry in result.items():
        entry["streak"], whole = _streak(recent_of(entry["region"]), reported[pk], today)
        entry["today"] = today in reported[pk]
        if whole:
            full.append(pk)
    if not full:
        return _streak_order(result)
    for region in {result[pk]["region"] for pk in full}:
        older[region] = _working_days_newest_first(long + timedelta(days=1), short, region)
    all_older = sorted({d for days in older.values() for d in days})
    counts = {
        pk: (n, first)
        for pk, n, first in DailyReport.objects.filter(employee_id__in=full, date__in=all_older)
        .values("employee_id")
        .annotate(n=Count("date", distinct=True), first=Min("date"))
        .values_list("employee_id", "n", "first")
        .order_by()
    }
    gaps = []
    for pk in full:
        n, first = counts.get(pk, (0, None))
        if first is None:
            continue  # nothing before the short window: the streak starts inside it
        since_first = [d for d in older[result[pk]["region"]] if d >= first]
        if n >= len(since_first):
            # Every working day reported since their first report of the year: no dates needed.
            result[pk]["streak"] += len(since_first)
        else:
            gaps.append(pk)
    if gaps:
        dates: dict[int, set[date]] = {pk: set() for pk in gaps}
        for employee_id, day in (
            DailyReport.objects.filter(employee_id__in=gaps, date__gt=long, date__lte=short)
            .values_list("employee_id", "date")
            .order_by()
        ):
            dates[employee_id].add(day)
        for pk in gaps:
            result[pk]["streak"] += _streak(older[result[pk]["region"]], dates[pk], today)[0]
    return _streak_order(result)


def _streak_order(result: dict[int, dict]) -> list[dict]:
    """Those who have not reported today first, then the shortest streaks."""
    return sorted(result.values(), key=lambda r: (r["today"], r["streak"], r["name"]))


def runs_visible(*, actor) -> QuerySet[TppRun]:
    return scoped(TppRun.objects.select_related("unit", "corrects"), actor, MANAGE_TPP)


def run_get(*, actor, pk) -> TppRun:
    return get_in_scope_or_404(
        TppRun.objects.select_related("unit", "reviewed_by", "locked_by"), actor, MANAGE_TPP, pk=pk
    )


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


PDF_HEADERS = [
    _lazy("NIP"),
    _lazy("Nama"),
    _lazy("Kelas"),
    _lazy("TPP dasar"),
    _lazy("Hari di unit"),
    _lazy("Kinerja (%)"),
    _lazy("Pot. disiplin (%)"),
    _lazy("Hukuman (%)"),
    _lazy("TPP kotor"),
    _lazy("TPP diterima"),
    _lazy("Catatan"),
]


def _signer(user, label: str, on) -> dict:
    """Who signs: the name and NIP of the account's employee record (else the account's name) and the
    position held."""
    employee = (
        Employee.objects.filter(user=user)
        .select_related("position")
        .only("name", "nip", "position__name")
        .first()
    )
    return {
        "label": label,
        "name": employee.name if employee else str(user),
        "nip": employee.nip if employee else "",
        "title": employee.position.name if employee and employee.position_id else "",
        "on": on,
    }


def payroll_pdf_context(run: TppRun) -> dict:
    """The signed-off payroll sheet of a reviewed or locked run: its rows, totals and signers (the reviewer
    and the one who locked it); 404 for a draft, which nobody signs."""
    if run.status == TppRun.Status.DRAFT:
        raise Http404
    rows = list(payroll_rows(run))
    signers = []
    if run.reviewed_by_id:
        signers.append(_signer(run.reviewed_by, gettext("Diperiksa oleh"), None))
    if run.locked_by_id:
        signers.append(_signer(run.locked_by, gettext("Disahkan oleh"), run.locked_at))
    return {
        "run": run,
        "period": f"{run.month:02d}/{run.year}",
        "headers": [str(h) for h in PDF_HEADERS],
        "rows": rows,
        "total_gross": sum(r[11] for r in rows),
        "signers": signers,
    }


# --- leaders' view -------------------------------------------------------------------------------------

VIEW_UNIT = "performance.view_unit"


@dataclass
class UnitFigures:
    """One row of the leaders' view (a unit, or the whole scope in ``total``)."""

    unit_id: int | None
    name: str
    staff: int = 0
    reported_today: int = 0
    waiting: int = 0
    decided: int = 0
    approval_hours_sum: float = 0.0
    predikat: dict[str, int] = field(default_factory=dict)
    tpp_month: Decimal = Decimal(0)
    tpp_year: Decimal = Decimal(0)
    budget: Decimal | None = None

    @property
    def reported_share(self) -> float | None:
        return round(self.reported_today * 100 / self.staff, 1) if self.staff else None

    @property
    def approval_hours(self) -> float | None:
        return round(self.approval_hours_sum / self.decided, 1) if self.decided else None

    @property
    def rated(self) -> int:
        return sum(self.predikat.values())

    @property
    def budget_used(self) -> float | None:
        return round(float(self.tpp_year) * 100 / float(self.budget), 1) if self.budget else None

    def add(self, other: UnitFigures) -> None:
        self.staff += other.staff
        self.reported_today += other.reported_today
        self.waiting += other.waiting
        self.decided += other.decided
        self.approval_hours_sum += other.approval_hours_sum
        for key, n in other.predikat.items():
            self.predikat[key] = self.predikat.get(key, 0) + n
        self.tpp_month += other.tpp_month
        self.tpp_year += other.tpp_year
        if other.budget is not None:
            self.budget = (self.budget or Decimal(0)) + other.budget


def leader_units(*, actor, unit_id: int | None = None) -> QuerySet[Unit]:
    """The active units of the leaders' view: all of the actor's scope (a regional head: the kabupaten;
    a unit head: their subtree), or the subtree of one unit in it (404 outside)."""
    require_permission(actor, VIEW_UNIT)
    units = org_selectors.units_visible_to(actor, VIEW_UNIT).filter(is_active=True)
    if unit_id:
        chosen = units.filter(pk=unit_id).first()
        if chosen is None:
            raise Http404
        units = units.filter(path__startswith=chosen.path)
    return units.order_by("path")


def effective_runs(unit_ids, year: int, up_to_month: int) -> dict[tuple[int, int], TppRun]:
    """The run that counts per (unit, month): the latest correction of a month, else its regular run."""
    chosen: dict[tuple[int, int], TppRun] = {}
    for run in TppRun.objects.filter(unit_id__in=unit_ids, year=year, month__lte=up_to_month).only(
        "id", "unit_id", "month", "corrects_id", "total_amount", "status"
    ):
        key = (run.unit_id, run.month)
        current = chosen.get(key)
        if current is None or (run.corrects_id and (not current.corrects_id or run.pk > current.pk)):
            chosen[key] = run
    return chosen


def leaders_summary(*, actor, year: int, month: int, unit_id: int | None = None) -> dict:
    """Per unit and for the whole scope: share of staff who reported today, reports waiting for approval,
    average approval time (reports decided in the month), predikat distribution (monthly evaluations of
    the month), TPP of the month and of the year so far against the year's budget. Aggregates only,
    a fixed number of queries whatever the number of units and employees."""
    units = list(leader_units(actor=actor, unit_id=unit_id).values_list("pk", "name"))
    ids = [pk for pk, _name in units]
    rows = {pk: UnitFigures(unit_id=pk, name=name) for pk, name in units}
    start, end = month_bounds(year, month)
    today = calendar.local_today(settings.LAYAN_REGION_CODE)

    active = Employee.objects.filter(unit_id__in=ids, employment_start__lte=today).filter(
        Q(employment_end__isnull=True) | Q(employment_end__gte=today)
    )
    for unit, n in active.values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n").order_by():
        rows[unit].staff = n
    reports = DailyReport.objects.filter(employee__unit_id__in=ids)
    for unit, n in (
        reports.filter(date=today, employee__in=active)
        .values("employee__unit_id")
        .annotate(n=Count("employee_id", distinct=True))
        .values_list("employee__unit_id", "n")
        .order_by()
    ):
        rows[unit].reported_today = n
    for unit, n in (
        reports.filter(status=DailyReport.Status.SUBMITTED)
        .values("employee__unit_id")
        .annotate(n=Count("id"))
        .values_list("employee__unit_id", "n")
        .order_by()
    ):
        rows[unit].waiting = n
    lower, upper = _month_moments(start, end)
    waited = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())
    for unit, n, total in (
        reports.filter(decided_at__range=(lower, upper), submitted_at__isnull=False)
        .values("employee__unit_id")
        .annotate(n=Count("id"), total=Sum(waited))
        .values_list("employee__unit_id", "n", "total")
        .order_by()
    ):
        rows[unit].decided = n
        rows[unit].approval_hours_sum = _hours(total)
    for unit, predikat, n in (
        Evaluation.objects.filter(
            employee__unit_id__in=ids, kind=Evaluation.Kind.MONTHLY, period_start__range=(start, end)
        )
        .values("employee__unit_id", "predikat")
        .annotate(n=Count("id"))
        .values_list("employee__unit_id", "predikat", "n")
        .order_by()
    ):
        rows[unit].predikat[predikat] = n
    for (unit, run_month), run in effective_runs(ids, year, month).items():
        rows[unit].tpp_year += run.total_amount
        if run_month == month:
            rows[unit].tpp_month += run.total_amount
    for unit, amount in TppBudget.objects.filter(unit_id__in=ids, year=year).values_list("unit_id", "amount"):
        rows[unit].budget = amount

    shown = [r for r in rows.values() if r.staff or r.waiting or r.tpp_year or r.budget is not None]
    total = UnitFigures(unit_id=None, name=gettext("Seluruh cakupan"))
    for row in shown:
        total.add(row)
    return {"units": shown, "total": total, "today": today, "start": start, "end": end}


def _month_moments(start: date, end: date) -> tuple[datetime, datetime]:
    zone = calendar.zone_for_region(settings.LAYAN_REGION_CODE)
    return datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end, time.max, tzinfo=zone)


def _hours(value) -> float:
    """A summed duration as hours (a timedelta; SQLite may hand back microseconds)."""
    if value is None:
        return 0.0
    if isinstance(value, timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000


PREDIKAT_ORDER = [p.value for p in Predikat]


def leaders_chart_data(summary: dict) -> dict:
    """What the page's charts draw (passed through json_script)."""
    units = summary["units"]
    total = summary["total"]
    return {
        "units": [u.name for u in units],
        "reported": [u.reported_share or 0 for u in units],
        "waiting": [u.waiting for u in units],
        "tpp_year": [float(u.tpp_year) for u in units],
        "budget": [float(u.budget) if u.budget is not None else None for u in units],
        "predikat_labels": [str(Predikat(p).label) for p in PREDIKAT_ORDER],
        "predikat": [total.predikat.get(p, 0) for p in PREDIKAT_ORDER],
        "labels": {
            "reported": gettext("Sudah melapor hari ini (%)"),
            "waiting": gettext("Menunggu persetujuan"),
            "tpp_year": gettext("TPP tahun berjalan (Rp)"),
            "budget": gettext("Pagu TPP (Rp)"),
        },
    }


LEADERS_HEADERS = [
    _lazy("Unit"),
    pgettext_lazy("plural", "Pegawai"),
    _lazy("Melapor hari ini"),
    _lazy("Melapor hari ini (%)"),
    _lazy("Menunggu persetujuan"),
    _lazy("Rata-rata waktu persetujuan (jam)"),
    *[Predikat(p).label for p in PREDIKAT_ORDER],
    _lazy("TPP bulan ini"),
    _lazy("TPP tahun berjalan"),
    _lazy("Pagu TPP"),
    _lazy("Terpakai (%)"),
]


def leaders_rows(summary: dict):
    for row in [*summary["units"], summary["total"]]:
        yield [
            row.name,
            row.staff,
            row.reported_today,
            row.reported_share,
            row.waiting,
            row.approval_hours,
            *[row.predikat.get(p, 0) for p in PREDIKAT_ORDER],
            int(row.tpp_month),
            int(row.tpp_year),
            int(row.budget) if row.budget is not None else None,
            row.budget_used,
        ]


def budgets_visible(*, actor) -> QuerySet[TppBudget]:
    return scoped(TppBudget.objects.select_related("unit", "set_by"), actor, MANAGE_TPP)
