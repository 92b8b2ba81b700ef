"""Every read of the attendance module, limited to the actor's scope (layan.core.scopes)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from layan.attendance import rules
from layan.attendance.models import (
    AttendanceCorrection,
    CheckIn,
    DailyAttendance,
    DayStatus,
    LeaveBalance,
    LeaveRequest,
    Roster,
    RosterEntry,
    RosterSwap,
    WorkMode,
)
from layan.attendance.services import mode_of_day
from layan.core import calendar
from layan.core.scopes import get_in_scope_or_404, scoped
from layan.org.models import Employee

VIEW, REVIEW = "attendance.view", "attendance.review"


def checkin_list(*, actor, permission: str = VIEW) -> QuerySet[CheckIn]:
    return scoped(CheckIn.objects.select_related("employee", "employee__unit"), actor, permission)


def checkin_get(*, actor, pk, permission: str = VIEW) -> CheckIn:
    return get_in_scope_or_404(
        CheckIn.objects.select_related("employee", "employee__unit"), actor, permission, pk=pk
    )


def daily_list(*, actor) -> QuerySet[DailyAttendance]:
    return scoped(DailyAttendance.objects.select_related("employee", "employee__unit"), actor, VIEW)


def leave_list(*, actor, permission: str = VIEW) -> QuerySet[LeaveRequest]:
    return scoped(LeaveRequest.objects.select_related("employee", "leave_type"), actor, permission)


def leave_get(*, actor, pk, permission: str = REVIEW) -> LeaveRequest:
    return get_in_scope_or_404(
        LeaveRequest.objects.select_related("employee", "leave_type"), actor, permission, pk=pk
    )


def correction_list(*, actor, permission: str = VIEW) -> QuerySet[AttendanceCorrection]:
    return scoped(AttendanceCorrection.objects.select_related("employee"), actor, permission)


def correction_get(*, actor, pk, permission: str = REVIEW) -> AttendanceCorrection:
    return get_in_scope_or_404(
        AttendanceCorrection.objects.select_related("employee"), actor, permission, pk=pk
    )


def roster_list(*, actor, permission: str = "attendance.manage_roster") -> QuerySet[Roster]:
    return scoped(Roster.objects.select_related("unit"), actor, permission)


def team_employees(*, actor) -> QuerySet[Employee]:
    """The employees whose attendance the actor reviews (direct reports, or a unit/region scope)."""
    return scoped(
        Employee.objects.filter(employment_end__isnull=True).select_related("unit"),
        actor,
        "attendance.review",
    )


def balances_of(employee: Employee, year: int) -> QuerySet[LeaveBalance]:
    return LeaveBalance.objects.filter(employee=employee, year=year).select_related("leave_type")


@dataclass
class BalanceView:
    name: str
    entitlement: int
    carried_over: int
    used: int
    pending: int

    @property
    def remaining(self) -> int:
        return self.entitlement + self.carried_over - self.used


def leave_balances(employee: Employee, year: int) -> list[BalanceView]:
    """Every leave type with a yearly quota, as the employee would see it now (read only: a balance not yet
    stored shows its entitlement and the carry-over it would get)."""
    from layan.attendance.models import ApprovalStatus, LeaveType

    stored = {
        (b.leave_type_id, b.year): b
        for b in LeaveBalance.objects.filter(employee=employee, year__in=[year, year - 1])
    }
    out = []
    for leave_type in LeaveType.objects.filter(yearly_quota__isnull=False, yearly_quota__gt=0):
        pending = sum(
            LeaveRequest.objects.filter(
                employee=employee, leave_type=leave_type, status=ApprovalStatus.SUBMITTED, start__year=year
            ).values_list("working_days", flat=True)
        )
        balance = stored.get((leave_type.pk, year))
        if balance is not None:
            out.append(
                BalanceView(leave_type.name, balance.entitlement, balance.carried_over, balance.used, pending)
            )
            continue
        previous = stored.get((leave_type.pk, year - 1))
        carried = min(max(previous.remaining, 0), leave_type.carry_over_max) if previous else 0
        out.append(BalanceView(leave_type.name, leave_type.yearly_quota, carried, 0, pending))
    return out


def pending_leaves(*, actor) -> QuerySet[LeaveRequest]:
    """Requests waiting for the actor's decision (their team; never their own)."""
    return (
        leave_list(actor=actor, permission=REVIEW)
        .filter(status="submitted")
        .exclude(employee__user=actor)
        .order_by("start", "pk")
    )


