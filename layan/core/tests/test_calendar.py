"""The working-day calendar: national holidays and cuti bersama (``holidays``), admin-managed days off per
region, replacement workdays, the add/between inverse, and deadlines in WIB, WITA and WIT."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layan.core import calendar, services
from layan.core.calendar import (
    WIB,
    WIT,
    WITA,
    add_working_days,
    day_off_name,
    is_working_day,
    working_days_between,
    working_deadline,
    zone_for_region,
)
from layan.core.models import DayOff

pytestmark = pytest.mark.django_db


def test_idul_fitri_2025_and_its_cuti_bersama_are_not_working_days():
    assert not is_working_day(date(2025, 3, 31))
    assert not is_working_day(date(2025, 4, 1))
    assert "Idul Fitri" in day_off_name(date(2025, 3, 31))
    for day in (2, 3, 4, 7):
        assert not is_working_day(date(2025, 4, day)), day
        assert day_off_name(date(2025, 4, day)).startswith("Cuti Bersama")
    # Saturday 5 and Sunday 6 April are the weekend; Tuesday 8 April is the first day back at work.
    assert not is_working_day(date(2025, 4, 5))
    assert is_working_day(date(2025, 4, 8))
    # Friday 28 March (cuti bersama Nyepi) is off too: the first working day after Thursday 27 March
    # is Tuesday 8 April.
    assert add_working_days(date(2025, 3, 27), 1) == date(2025, 4, 8)
    assert working_days_between(date(2025, 3, 27), date(2025, 4, 8)) == 1


def test_admin_added_cuti_bersama_takes_effect_at_once(bkpsdm):
    day = date(2026, 3, 2)  # a Monday with no national holiday
    assert is_working_day(day, "72.01.01")
    services.day_off_create(
        actor=bkpsdm, date=day, name="Cuti bersama tambahan", kind=DayOff.Kind.CUTI_BERSAMA
    )
    assert not is_working_day(day, "72.01.01")
    assert not is_working_day(day)
    assert day_off_name(day) == "Cuti bersama tambahan"


def test_regional_day_off_applies_only_under_its_region(bkpsdm):
    day = date(2026, 3, 3)  # Tuesday
    services.day_off_create(
        actor=bkpsdm,
        date=day,
        name="HUT Kecamatan Toili",
        kind=DayOff.Kind.REGIONAL,
        region_prefix="72.01.01",
    )
    assert not is_working_day(day, "72.01.01")
    assert not is_working_day(day, "72.01.01.2001")  # a desa inside the kecamatan
    assert is_working_day(day, "72.01.02")
    assert is_working_day(day, "72.01")
    assert is_working_day(day)
    assert working_days_between(day - timedelta(days=1), day, "72.01.01") == 0
    assert working_days_between(day - timedelta(days=1), day, "72.01.02") == 1


def test_replacement_workday_on_a_saturday_and_a_cancelled_holiday(bkpsdm):
    saturday = date(2026, 3, 7)
    assert not is_working_day(saturday)
    services.day_off_create(
        actor=bkpsdm,
        date=saturday,
        name="Hari kerja pengganti",
        kind=DayOff.Kind.WORKDAY,
        region_prefix="72.01",
    )
    assert is_working_day(saturday, "72.01.01")
    assert not is_working_day(saturday, "31.71")  # elsewhere it stays a weekend
    assert DayOff.objects.get(date=saturday).is_off is False

    holiday = date(2025, 4, 7)  # cuti bersama Idul Fitri
    services.day_off_create(
        actor=bkpsdm, date=holiday, name="Masuk kerja", kind=DayOff.Kind.WORKDAY, region_prefix="72.01"
    )
    assert is_working_day(holiday, "72.01")
    assert not is_working_day(holiday)


def test_deleting_a_day_off_restores_the_working_day(bkpsdm):
    day = date(2026, 3, 4)
    row = services.day_off_create(actor=bkpsdm, date=day, name="Libur", kind=DayOff.Kind.CUTI_BERSAMA)
    assert not is_working_day(day)
    services.day_off_delete(actor=bkpsdm, day_off=row)
    assert is_working_day(day)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=date(2024, 11, 1), max_value=date(2026, 2, 28)),
    count=st.integers(min_value=0, max_value=45),
    region=st.sampled_from([None, "72.01", "72.01.01", "72.01.02"]),
)
def test_add_working_days_and_working_days_between_are_inverse(regional_day_off, start, count, region):
    end = add_working_days(start, count, region)
    assert working_days_between(start, end, region) == count
    assert working_days_between(end, start, region) == -count
    if count:
        assert is_working_day(end, region)
        # No working day is skipped: the day before ``end`` is at most count-1 working days away.
        assert working_days_between(start, end - timedelta(days=1), region) == count - 1


@pytest.fixture
def regional_day_off(regions):
    DayOff.objects.create(
        date=date(2025, 5, 14), name="Libur daerah", kind=DayOff.Kind.REGIONAL, region_prefix="72.01.01"
    )
    DayOff.objects.create(
        date=date(2025, 5, 17),
        name="Sabtu masuk",
        kind=DayOff.Kind.WORKDAY,
        region_prefix="72.01",
        is_off=False,
    )
    calendar.invalidate()


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("11", WIB),
        ("31.71", WIB),
        ("61.01", WIB),
        ("62", WIB),
        ("36.03", WIB),
        ("16.73", WIB),
        ("51.71", WITA),
        ("63", WITA),
        ("72.01", WITA),
        ("76", WITA),
        ("81.01", WIT),
        ("82", WIT),
        ("91.01", WIT),
        ("94.71", WIT),
        ("96", WIT),
    ],
)
def test_zone_by_province_code(code, zone):
    assert zone_for_region(code) == zone


def test_working_deadline_follows_the_zone_of_the_region():
    # Monday 2 June 2025 16:30 UTC: still Monday evening in WIB, already Tuesday in WITA and WIT.
    start = datetime(2025, 6, 2, 16, 30, tzinfo=UTC)
    wib = working_deadline(start, 1, "16.73")  # Lubuklinggau
    wita = working_deadline(start, 1, "72.01")  # Banggai
    wit = working_deadline(start, 1, "94.71")  # Jayapura
    assert (wib.date(), wib.utcoffset()) == (date(2025, 6, 3), timedelta(hours=7))
    assert (wita.date(), wita.utcoffset()) == (date(2025, 6, 4), timedelta(hours=8))
    assert (wit.date(), wit.utcoffset()) == (date(2025, 6, 4), timedelta(hours=9))
    assert (wib.hour, wib.minute) == (23, 59)
    # "End of the local day": 4 June ends an hour earlier (in UTC) in Jayapura than in Luwuk.
    assert wita - wit == timedelta(hours=1)
    assert wib < wit < wita


def test_deadline_skips_the_idul_adha_long_weekend():
    # Thursday 5 June 2025, 3 working days: Fri 6 (Idul Adha) and Mon 9 (cuti bersama) are off.
    start = datetime(2025, 6, 5, 2, 0, tzinfo=UTC)
    due = working_deadline(start, 3, "72.01")
    assert due.date() == date(2025, 6, 12)
    assert due.tzinfo == WITA
