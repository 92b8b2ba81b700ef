"""The working-day calendar: Indonesian national holidays (the ``holidays`` package, including the cuti
bersama it knows) plus the days off an admin manages (cuti bersama decided later, regional days off,
a holiday cancelled for work), per region and time-zone aware. Every module counts days through this.

Conventions: ``add_working_days(d, n)`` is the n-th working day *after* d; ``working_days_between(a, b)``
counts working days d with a < d <= b (so it inverts ``add_working_days``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}
DEFAULT_WEEKEND = frozenset({5, 6})  # Saturday, Sunday (5-day week); schedules may pass their own
_CACHE_VERSION_KEY = "layan:calendar:version"


def zone_for_region(region_code: str | None) -> ZoneInfo:
    """WIB/WITA/WIT by province code (DOMAIN.md); the kabupaten's own zone when no region is given."""
    if not region_code:
        return ZoneInfo(settings.TIME_ZONE)
    province = region_code[:2]
    if province in _WIT_PROVINCES:
        return WIT
    if province in _WITA_PROVINCES:
        return WITA
    return WIB


def zone_label(zone: ZoneInfo) -> str:
    return {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(zone.key, zone.key)


def local_now(region_code: str | None = None) -> datetime:
    return timezone.now().astimezone(zone_for_region(region_code))


def local_today(region_code: str | None = None) -> date:
    return local_now(region_code).date()


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> dict[date, str]:
    return dict(holidays.Indonesia(years=year, categories=("public", "government"), language="id"))


def _cache_version() -> int:
    return cache.get_or_set(_CACHE_VERSION_KEY, 1)


def invalidate() -> None:
    """Called by the day-off services after a change, so every process sees it."""
    try:
        cache.incr(_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(_CACHE_VERSION_KEY, 2)


def _calendar_year(year: int, region_code: str | None) -> tuple[dict[date, str], frozenset[date]]:
    """(days off -> name, weekend days made working days) for a year and region, cached."""
    key = f"layan:calendar:{_cache_version()}:{year}:{region_code or ''}"
    result = cache.get(key)
    if result is not None:
        return result
    from layan.core.models import DayOff  # the calendar is imported by models' modules

    off = dict(_national_holidays(year))
    workdays = set()
    for row in DayOff.objects.filter(date__year=year).order_by("region_prefix"):  # general first
        if row.region_prefix and not (region_code or "").startswith(row.region_prefix):
            continue
        if row.is_off:
            off[row.date] = row.name
            workdays.discard(row.date)
        else:
            off.pop(row.date, None)
            workdays.add(row.date)
    result = (off, frozenset(workdays))
    cache.set(key, result, 3600)
    return result


def days_off(year: int, region_code: str | None = None) -> dict[date, str]:
    """Every day off (besides weekends) in ``year`` for a region: date -> name."""
    return _calendar_year(year, region_code)[0]


def day_off_name(day: date, region_code: str | None = None) -> str | None:
    return days_off(day.year, region_code).get(day)


def is_working_day(day: date, region_code: str | None = None, weekend=DEFAULT_WEEKEND) -> bool:
    off, workdays = _calendar_year(day.year, region_code)
    if day.weekday() in weekend:
        return day in workdays  # a hari kerja pengganti
    return day not in off


def working_days_in(
    start: date, end: date, region_code: str | None = None, weekend=DEFAULT_WEEKEND
) -> list[date]:
    """Working days from ``start`` to ``end``, both included."""
    days, day = [], start
    while day <= end:
        if is_working_day(day, region_code, weekend):
            days.append(day)
        day += timedelta(days=1)
    return days


def add_working_days(
    start: date, count: int, region_code: str | None = None, weekend=DEFAULT_WEEKEND
) -> date:
    """The ``count``-th working day after ``start`` (``count`` >= 0; 0 returns ``start``)."""
    if count < 0:
        raise ValueError("count must be >= 0")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day, region_code, weekend):
            count -= 1
    return day


def working_days_between(
    start: date, end: date, region_code: str | None = None, weekend=DEFAULT_WEEKEND
) -> int:
    """Working days d with start < d <= end (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start, region_code, weekend)
    return len(working_days_in(start + timedelta(days=1), end, region_code, weekend))


def working_deadline(start: datetime, count: int, region_code: str | None = None) -> datetime:
    """End of the ``count``-th working day after ``start``, in the region's zone (an SLA due time)."""
    zone = zone_for_region(region_code)
    local_start = start.astimezone(zone)
    due_day = add_working_days(local_start.date(), count, region_code)
    return datetime.combine(due_day, time(23, 59, 59), tzinfo=zone)
