"""The attendance rules in force on a day, read from the dated data: the WFO cap of a unit, the TL/PSW
brackets, the check-in tolerances, an employee's working hours. Not personal data, so not scoped."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from time import monotonic as time_monotonic

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from layan.attendance.models import (
    ApprovalStatus,
    Area,
    AttendanceBracket,
    CheckInPolicy,
    LeaveRequest,
    RegionRiskStatus,
    Roster,
    RosterEntry,
    ScheduleAssignment,
    Sector,
    StandbyPolicy,
    WfoPpkmCapRule,
    WfoZoneCapRule,
    WorkMode,
    WorkSchedule,
)
from layan.core import calendar
from layan.org.models import OfficeLocation

JAWA_BALI_PROVINCES = frozenset({"31", "32", "33", "34", "35", "36", "51"})
EARTH_RADIUS_M = 6_371_008.8

# Typical Perbup (DOMAIN.md): Mon–Thu 07:30–16:00, Fri 07:30–16:30, check-in opens 60 min before.
DEFAULT_HOURS = {
    0: (time(7, 30), time(16, 0)),
    1: (time(7, 30), time(16, 0)),
    2: (time(7, 30), time(16, 0)),
    3: (time(7, 30), time(16, 0)),
    4: (time(7, 30), time(16, 30)),
}


def haversine_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


# --- WFO cap -------------------------------------------------------------------------------------------


def kabupaten_code(region_code: str) -> str:
    return region_code[:5]


def area_of(region_code: str) -> str:
    return Area.JAWA_BALI if region_code[:2] in JAWA_BALI_PROVINCES else Area.LUAR_JAWA_BALI


def risk_status_on(region_code: str, day: date) -> RegionRiskStatus | None:
    return RegionRiskStatus.in_force(day, region_id=kabupaten_code(region_code)).first()


@dataclass(frozen=True)
class CapDecision:
    percent: int
    basis: str

    def count(self, staff: int) -> int:
        """Staff allowed in the office: rounded down, so the cap is never exceeded."""
        return (staff * self.percent) // 100


def wfo_cap(unit, day: date) -> CapDecision:
    """The WFO cap of ``unit`` on ``day``: the PPKM rule when a level is set and a PPKM rule is in force,
    else the zone rule, else 100% (no risk status recorded)."""
    status = risk_status_on(unit.region_id, day)
    if status is None:
        return CapDecision(100, _("Tidak ada status risiko tercatat: 100%"))
    policy = getattr(unit, "work_policy", None) if hasattr(unit, "work_policy") else None
    sector = policy.sector if policy else Sector.NON_ESSENTIAL
    if status.ppkm_level:
        area = area_of(unit.region_id)
        candidates = [(area, status.zone), (area, ""), (Area.SEMUA, status.zone), (Area.SEMUA, "")]
        for cand_area, cand_zone in candidates:
            rule = WfoPpkmCapRule.in_force(
                day, level=status.ppkm_level, sector=sector, area=cand_area, zone=cand_zone
            ).first()
            if rule:
                return CapDecision(
                    rule.cap_percent,
                    _("PPKM level %(level)s, %(sector)s: %(cap)s%% (%(basis)s)")
                    % {
                        "level": status.ppkm_level,
                        "sector": rule.get_sector_display(),
                        "cap": rule.cap_percent,
                        "basis": rule.legal_basis,
                    },
                )
    if status.zone:
        rule = WfoZoneCapRule.in_force(day, zone=status.zone).first()
        if rule:
            return CapDecision(
                rule.cap_percent,
                _("Zona %(zone)s: %(cap)s%% (%(basis)s)")
                % {"zone": rule.get_zone_display(), "cap": rule.cap_percent, "basis": rule.legal_basis},
            )
    return CapDecision(100, _("Tidak ada aturan batas WFO yang berlaku: 100%"))


# --- brackets and policy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bracket:
    kind: str
    code: str
    low: int
    high: int | None
    cut: Decimal


def brackets_on(day: date) -> list[Bracket]:
    rows = (
        AttendanceBracket.objects.filter(valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("min_minutes")
    )
    return [Bracket(r.kind, r.code, r.min_minutes, r.max_minutes, r.cut_percent) for r in rows]


def bracket_code(brackets: list[Bracket], kind: str, minutes: int) -> str:
    """The TL/PSW code for ``minutes`` (0 → no code)."""
    if minutes <= 0:
        return ""
    for bracket in brackets:
        if (
            bracket.kind == kind
            and bracket.low <= minutes
            and (bracket.high is None or minutes <= bracket.high)
        ):
            return bracket.code
    return ""


def worst_code(brackets: list[Bracket], kind: str) -> str:
    """The bracket used when there is no record at all (TL4 / PSW4)."""
    open_ended = [b for b in brackets if b.kind == kind and b.high is None]
    return open_ended[0].code if open_ended else f"{kind}4"


def policy_on(day: date) -> CheckInPolicy:
    return rules_memo.get(
        ("policy", day), lambda: CheckInPolicy.in_force(day).first() or CheckInPolicy(valid_from=day)
    )


# --- rules every check-in reads, kept in memory -----------------------------------------------------------
# A check-in is the hottest request of the system (a kabupaten's morning burst), and what it reads besides
# the employee's own records changes rarely: the check-in policy, a unit's default working hours and its
# office geofences (the rules), and who in a unit has which schedule, official trip or roster mode on a day
# (the arrangements). Each process keeps them in memory. Any save or delete of their rows
# (``AttendanceConfig.ready`` connects the signals) gives the shared cache a new version token for that
# kind, at once and again on commit; a process compares its token with the shared one at most once a
# second (every time under tests), so a change counts everywhere within a second. Entries also expire
# after RULES_CACHE_SECONDS, for writes that send no signal (``update()``, ``bulk_create``, raw SQL).

RULES_CACHE_SECONDS = 300
RULES_MODELS = (
    "attendance.CheckInPolicy",
    "attendance.WorkSchedule",
    "attendance.WorkScheduleDay",
    "org.OfficeLocation",
)
# The arrangements hold the assigned schedules with their days, so a change of a schedule counts too; an
# employee who moves to another unit is an arrangement change (they are read per unit). Leave requests
# count only when they are official trips: see ``leave_changed``.
ARRANGEMENT_MODELS = (
    "attendance.ScheduleAssignment",
    "attendance.WorkSchedule",
    "attendance.WorkScheduleDay",
    "attendance.Roster",
    "attendance.RosterEntry",
    "org.Employee",
)
_RECHECK_SECONDS = 0.0 if settings.TESTING else 1.0


class ProcessMemo:
    """Values kept in this process's memory while the shared version token under ``version_key`` stays."""

    def __init__(self, version_key: str, *, max_entries: int = 1000):
        self.version_key = version_key
        self.max_entries = max_entries
        self.memory: dict = {}
        self.version = None
        self.checked = float("-inf")

    def get(self, key, load):
        now = time_monotonic()
        if now - self.checked >= _RECHECK_SECONDS:
            version = cache.get_or_set(self.version_key, lambda: uuid.uuid4().hex, None)
            if version != self.version:
                self.memory.clear()
                self.version = version
            self.checked = now
        hit = self.memory.get(key)
        if hit is not None and hit[1] > now:
            return hit[0]
        value = load()
        if len(self.memory) >= self.max_entries:  # (policies of many past days read by reports: bounded)
            self.memory.clear()
        self.memory[key] = (value, now + RULES_CACHE_SECONDS)
        return value

    def invalidate(self) -> None:
        cache.set(self.version_key, uuid.uuid4().hex, None)
        self.memory.clear()

    def changed(self, sender=None, **kwargs) -> None:
        """Signal receiver (post_save/post_delete of the rows behind the values)."""
        self.invalidate()
        transaction.on_commit(self.invalidate)  # readers between the write and its commit kept the old rows


