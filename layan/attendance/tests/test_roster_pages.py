"""Roster pages: generate (with the infeasibility explanation), hand edit ("roster is full"), publish, the
employee's own week, swap requests approved by the supervisor; scope."""

from __future__ import annotations

from datetime import date

import pytest

from layan.attendance import services
from layan.attendance.models import ApprovalStatus, Roster, RosterEntry, RosterSwap, WorkMode
from layan.attendance.tests.conftest import wita
from layan.conftest import assign, client_for, make_employee, make_user

MONDAY = date(2024, 3, 4)


@pytest.fixture
def kepala(units):
    user = make_user("kepala.toili")
    assign(user, "kepala_unit", unit=units["kec_toili"])
    return user


@pytest.fixture
def friday(clock):
    return clock.set(wita(2024, 3, 1, 9, 0))


def generate(client, unit, start="2024-03-04", end="2024-03-04"):
    return client.post("/presensi/jadwal/", {"unit": unit.pk, "start": start, "end": end})


@pytest.mark.django_db
def test_generate_shows_why_a_period_is_infeasible(people, units, kepala, bkpsdm, friday):
    services.region_risk_set(actor=bkpsdm, region_code="72.01", zone="merah", valid_from=MONDAY)
    response = generate(client_for(kepala), units["kec_toili"])
    body = response.content.decode()
    assert response.status_code == 400 and "tidak dapat disusun" in body
    assert "melebihi batas WFO 0 orang" in body
    assert not Roster.objects.exists()


@pytest.mark.django_db
def test_generate_edit_full_publish_and_the_employee_sees_their_week(people, units, kepala, bkpsdm, friday):
    services.region_risk_set(actor=bkpsdm, region_code="72.01", zone="oranye", valid_from=MONDAY)
    client = client_for(kepala)
    response = generate(client, units["kec_toili"])
    roster = Roster.objects.get()
    assert response.status_code == 302 and roster.status == Roster.Status.DRAFT
    detail = client.get(f"/presensi/jadwal/{roster.pk}/").content.decode()
    assert "Budi Santoso" in detail and "batas WFO 1 orang" in detail
    wfh = RosterEntry.objects.get(roster=roster, mode=WorkMode.WFH)
    full = client.post(
        f"/presensi/jadwal/{roster.pk}/ubah/",
        {"employee": wfh.employee_id, "date": "2024-03-04", "mode": "WFO"},
        follow=True,
    )
    assert "sudah penuh: batas 1 orang" in full.content.decode()
    assert RosterEntry.objects.filter(roster=roster, mode=WorkMode.WFO).count() == 1
    # A draft is not shown to the employee yet.
    staff = client_for(people["staff"].user)
    assert "Belum ada jadwal" in staff.get("/presensi/jadwal/saya/").content.decode()
    client.post(f"/presensi/jadwal/{roster.pk}/terbitkan/")
    roster.refresh_from_db()
    assert roster.status == Roster.Status.PUBLISHED
    mine = RosterEntry.objects.get(roster=roster, employee=people["staff"])
    assert mine.get_mode_display() in staff.get("/presensi/jadwal/saya/").content.decode()


@pytest.mark.django_db
def test_roster_pages_are_out_of_scope_for_others(people, units, kepala, sibling, outsider, friday):
    roster = services.roster_generate(actor=kepala, unit=units["kec_toili"], start=MONDAY, end=MONDAY)
    batui_head = make_user("kepala.batui")
    assign(batui_head, "kepala_unit", unit=units["kec_batui"])
    for user in (sibling, outsider, batui_head, people["staff"].user):
        client = client_for(user)
        assert client.get(f"/presensi/jadwal/{roster.pk}/").status_code == 404, user
        assert client.post(f"/presensi/jadwal/{roster.pk}/terbitkan/").status_code == 404
    for user in (sibling, outsider):
        assert client_for(user).get("/presensi/jadwal/").status_code == 404
    # A unit head cannot generate for another unit: the unit is not a choice.
    response = generate(client_for(batui_head), units["kec_toili"])
    assert response.status_code == 400 and Roster.objects.count() == 1


@pytest.mark.django_db
def test_bkpsdm_sees_the_rosters_and_manual_lists_of_its_kabupaten(
    people, units, kepala, bkpsdm_client, friday
):
    roster = services.roster_generate(actor=kepala, unit=units["kec_toili"], start=MONDAY, end=MONDAY)
    client = bkpsdm_client
    listing = client.get("/presensi/jadwal/")
    assert listing.status_code == 200 and f"/presensi/jadwal/{roster.pk}/" in listing.content.decode()
    assert "Budi Santoso" in client.get(f"/presensi/jadwal/{roster.pk}/").content.decode()
    assert client.get("/presensi/daftar-manual/").status_code == 200


@pytest.mark.django_db
def test_swap_between_colleagues_approved_by_the_supervisor(people, units, kepala, sibling, outsider, friday):
    head, staff = people["head"], people["staff"]
    third = make_employee(
        units["kec_toili"],
        "Rina Wati",
        "199501012020122001",
        supervisor=head,
        user=make_user("staf2.toili"),
        nik="7201014101950001",
    )
    roster = services.roster_generate(actor=kepala, unit=units["kec_toili"], start=MONDAY, end=MONDAY)
    for entry in RosterEntry.objects.filter(roster=roster):
        services.roster_entry_set(
            actor=kepala, roster=roster, employee=entry.employee, day=MONDAY, mode="WFH"
        )
    services.roster_entry_set(actor=kepala, roster=roster, employee=staff, day=MONDAY, mode="WFO")
    services.roster_publish(actor=kepala, roster=roster)

    third_client = client_for(third.user)
    same = third_client.post(
        "/presensi/jadwal/saya/", {"date": "2024-03-04", "partner": head.pk, "reason": "Rapat RT"}
    )
    assert same.status_code == 400 and "sama" in same.content.decode()
    asked = third_client.post(
        "/presensi/jadwal/saya/", {"date": "2024-03-04", "partner": staff.pk, "reason": "Anak sakit"}
    )
    assert asked.status_code == 302
    swap = RosterSwap.objects.get()
    for user in (sibling, outsider, staff.user, third.user):
        assert (
            client_for(user)
            .post(f"/presensi/jadwal/tukar/{swap.pk}/putuskan/", {"decision": "approve"})
            .status_code
            == 404
        ), user
    head_client = client_for(head.user)
    assert "Anak sakit" in head_client.get("/presensi/jadwal/tukar/").content.decode()
    assert (
        head_client.post(f"/presensi/jadwal/tukar/{swap.pk}/putuskan/", {"decision": "approve"}).status_code
        == 302
    )
    swap.refresh_from_db()
    assert swap.status == ApprovalStatus.APPROVED
    modes = dict(RosterEntry.objects.filter(roster=roster).values_list("employee_id", "mode"))
    assert modes[third.pk] == "WFO" and modes[staff.pk] == "WFH"
    assert list(modes.values()).count("WFO") == 1
