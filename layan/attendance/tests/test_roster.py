"""WFO caps from the dated rules and the roster generator that never exceeds them."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layan.attendance import rules, services
from layan.attendance.models import (
    RegionRiskStatus,
    RosterEntry,
    UnitWorkPolicy,
    WfoExemption,
    WorkFromHomeProfile,
    WorkMode,
)
from layan.conftest import make_employee
from layan.org.models import Unit
from layan.regions.models import Region

MONDAY = date(2020, 10, 5)
_serial = count(1)


@pytest.mark.django_db
def test_region_risk_set_closes_the_previous_status_and_is_audited(regions, bkpsdm):
    first = services.region_risk_set(
        actor=bkpsdm, region_code="72.01", zone="kuning", valid_from=date(2020, 10, 1)
    )
    second = services.region_risk_set(
        actor=bkpsdm, region_code="72.01", zone="merah", valid_from=date(2020, 11, 1)
    )
    first.refresh_from_db()
    assert first.valid_to == date(2020, 10, 31) and second.valid_to is None
    assert rules.risk_status_on("72.01.01", date(2020, 10, 15)).zone == "kuning"
    assert rules.risk_status_on("72.01.01", date(2020, 11, 15)).zone == "merah"
    from layan.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="attendance.region_risk_set").count() == 2


@pytest.mark.django_db
def test_region_risk_set_rejects_a_kecamatan_and_an_empty_status(regions, bkpsdm):
    with pytest.raises(ValidationError, match="bukan kabupaten/kota"):
        services.region_risk_set(actor=bkpsdm, region_code="72.01.01", zone="merah", valid_from=MONDAY)
    with pytest.raises(ValidationError, match="zona risiko atau level PPKM"):
        services.region_risk_set(actor=bkpsdm, region_code="72.01", valid_from=MONDAY)
    assert not RegionRiskStatus.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "level", "on", "sector", "percent"),
    [
        ("", None, MONDAY, "non_esensial", 100),  # nothing recorded
        ("hijau", None, MONDAY, "non_esensial", 100),  # SE 67/2020
        ("kuning", None, MONDAY, "non_esensial", 75),
        ("oranye", None, MONDAY, "non_esensial", 50),
        ("merah", None, MONDAY, "non_esensial", 25),
        ("merah", 2, date(2021, 9, 1), "non_esensial", 25),  # SE 25/2021 outside Java–Bali, L2 by zone
        ("kuning", 1, date(2021, 9, 1), "non_esensial", 50),
        ("", 4, date(2021, 9, 1), "non_esensial", 0),
        ("", 3, date(2021, 9, 1), "kritikal", 100),
        ("", 3, date(2022, 3, 1), "non_esensial", 50),  # SE 06/2022
        ("", 4, date(2022, 3, 1), "non_esensial", 25),
        ("", 2, date(2022, 3, 1), "esensial", 100),
    ],
)
def test_wfo_cap_follows_the_rule_in_force(units, bkpsdm, zone, level, on, sector, percent):
    unit = units["kec_toili"]
    UnitWorkPolicy.objects.create(unit=unit, sector=sector)
    if zone or level:
        services.region_risk_set(actor=bkpsdm, region_code="72.01", zone=zone, level=level, valid_from=on)
    unit = Unit.objects.get(pk=unit.pk)
    assert rules.wfo_cap(unit, on).percent == percent


@pytest.mark.django_db
def test_java_bali_uses_its_own_ppkm_row(db):
    Region.objects.create(code="33", name="Jawa Tengah", level=1)
    Region.objects.create(code="33.15", name="Kabupaten Grobogan", level=2, parent_id="33")
    unit = Unit.objects.create(code="DINAS-X", name="Dinas X", kind="dinas", region_id="33.15", path="/x/")
    RegionRiskStatus.objects.create(
        region_id="33.15", zone="kuning", ppkm_level=1, valid_from=date(2021, 8, 20)
    )
    assert rules.wfo_cap(unit, date(2021, 9, 1)).percent == 75


def _unit_with_staff(regions, n: int, tag: str) -> tuple[Unit, list]:
    serial = next(_serial)
    unit = Unit.objects.create(
        code=f"U-{tag}-{serial}", name=f"Unit {serial}", kind="dinas", region=regions["72.01.01"]
    )
    people = [
        make_employee(unit, f"Pegawai {serial}-{i}", str(10**17 + serial * 100 + i), nik="") for i in range(n)
    ]
    return unit, people


@pytest.mark.django_db
def test_an_exempt_count_above_the_cap_is_explained_not_silently_broken(regions, bkpsdm):
    unit, people = _unit_with_staff(regions, 4, "inf")
    services.region_risk_set(actor=bkpsdm, region_code="72.01", zone="merah", valid_from=MONDAY)
    for person in people[:2]:
        WfoExemption.objects.create(employee=person, reason="Pimpinan", valid_from=MONDAY)
    with pytest.raises(services.RosterInfeasible) as excinfo:
        services.roster_generate(actor=bkpsdm, unit=unit, start=MONDAY, end=MONDAY + timedelta(days=4))
    assert len(excinfo.value.problems) == 5
    assert (
        "2 pegawai wajib WFO" in excinfo.value.problems[0]
        and "batas WFO 1 orang" in excinfo.value.problems[0]
    )


@pytest.mark.django_db
def test_a_hand_edit_over_the_cap_says_the_roster_is_full(regions, bkpsdm):
    unit, people = _unit_with_staff(regions, 4, "full")
    services.region_risk_set(actor=bkpsdm, region_code="72.01", zone="oranye", valid_from=MONDAY)
    roster = services.roster_generate(actor=bkpsdm, unit=unit, start=MONDAY, end=MONDAY)
    wfh = RosterEntry.objects.filter(roster=roster, mode=WorkMode.WFH).first()
    with pytest.raises(ValidationError, match="sudah penuh: batas 2 orang"):
        services.roster_entry_set(actor=bkpsdm, roster=roster, employee=wfh.employee, day=MONDAY, mode="WFO")
    onsite = RosterEntry.objects.filter(roster=roster, mode=WorkMode.WFO).first()
    services.roster_entry_set(actor=bkpsdm, roster=roster, employee=onsite.employee, day=MONDAY, mode="WFH")
    services.roster_entry_set(actor=bkpsdm, roster=roster, employee=wfh.employee, day=MONDAY, mode="WFO")


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    staff=st.integers(min_value=1, max_value=12),
    zone=st.sampled_from(["hijau", "kuning", "oranye", "merah"]),
    exempt=st.integers(min_value=0, max_value=3),
    priority=st.integers(min_value=0, max_value=3),
    min_onsite=st.integers(min_value=0, max_value=3),
    piket=st.integers(min_value=0, max_value=2),
)
def test_roster_never_exceeds_the_cap_and_keeps_exempt_staff_on_site(
    regions, bkpsdm, staff, zone, exempt, priority, min_onsite, piket
):
    unit, people = _unit_with_staff(regions, staff, "hyp")
    UnitWorkPolicy.objects.create(unit=unit, min_onsite=min_onsite, piket_per_day=piket)
    RegionRiskStatus.objects.filter(region_id="72.01").delete()
    RegionRiskStatus.objects.create(region_id="72.01", zone=zone, valid_from=MONDAY)
    exempt_people = people[: min(exempt, staff)]
    for person in exempt_people:
        WfoExemption.objects.create(employee=person, reason="Pimpinan", valid_from=MONDAY)
    for person in people[len(exempt_people) : len(exempt_people) + priority]:
        WorkFromHomeProfile.objects.create(employee=person, comorbidity=True)
    cap = rules.wfo_cap(unit, MONDAY).count(staff)
    end = MONDAY + timedelta(days=9)
    try:
        plan = services.roster_plan(unit=unit, start=MONDAY, end=end)
    except services.RosterInfeasible as exc:
        assert exc.problems
        assert len(exempt_people) > cap or max(min(min_onsite, staff), min(piket, staff)) > cap
        return
    assert len(plan.days) == 8  # two working weeks minus the weekend
    onsite_days = Counter()
    for day in plan.days:
        modes = {emp: plan.assignments[(emp, day)] for emp in (p.pk for p in people)}
        onsite = [emp for emp, mode in modes.items() if mode in (WorkMode.WFO, WorkMode.PIKET)]
        assert len(onsite) <= cap
        assert all(modes[p.pk] != WorkMode.WFH for p in exempt_people)
        assert sum(1 for m in modes.values() if m == WorkMode.PIKET) == min(piket, staff)
        for emp in onsite:
            onsite_days[emp] += 1
    # WFO days are shared fairly among the ordinary (non-exempt, non-priority) staff.
    ordinary = [p.pk for p in people[len(exempt_people) + priority :]]
    if len(ordinary) > 1:
        counts = [onsite_days[emp] for emp in ordinary]
        assert max(counts) - min(counts) <= 1