rules_memo = ProcessMemo("layan:attendance:rules:version")
# One entry per unit and day: room for every unit of a province on a few days.
arrangements_memo = ProcessMemo("layan:attendance:arrangements:version", max_entries=20_000)


def leave_changed(sender=None, instance=None, **kwargs) -> None:
    """Signal receiver for leave requests: only an official trip (DL) changes where a check-in is allowed;
    the many other leave requests of a morning leave every unit's arrangements in memory."""
    if instance is None or instance.leave_type.code == "DL":
        arrangements_memo.changed()


@dataclass(frozen=True)
class UnitRules:
    default_schedule: WorkSchedule | None  # with its days
    offices: tuple[OfficeLocation, ...]  # active ones


def unit_rules(unit_id: int) -> UnitRules:
    def load() -> UnitRules:
        defaults = list(
            WorkSchedule.objects.filter(unit_id=unit_id, is_default=True).prefetch_related("days")
        )
        return UnitRules(
            default_schedule=defaults[-1] if defaults else None,  # (as ScheduleBook: the last one wins)
            offices=tuple(OfficeLocation.objects.filter(unit_id=unit_id, is_active=True)),
        )

    return rules_memo.get(("unit", unit_id), load)


@dataclass(frozen=True)
class UnitArrangements:
    """Who in a unit works under which schedule, official trip and roster mode on one day."""

    assignments: dict[int, list[ScheduleAssignment]]  # valid on the day; schedule and its days loaded
    trips: dict[int, LeaveRequest]  # an approved official trip (DL) covering the day
    roster_modes: dict[int, str]  # the mode in the latest published roster