def pending_corrections(*, actor) -> QuerySet[AttendanceCorrection]:
    return (
        correction_list(actor=actor, permission=REVIEW)
        .filter(status="submitted")
        .exclude(employee__user=actor)
        .order_by("date", "pk")
    )


# --- the employee's own week / month --------------------------------------------------------------------


@dataclass
class OwnDay:
    date: date
    status: str = ""
    status_label: str = ""
    mode: str = ""
    minutes_late: int = 0
    minutes_early: int = 0
    checkins: list = field(default_factory=list)
    corrections: list = field(default_factory=list)
    day_off: str = ""


def own_days(*, employee: Employee, start: date, end: date) -> list[OwnDay]:
    """Each day of the period with its computed status (if any), check-ins with their flags, corrections."""
    daily = {d.date: d for d in DailyAttendance.objects.filter(employee=employee, date__range=(start, end))}
    checkins = defaultdict(list)
    for c in CheckIn.objects.filter(employee=employee, local_date__range=(start, end)).order_by(
        "recorded_at"
    ):
        checkins[c.local_date].append(c)
    corrections = defaultdict(list)
    for c in AttendanceCorrection.objects.filter(employee=employee, date__range=(start, end)):
        corrections[c.date].append(c)
    modes = dict(
        RosterEntry.objects.filter(
            employee=employee, date__range=(start, end), roster__status=Roster.Status.PUBLISHED
        ).values_list("date", "mode")
    )
    days, day = [], start
    labels = dict(DayStatus.choices)
    while day <= end:
        row = daily.get(day)
        item = OwnDay(
            date=day,
            checkins=checkins.get(day, []),
            corrections=corrections.get(day, []),
            mode=modes.get(day, ""),
            day_off=calendar.day_off_name(day, employee.unit.region_id) or "",
        )
        if row is not None:
            item.status, item.status_label = row.status, labels.get(row.status, row.status)
            item.minutes_late, item.minutes_early = row.minutes_late, row.minutes_early
            item.mode = row.mode or item.mode
        days.append(item)
        day += timedelta(days=1)
    return days


# --- today ---------------------------------------------------------------------------------------------


@dataclass
class TodayInfo:
    day: date
    mode: str
    mode_label: str
    plan: rules.DayPlan | None
    checked_in: CheckIn | None
    checked_out: CheckIn | None
    zone_label: str


def today_for(employee: Employee) -> TodayInfo:
    day = calendar.local_today(employee.unit.region_id)
    mode, _trip = mode_of_day(employee, day)
    counted = (
        CheckIn.objects.filter(employee=employee, local_date=day)
        .exclude(status=CheckIn.Status.REFUSED)
        .order_by("recorded_at")
    )
    return TodayInfo(
        day=day,
        mode=mode,
        mode_label=dict(WorkMode.choices)[mode],
        plan=rules.employee_day_plan(employee, day),
        checked_in=counted.filter(kind=CheckIn.Kind.IN).first(),
        checked_out=counted.filter(kind=CheckIn.Kind.OUT).last(),
        zone_label=calendar.zone_label(calendar.zone_for_region(employee.unit.region_id)),
    )


@dataclass
class BoardRow:
    employee: Employee
    state: str  # office | wfh | late | absent | flagged | leave | off
    checkin: CheckIn | None = None
    checkout: CheckIn | None = None
    minutes_late: int = 0
    note: str = ""


