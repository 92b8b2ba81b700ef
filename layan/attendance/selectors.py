"""Every read of the attendance module, limited to the actor's scope (layan.core.scopes)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Avg, Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

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
    ScheduleAssignment,
    StandbyPing,
    WorkMode,
    WorkSchedule,
)
from layan.attendance.services import mode_of_day
from layan.core import calendar
from layan.core.listing import search_q
from layan.core.scopes import get_in_scope_or_404, scoped
from layan.org.models import Employee, Unit

VIEW, REVIEW = "attendance.view", "attendance.review"
VIEW_UNITS = "attendance.view_units"  # the unit head's and BKPSDM's views across units


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


def own_corrections(*, employee: Employee) -> QuerySet[AttendanceCorrection]:
    """The employee's own correction requests, newest first."""
    return AttendanceCorrection.objects.filter(employee=employee).order_by("-date", "-pk")


def own_leave_requests(*, employee: Employee) -> QuerySet[LeaveRequest]:
    return employee.leave_requests.select_related("leave_type").order_by("-start", "-pk")


def own_swaps(*, employee: Employee, limit: int = 20) -> list[RosterSwap]:
    return list(employee.roster_swaps.select_related("partner").order_by("-date")[:limit])


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
    ping: StandbyPing | None = None
    ping_status: str = ""
    # Without a computed status: "off" (no working hours that day), "future", or "pending" (not computed yet).
    uncomputed: str = ""

    @property
    def mode_label(self) -> str:
        return dict(WorkMode.choices).get(self.mode, self.mode)


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
    pings = {p.date: p for p in StandbyPing.objects.filter(employee=employee, date__range=(start, end))}
    now = timezone.now()
    today = calendar.local_today(employee.unit.region_id)
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
            ping=pings.get(day),
        )
        if item.ping is not None:
            item.ping_status = item.ping.status_at(now)
        if row is not None:
            item.status, item.status_label = row.status, labels.get(row.status, row.status)
            item.minutes_late, item.minutes_early = row.minutes_late, row.minutes_early
            item.mode = row.mode or item.mode
        elif rules.employee_day_plan(employee, day) is None:
            item.uncomputed = "off"
        else:
            item.uncomputed = "future" if day > today else "pending"
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
    ping: StandbyPing | None = None
    ping_status: str = ""