def unit_arrangements(unit_id: int, day: date) -> UnitArrangements:
    """Three queries for the whole unit, then kept in memory (see above): the check-in of each of its
    employees reads a dictionary instead of three tables."""

    def load() -> UnitArrangements:
        assignments: dict[int, list[ScheduleAssignment]] = {}
        for a in (
            ScheduleAssignment.objects.filter(employee__unit_id=unit_id, valid_from__lte=day)
            .exclude(valid_to__lt=day)
            .select_related("schedule")
            .prefetch_related("schedule__days")
        ):
            assignments.setdefault(a.employee_id, []).append(a)
        trips: dict[int, LeaveRequest] = {}
        for trip in LeaveRequest.objects.filter(
            employee__unit_id=unit_id,
            status=ApprovalStatus.APPROVED,
            leave_type__code="DL",
            start__lte=day,
            end__gte=day,
        ):
            trips.setdefault(trip.employee_id, trip)  # (the latest-starting one, as the model orders them)
        roster_modes = dict(
            RosterEntry.objects.filter(
                employee__unit_id=unit_id, date=day, roster__status=Roster.Status.PUBLISHED
            )
            .order_by("roster__created_at")  # a later roster's entry overwrites an earlier one's
            .values_list("employee_id", "mode")
        )
        return UnitArrangements(assignments, trips, roster_modes)

    return arrangements_memo.get(("unit", unit_id, day), load)


def employee_mode_of_day(employee, day: date) -> tuple[str, LeaveRequest | None]:
    """WFO / WFH / PIKET from the published roster, DL from an approved official trip; WFO otherwise."""
    arrangements = unit_arrangements(employee.unit_id, day)
    trip = arrangements.trips.get(employee.pk)
    if trip is not None:
        return WorkMode.DL, trip
    return arrangements.roster_modes.get(employee.pk, WorkMode.WFO), None


def standby_policy_on(day: date) -> StandbyPolicy:
    """The stand-by ping rule in force (the model defaults when no row is)."""
    return StandbyPolicy.in_force(day).first() or StandbyPolicy(valid_from=day)


# --- working hours -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayPlan:
    """An employee's working hours on one day (aware datetimes in the unit's zone)."""

    start: datetime
    end: datetime
    grace_in: int
    grace_out: int
    opens_before: int
    closes_after: int

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.start - timedelta(minutes=self.opens_before), self.end + timedelta(
            minutes=self.closes_after
        )


class ScheduleBook:
    """Schedules of many employees resolved with a fixed number of queries (daily job, board); one
    employee's plan comes from ``employee_day_plan``."""

    def __init__(self, employees, day_from: date, day_to: date):
        employees = list(employees)
        unit_ids = {e.unit_id for e in employees}
        self.assignments: dict[int, list[ScheduleAssignment]] = {}
        for a in (
            ScheduleAssignment.objects.filter(employee__in=[e.pk for e in employees], valid_from__lte=day_to)
            .exclude(valid_to__lt=day_from)
            .select_related("schedule")
            .prefetch_related("schedule__days")
        ):
            self.assignments.setdefault(a.employee_id, []).append(a)
        self._plans: dict[tuple, DayPlan | None] = {}
        self.defaults = {
            s.unit_id: s
            for s in WorkSchedule.objects.filter(unit_id__in=unit_ids, is_default=True).prefetch_related(
                "days"
            )
        }

    def schedule_for(self, employee, day: date) -> WorkSchedule | None:
        for a in self.assignments.get(employee.pk, []):
            if a.valid_from <= day and (a.valid_to is None or a.valid_to >= day):
                return a.schedule
        return self.defaults.get(employee.unit_id)

    def plan(self, employee, day: date) -> DayPlan | None:
        schedule = self.schedule_for(employee, day)
        # Many employees share a schedule: resolve each (schedule, region, day) once (calendar lookups).
        key = (schedule.pk if schedule else None, employee.unit.region_id, day)
        if key not in self._plans:
            self._plans[key] = day_plan(schedule, employee.unit.region_id, day)
        return self._plans[key]


def day_plan(schedule: WorkSchedule | None, region_code: str, day: date) -> DayPlan | None:
    """Working hours on ``day`` under ``schedule`` (None = the default Perbup hours); None on a day off."""
    zone = calendar.zone_for_region(region_code)
    if schedule is None:
        hours = dict(DEFAULT_HOURS)
        follows_holidays, grace_in, grace_out, opens, closes = True, 0, 0, 60, 360
    else:
        hours = {d.weekday: (d.start, d.end) for d in schedule.days.all()}
        follows_holidays = schedule.follows_holidays
        grace_in, grace_out = schedule.grace_in_minutes, schedule.grace_out_minutes
        opens, closes = schedule.checkin_opens_before, schedule.checkout_closes_after
    if not hours:
        return None
    if follows_holidays:
        weekend = frozenset(set(range(7)) - set(hours))
        if not calendar.is_working_day(day, region_code, weekend):
            return None
        start_t, end_t = hours.get(day.weekday()) or next(iter(hours.values()))  # a hari kerja pengganti
    else:
        if day.weekday() not in hours:
            return None
        start_t, end_t = hours[day.weekday()]
    start = datetime.combine(day, start_t, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1) if end_t < start_t else day, end_t, tzinfo=zone)
    return DayPlan(start, end, grace_in, grace_out, opens, closes)


def employee_day_plan(employee, day: date) -> DayPlan | None:
    """One employee's working hours on ``day``, from the rules and arrangements kept in memory."""
    assignments = unit_arrangements(employee.unit_id, day).assignments.get(employee.pk)
    schedule = assignments[0].schedule if assignments else unit_rules(employee.unit_id).default_schedule
    return day_plan(schedule, employee.unit.region_id, day)