def today_board(*, actor, unit_id: int | None = None) -> tuple[date, list[BoardRow], dict[str, int]]:
    """The live "today" board of the team: in office, WFH, late, absent, flagged, on leave, off."""
    employees = list(
        team_employees(actor=actor).exclude(user=actor)
        if unit_id is None
        else team_employees(actor=actor).filter(unit_id=unit_id)
    )
    if not employees:
        return calendar.local_today(), [], {}
    region = employees[0].unit.region_id
    day = calendar.local_today(region)
    ids = [e.pk for e in employees]
    book = rules.ScheduleBook(employees, day, day)
    ins, outs = {}, {}
    for c in (
        CheckIn.objects.filter(employee_id__in=ids, local_date=day)
        .exclude(status=CheckIn.Status.REFUSED)
        .order_by("recorded_at")
    ):
        if c.kind == CheckIn.Kind.IN:
            ins.setdefault(c.employee_id, c)
        else:
            outs[c.employee_id] = c
    leaves = {
        lr.employee_id: lr
        for lr in LeaveRequest.objects.filter(
            employee_id__in=ids, status="approved", start__lte=day, end__gte=day
        ).select_related("leave_type")
    }
    now = calendar.local_now(region)
    rows, counts = [], defaultdict(int)
    for e in employees:
        plan = book.plan(e, day)
        checkin, checkout = ins.get(e.pk), outs.get(e.pk)
        row = BoardRow(employee=e, state="absent", checkin=checkin, checkout=checkout)
        if e.pk in leaves:
            row.state, row.note = "leave", leaves[e.pk].leave_type.name
        elif plan is None:
            row.state = "off"
        elif checkin is None:
            row.state = "absent" if now > plan.start else "waiting"
        else:
            late = max(0, int((checkin.recorded_at - plan.start).total_seconds() // 60))
            row.minutes_late = late if late > plan.grace_in else 0
            if checkin.status == CheckIn.Status.FLAGGED and checkin.review != CheckIn.Review.CONFIRMED:
                row.state = "flagged"
            elif row.minutes_late:
                row.state = "late"
            elif checkin.mode == WorkMode.WFH:
                row.state = "wfh"
            else:
                row.state = "office"
        counts[row.state] += 1
        rows.append(row)
    order = {"flagged": 0, "absent": 1, "late": 2, "waiting": 3, "office": 4, "wfh": 5, "leave": 6, "off": 7}
    rows.sort(key=lambda r: (order[r.state], r.employee.name))
    return day, rows, dict(counts)


# --- monthly recap -------------------------------------------------------------------------------------


RECAP_HEADERS = [
    "NIP",
    "Nama",
    "Unit",
    "Hari kerja",
    "Hadir",
    "WFH",
    "TL1",
    "TL2",
    "TL3",
    "TL4",
    "PSW1",
    "PSW2",
    "PSW3",
    "PSW4",
    "TK",
    "Izin",
    "Sakit",
    "Cuti",
    "DL",
    "Menit terlambat",
    "Menit pulang cepat",
    "Potongan disiplin (%)",
]


def monthly_recap(
    *, actor, year: int, month: int, unit_id: int | None = None, search: str = ""
) -> list[list]:
    """One row per employee in scope for a month: counts per status, minutes, the discipline cut (capped at
    100%) — the input the TPP uses."""
    start = date(year, month, 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    rows_qs = daily_list(actor=actor).filter(date__range=(start, end))
    if unit_id:
        rows_qs = rows_qs.filter(employee__unit_id=unit_id)
    if search:
        rows_qs = rows_qs.filter(Q(employee__name__icontains=search) | Q(employee__nip__icontains=search))
    brackets = {b.code: b.cut for b in rules.brackets_on(end)}
    per = {}
    for d in rows_qs.values(
        "employee_id",
        "employee__nip",
        "employee__name",
        "employee__unit__name",
        "status",
        "late_code",
        "early_code",
        "minutes_late",
        "minutes_early",
    ).order_by("employee__name"):
        key = d["employee_id"]
        rec = per.setdefault(
            key,
            {
                "nip": d["employee__nip"] or "",
                "name": d["employee__name"],
                "unit": d["employee__unit__name"],
                "counts": defaultdict(int),
                "late": 0,
                "early": 0,
                "cut": 0,
            },
        )
        status = d["status"]
        counts = rec["counts"]
        if status != DayStatus.LIBUR:
            counts["work"] += 1
        if status in (DayStatus.HADIR, DayStatus.WFH_HADIR) or d["late_code"] or d["early_code"]:
            counts["present"] += 1
        if status == DayStatus.WFH_HADIR:
            counts["wfh"] += 1
        for code in (d["late_code"], d["early_code"]):
            if code:
                counts[code] += 1
                rec["cut"] += brackets.get(code, 0)
        if status in (DayStatus.TK, DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI, DayStatus.DL):
            counts[status] += 1
        if status == DayStatus.TK:
            rec["cut"] += brackets.get("TK", 0)
        rec["late"] += d["minutes_late"]
        rec["early"] += d["minutes_early"]
    out = []
    for rec in per.values():
        c = rec["counts"]
        out.append(
            [
                rec["nip"],
                rec["name"],
                rec["unit"],
                c["work"],
                c["present"],
                c["wfh"],
                c["TL1"],
                c["TL2"],
                c["TL3"],
                c["TL4"],
                c["PSW1"],
                c["PSW2"],
                c["PSW3"],
                c["PSW4"],
                c["TK"],
                c["IZIN"],
                c["SAKIT"],
                c["CUTI"],
                c["DL"],
                rec["late"],
                rec["early"],
                float(min(rec["cut"], 100)),
            ]
        )
    return out


def absence_ladder(*, actor, year: int) -> list[dict]:
    """PP 94/2021: cumulative TK days per year and the step reached (the sanction is a human decision)."""
    steps = [
        (28, "Pemberhentian"),
        (25, "Pindah ke jabatan pelaksana 12 bulan"),
        (21, "Penurunan jabatan 12 bulan"),
        (17, "Pemotongan tunjangan 25% selama 12 bulan"),
        (14, "Pemotongan tunjangan 25% selama 9 bulan"),
        (11, "Pemotongan tunjangan 25% selama 6 bulan"),
        (7, "Pernyataan tidak puas secara tertulis"),
        (4, "Teguran tertulis"),
        (3, "Teguran lisan"),
    ]
    totals = defaultdict(int)
    names = {}
    for d in (
        daily_list(actor=actor)
        .filter(date__year=year, status=DayStatus.TK)
        .values("employee_id", "employee__name")
    ):
        totals[d["employee_id"]] += 1
        names[d["employee_id"]] = d["employee__name"]
    alerts = []
    for employee_id, days in totals.items():
        step = next((label for threshold, label in steps if days >= threshold), "")
        if step:
            alerts.append(
                {"employee_id": employee_id, "name": names[employee_id], "days": days, "step": step}
            )
    return sorted(alerts, key=lambda a: -a["days"])


def roster_get(*, actor, pk, permission: str = "attendance.manage_roster") -> Roster:
    return get_in_scope_or_404(Roster.objects.select_related("unit"), actor, permission, pk=pk)


def roster_grid(roster: Roster) -> tuple[list[date], list[dict], list[int]]:
    """Days of the roster and one row per employee: name, modes per day (blank = not a working day)."""
    entries = list(roster.entries.select_related("employee").order_by("employee__name", "date"))
    days = sorted({e.date for e in entries})
    rows: dict[int, dict] = {}
    for e in entries:
        row = rows.setdefault(e.employee_id, {"employee": e.employee, "modes": {}})
        row["modes"][e.date] = e.mode
    out = []
    for row in rows.values():
        row["cells"] = [row["modes"].get(d, "") for d in days]
        out.append(row)
    onsite = [sum(1 for r in out if r["modes"].get(d) in (WorkMode.WFO, WorkMode.PIKET)) for d in days]
    return days, out, onsite


def own_roster(*, employee: Employee, start: date, end: date) -> list[RosterEntry]:
    """The employee's own published roster entries (a draft is not theirs to see yet)."""
    return list(
        RosterEntry.objects.filter(
            employee=employee, date__range=(start, end), roster__status=Roster.Status.PUBLISHED
        )
        .select_related("roster")
        .order_by("date")
    )


def swap_partners(*, employee: Employee) -> QuerySet[Employee]:
    return Employee.objects.filter(unit_id=employee.unit_id, employment_end__isnull=True).exclude(
        pk=employee.pk
    )


def pending_swaps(*, actor) -> QuerySet[RosterSwap]:
    return (
        scoped(RosterSwap.objects.select_related("employee", "partner", "roster"), actor, REVIEW)
        .filter(status="submitted")
        .exclude(employee__user=actor)
        .exclude(partner__user=actor)
        .order_by("date", "pk")
    )


def swap_get(*, actor, pk) -> RosterSwap:
    return get_in_scope_or_404(RosterSwap.objects.select_related("employee", "partner"), actor, REVIEW, pk=pk)


def manual_lists(*, actor):
    from layan.attendance.models import ManualAttendanceList

    return scoped(
        ManualAttendanceList.objects.select_related("unit", "created_by"), actor, "attendance.manage_roster"
    )