def today_board(*, actor, unit: Unit | None = None) -> tuple[date, list[BoardRow], dict[str, int]]:
    """The live "today" board of the team (or, for the unit head's and BKPSDM's drill-down, of one unit
    already checked with ``overview_unit_get``): in office, WFH, late, absent, flagged, on leave, off, and
    today's stand-by ping of each WFH employee."""
    if unit is None:
        employees = list(team_employees(actor=actor).exclude(user=actor))
    else:
        employees = list(
            scoped(
                Employee.objects.filter(unit=unit, employment_end__isnull=True).select_related("unit"),
                actor,
                VIEW,
            )
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
    pings = {p.employee_id: p for p in StandbyPing.objects.filter(employee_id__in=ids, date=day)}
    now = calendar.local_now(region)
    rows, counts = [], defaultdict(int)
    for e in employees:
        plan = book.plan(e, day)
        checkin, checkout = ins.get(e.pk), outs.get(e.pk)
        row = BoardRow(employee=e, state="absent", checkin=checkin, checkout=checkout, ping=pings.get(e.pk))
        if row.ping is not None:
            row.ping_status = row.ping.status_at(now)
            counts[f"ping_{row.ping_status}"] += 1
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


# The recap's columns; the bracket codes (TL1…PSW4, TK, DL, WFH) are the regulation's own words.
RECAP_HEADERS = [
    "NIP",
    _lazy("Nama"),
    _lazy("Unit"),
    _lazy("Hari kerja"),
    _lazy("Hadir"),
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
    _lazy("Izin"),
    _lazy("Sakit"),
    _lazy("Cuti"),
    "DL",
    _lazy("Menit terlambat"),
    _lazy("Menit pulang cepat"),
    _lazy("Potongan disiplin (%)"),
    _lazy("Siaga tidak dijawab"),
]
RECAP_CUT_COLUMN = 21  # "Potongan disiplin (%)": a percentage, not summed in the totals row


def recap_headers() -> list[str]:
    """The recap's column names in the user's language."""
    return [str(header) for header in RECAP_HEADERS]


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
    # A kabupaten's month is ~150,000 daily rows: they are read as plain tuples without joins or sorting;
    # only the few thousand employees are then joined to their unit and sorted by name.
    totals = _recap_totals(
        rows_qs.order_by().values_list(
            "employee_id", "status", "late_code", "early_code", "minutes_late", "minutes_early"
        ),
        brackets,
    )
    per = {}
    for pk, nip, name, unit in (
        Employee.objects.filter(pk__in=rows_qs.values("employee_id"))
        .order_by("name", "pk")
        .values_list("pk", "nip", "name", "unit__name")
    ):
        if pk in totals:  # (a row written after the first read waits for the next export)
            per[pk] = {"nip": nip or "", "name": name, "unit": unit, **totals[pk]}
    missed = dict(
        scoped(StandbyPing.objects.filter(employee_id__in=list(per)), actor, VIEW)
        .filter(date__range=(start, end))
        .filter(_ping_status_q(StandbyPing.Status.MISSED, timezone.now()))
        .values("employee_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("employee_id", "n")
    )
    return [
        [rec["nip"], rec["name"], rec["unit"], *_recap_figures(rec, missed.get(key, 0))]
        for key, rec in per.items()
    ]


def _recap_totals(rows, brackets: dict) -> dict[int, dict]:
    """Counts per status, minutes and the discipline cut per employee from (employee_id, status, late_code,
    early_code, minutes_late, minutes_early) rows: the one way a month is counted, for the recap of many
    employees and for an employee's own month."""
    totals: dict[int, dict] = {}
    absent = (DayStatus.TK, DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI, DayStatus.DL)
    for key, status, late_code, early_code, minutes_late, minutes_early in rows:
        rec = totals.get(key)
        if rec is None:
            rec = totals[key] = {"counts": defaultdict(int), "late": 0, "early": 0, "cut": 0}
        counts = rec["counts"]
        if status != DayStatus.LIBUR:
            counts["work"] += 1
        if status in (DayStatus.HADIR, DayStatus.WFH_HADIR) or late_code or early_code:
            counts["present"] += 1
        if status == DayStatus.WFH_HADIR:
            counts["wfh"] += 1
        for code in (late_code, early_code):
            if code:
                counts[code] += 1
                rec["cut"] += brackets.get(code, 0)
        if status in absent:
            counts[status] += 1
        if status == DayStatus.TK:
            rec["cut"] += brackets.get("TK", 0)
        rec["late"] += minutes_late
        rec["early"] += minutes_early
    return totals


def _recap_figures(rec: dict, missed_pings: int) -> list:
    """The recap's columns after NIP, name and unit (RECAP_HEADERS[3:]), from one ``_recap_totals`` entry."""
    c = rec["counts"]
    return [
        c["work"],
        c["present"],
        c["wfh"],
        *(c[code] for code in ("TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4")),
        c["TK"],
        c["IZIN"],
        c["SAKIT"],
        c["CUTI"],
        c["DL"],
        rec["late"],
        rec["early"],
        float(min(rec["cut"], 100)),
        missed_pings,
    ]


def own_month_recap(*, employee: Employee, start: date, end: date) -> list[tuple[str, object]]:
    """An employee's own month counted exactly as the monthly recap counts it: (column, value) pairs."""
    rows = DailyAttendance.objects.filter(employee=employee, date__range=(start, end)).values_list(
        "employee_id", "status", "late_code", "early_code", "minutes_late", "minutes_early"
    )
    brackets = {b.code: b.cut for b in rules.brackets_on(end)}
    rec = _recap_totals(rows, brackets).get(employee.pk) or {
        "counts": defaultdict(int),
        "late": 0,
        "early": 0,
        "cut": 0,
    }
    missed = (
        StandbyPing.objects.filter(employee=employee, date__range=(start, end))
        .filter(_ping_status_q(StandbyPing.Status.MISSED, timezone.now()))
        .count()
    )
    return list(zip(recap_headers()[3:], _recap_figures(rec, missed), strict=True))


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


# --- stand-by while WFH --------------------------------------------------------------------------------


def open_standby_ping(*, employee: Employee) -> StandbyPing | None:
    """The ping waiting for the employee's answer now, if any."""
    return (
        StandbyPing.objects.filter(
            employee=employee, status=StandbyPing.Status.SENT, expires_at__gt=timezone.now()
        )
        .order_by("-sent_at")
        .first()
    )


def _with_current_status(pings: QuerySet[StandbyPing]) -> QuerySet[StandbyPing]:
    """``current_status``: the status as read now (a ping past its window is missed before the job runs)."""
    return pings.annotate(
        current_status=Case(
            When(status=StandbyPing.Status.SENT, expires_at__lte=timezone.now(), then=Value("missed")),
            default=F("status"),
            output_field=CharField(),
        )
    )


def own_standby_pings(*, employee: Employee) -> QuerySet[StandbyPing]:
    return _with_current_status(StandbyPing.objects.filter(employee=employee)).order_by("-sent_at", "-pk")


def own_standby_ping_get(*, actor, pk) -> StandbyPing:
    """A ping of the actor's own (only the pinged employee answers it): 404 for anyone else's."""
    return get_in_scope_or_404(
        StandbyPing.objects.filter(employee__user=actor).select_related("employee__unit"), actor, VIEW, pk=pk
    )


def _ping_status_q(status: str, now) -> Q:
    sent = Q(status=StandbyPing.Status.SENT)
    if status == StandbyPing.Status.MISSED:
        return Q(status=StandbyPing.Status.MISSED) | (sent & Q(expires_at__lte=now))
    if status == StandbyPing.Status.SENT:
        return sent & Q(expires_at__gt=now)
    return Q(status=status)


def team_standby_pings(
    *, actor, start: date, end: date, status: str = "", search: str = ""
) -> QuerySet[StandbyPing]:
    """The pings of the actor's team (or unit/region scope) in a period; a ping past its window counts as
    missed even before the expiry job marked it."""
    pings = (
        scoped(StandbyPing.objects.select_related("employee", "employee__unit"), actor, REVIEW)
        .exclude(employee__user=actor)
        .filter(date__range=(start, end))
    )
    if status in StandbyPing.Status.values:
        pings = pings.filter(_ping_status_q(status, timezone.now()))
    if search:
        pings = pings.filter(search_q(search, ["employee__name", "employee__nip"]))
    return _with_current_status(pings).order_by("-sent_at", "-pk")


def standby_counts(pings: QuerySet[StandbyPing]) -> dict[str, int]:
    """Answered / waiting / missed counts and the mean response time (minutes) of a set of pings."""
    now = timezone.now()
    result = pings.order_by().aggregate(
        answered=Count("pk", filter=Q(status=StandbyPing.Status.ANSWERED)),
        sent=Count("pk", filter=_ping_status_q(StandbyPing.Status.SENT, now)),
        missed=Count("pk", filter=_ping_status_q(StandbyPing.Status.MISSED, now)),
        mean_seconds=Avg("response_seconds", filter=Q(status=StandbyPing.Status.ANSWERED)),
    )
    mean = result.pop("mean_seconds")
    result["mean_minutes"] = round(mean / 60, 1) if mean is not None else None
    return result


STANDBY_HEADERS = ["NIP", "Nama", "Unit", "Tanggal", "Dikirim", "Batas", "Dijawab", "Menit", "Status"]


def standby_export_rows(pings: QuerySet[StandbyPing]) -> list[list]:
    labels = dict(StandbyPing.Status.choices)
    return [
        [
            p.employee.nip or "",
            p.employee.name,
            p.employee.unit.name,
            p.date,
            p.sent_at,
            p.expires_at,
            p.answered_at,
            p.response_minutes,
            str(labels[p.current_status]),
        ]
        for p in pings
    ]


# --- the unit head's and BKPSDM's view across units --------------------------------------------------------


def overview_units(*, actor) -> QuerySet[Unit]:
    """The units the actor sees in the overview: the unit head their subtree, BKPSDM and the pimpinan
    the whole kabupaten (the role assignment's scope decides)."""
    return scoped(Unit.objects.filter(is_active=True), actor, VIEW_UNITS)


def overview_unit_get(*, actor, pk) -> Unit:
    return get_in_scope_or_404(Unit.objects.filter(is_active=True), actor, VIEW_UNITS, pk=pk)


@dataclass
class UnitOverviewRow:
    unit: Unit
    working_day: bool = True
    started: bool = True  # the working day has begun (absence counts only after the start)
    staff: int = 0
    present: int = 0
    office: int = 0
    wfh: int = 0
    late: int = 0
    leave: int = 0
    flagged: int = 0
    absent: int = 0
    month_days: int = 0  # employee-days to work this month (status other than LIBUR)
    month_present: int = 0
    month_late: int = 0
    month_early: int = 0
    month_tk: int = 0
    month_leave: int = 0
    month_flagged: int = 0
    month_ping_missed: int = 0

    @property
    def month_rate(self) -> float | None:
        """Share of the month's employee working days with a presence (%)."""
        return round(100 * self.month_present / self.month_days, 1) if self.month_days else None


_TODAY_FIELDS = ("staff", "present", "office", "wfh", "late", "leave", "flagged", "absent")
_MONTH_FIELDS = (
    "month_days",
    "month_present",
    "month_late",
    "month_early",
    "month_tk",
    "month_leave",
    "month_flagged",
    "month_ping_missed",
)


def _unit_plans(units: list[Unit], day: date) -> tuple[dict[int, rules.DayPlan | None], Q | None]:
    """Each unit's default working hours on ``day`` and the "checked in late" condition for check-ins of
    that day, as one OR of per-unit (and per individual schedule) thresholds — no query per unit."""
    defaults = {
        s.unit_id: s
        for s in WorkSchedule.objects.filter(unit__in=units, is_default=True).prefetch_related("days")
    }
    plans = {u.pk: rules.day_plan(defaults.get(u.pk), u.region_id, day) for u in units}
    conditions = [
        Q(employee__unit_id=unit_id, recorded_at__gte=plan.start + timedelta(minutes=plan.grace_in + 1))
        for unit_id, plan in plans.items()
        if plan is not None
    ]
    # Employees on their own schedule (shift workers): their schedule's hours decide.
    region_of = {u.pk: u.region_id for u in units}
    own: dict[tuple, list[int]] = defaultdict(list)
    schedules = {}
    for a in (
        ScheduleAssignment.objects.filter(
            employee__unit__in=units, employee__employment_end__isnull=True, valid_from__lte=day
        )
        .exclude(valid_to__lt=day)
        .select_related("schedule", "employee")
        .prefetch_related("schedule__days")
    ):
        own[(a.schedule_id, region_of[a.employee.unit_id])].append(a.employee_id)
        schedules[a.schedule_id] = a.schedule
    if own:
        assigned = [pk for ids in own.values() for pk in ids]
        conditions = [c & ~Q(employee_id__in=assigned) for c in conditions]
        for (schedule_id, region), ids in own.items():
            plan = rules.day_plan(schedules[schedule_id], region, day)
            if plan is not None:
                conditions.append(
                    Q(employee_id__in=ids, recorded_at__gte=plan.start + timedelta(minutes=plan.grace_in + 1))
                )
    late = None
    for condition in conditions:
        late = condition if late is None else late | condition
    return plans, late


def units_overview(
    *, actor, month: date, search: str = "", kind: str = ""
) -> tuple[date, list[UnitOverviewRow], UnitOverviewRow]:
    """One row per unit in the actor's overview scope: today's counts (in office, WFH, late, absent, on
    leave, flagged check-ins waiting for review) and the month's (presence, TL, PSW, TK, leave, flagged
    days, missed stand-by pings). Each figure comes from one grouped query over all the units, never a
    query per unit. Returns (today, rows, totals)."""
    units = overview_units(actor=actor).select_related("region")
    if search:
        units = units.filter(search_q(search, ["name", "code"]))
    if kind:
        units = units.filter(kind=kind)
    units = list(units.order_by("path"))
    rows = {u.pk: UnitOverviewRow(unit=u) for u in units}
    total = UnitOverviewRow(unit=None)
    if not units:
        return calendar.local_today(), [], total
    # Units of one kabupaten share a time zone; a province spanning two would get one pass per local date.
    by_day: dict[date, list[Unit]] = defaultdict(list)
    for u in units:
        by_day[calendar.local_today(u.region_id)].append(u)
    now = timezone.now()
    for day, group in by_day.items():
        ids = [u.pk for u in group]
        plans, late_q = _unit_plans(group, day)
        for u in group:
            plan = plans[u.pk]
            rows[u.pk].working_day = plan is not None
            rows[u.pk].started = plan is not None and now >= plan.start
        for r in (
            Employee.objects.filter(unit_id__in=ids, employment_end__isnull=True)
            .values("unit_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            rows[r["unit_id"]].staff = r["n"]
        counted = (
            CheckIn.objects.filter(
                employee__unit_id__in=ids,
                local_date=day,
                kind=CheckIn.Kind.IN,
                employee__employment_end__isnull=True,
            )
            .exclude(status=CheckIn.Status.REFUSED)
            .exclude(review=CheckIn.Review.REJECTED)
        )
        for r in (
            counted.values("employee__unit_id")
            .annotate(
                present=Count("employee", distinct=True),
                wfh=Count("employee", distinct=True, filter=Q(mode=WorkMode.WFH)),
                office=Count("employee", distinct=True, filter=~Q(mode=WorkMode.WFH)),
                late=Count("employee", distinct=True, filter=late_q) if late_q is not None else Value(0),
                flagged=Count("pk", filter=Q(status=CheckIn.Status.FLAGGED, review=CheckIn.Review.PENDING)),
            )
            .order_by()
        ):
            row = rows[r["employee__unit_id"]]
            row.present, row.wfh, row.office = r["present"], r["wfh"], r["office"]
            row.late, row.flagged = r["late"], r["flagged"]
        for r in (
            LeaveRequest.objects.filter(
                employee__unit_id__in=ids,
                employee__employment_end__isnull=True,
                status="approved",
                start__lte=day,
                end__gte=day,
            )
            .values("employee__unit_id")
            .annotate(n=Count("employee", distinct=True))
            .order_by()
        ):
            rows[r["employee__unit_id"]].leave = r["n"]
        for u in group:
            row = rows[u.pk]
            if row.working_day and row.started:
                row.absent = max(0, row.staff - row.present - row.leave)
    start = month.replace(day=1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    ids = list(rows)
    present_q = Q(status__in=[DayStatus.HADIR, DayStatus.WFH_HADIR]) | ~Q(late_code="") | ~Q(early_code="")
    for r in (
        DailyAttendance.objects.filter(employee__unit_id__in=ids, date__range=(start, end))
        .values("employee__unit_id")
        .annotate(
            days=Count("pk", filter=~Q(status=DayStatus.LIBUR)),
            present=Count("pk", filter=present_q),
            late=Count("pk", filter=~Q(late_code="")),
            early=Count("pk", filter=~Q(early_code="")),
            tk=Count("pk", filter=Q(status=DayStatus.TK)),
            leave=Count(
                "pk", filter=Q(status__in=[DayStatus.IZIN, DayStatus.SAKIT, DayStatus.CUTI, DayStatus.DL])
            ),
            flagged=Count("pk", filter=Q(flagged=True)),
        )
        .order_by()
    ):
        row = rows[r["employee__unit_id"]]
        row.month_days, row.month_present, row.month_late = r["days"], r["present"], r["late"]
        row.month_early, row.month_tk, row.month_leave = r["early"], r["tk"], r["leave"]
        row.month_flagged = r["flagged"]
    for r in (
        StandbyPing.objects.filter(employee__unit_id__in=ids, date__range=(start, end))
        .filter(_ping_status_q(StandbyPing.Status.MISSED, now))
        .values("employee__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[r["employee__unit_id"]].month_ping_missed = r["n"]
    out = list(rows.values())
    for field_name in (*_TODAY_FIELDS, *_MONTH_FIELDS):
        setattr(total, field_name, sum(getattr(r, field_name) for r in out))
    return min(by_day), out, total


UNITS_OVERVIEW_HEADERS = [
    "Kode unit",
    "Unit",
    "Pegawai",
    "Hadir hari ini",
    "Di kantor",
    "WFH",
    "Terlambat",
    "Belum hadir/TK",
    "Cuti/izin/DL",
    "Presensi ditandai",
    "Hari kerja pegawai (bulan)",
    "Hadir (bulan)",
    "Kehadiran (%)",
    "TL (bulan)",
    "PSW (bulan)",
    "TK (bulan)",
    "Cuti/izin/DL (bulan)",
    "Hari ditandai (bulan)",
    "Siaga tidak dijawab (bulan)",
]


def units_overview_export_rows(rows: list[UnitOverviewRow]) -> list[list]:
    return [
        [
            r.unit.code,
            r.unit.name,
            r.staff,
            r.present,
            r.office,
            r.wfh,
            r.late,
            r.absent,
            r.leave,
            r.flagged,
            r.month_days,
            r.month_present,
            r.month_rate,
            r.month_late,
            r.month_early,
            r.month_tk,
            r.month_leave,
            r.month_flagged,
            r.month_ping_missed,
        ]
        for r in rows
    ]


# --- the recap as a signed document --------------------------------------------------------------------


def unit_head(unit: Unit) -> Employee | None:
    """Who signs for the unit: the holder of the kepala_unit role for exactly this unit, else the active
    employee of the unit whose supervisor is outside it with the most direct reports inside it."""
    from layan.core.models import RoleAssignment

    today = calendar.local_today(unit.region_id)
    holders = (
        RoleAssignment.objects.filter(role="kepala_unit", scope_unit=unit, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values("user_id")
    )
    active = Employee.objects.filter(unit=unit, employment_end__isnull=True)
    head = active.filter(user_id__in=holders).order_by("pk").first()
    if head is not None:
        return head
    return (
        active.exclude(supervisor__unit=unit)
        .annotate(
            reports=Count(
                "direct_reports",
                filter=Q(direct_reports__unit=unit, direct_reports__employment_end__isnull=True),
            )
        )
        .order_by("-reports", "-position__kelas_jabatan", "pk")
        .first()
    )


def recap_totals(rows: list[list]) -> list:
    """The sum of each numeric column of ``monthly_recap`` rows (the cut is per employee: not summed)."""
    if not rows:
        return []
    return [
        "" if i < 3 or i == RECAP_CUT_COLUMN else sum(r[i] for r in rows) for i in range(len(RECAP_HEADERS))
    ]
