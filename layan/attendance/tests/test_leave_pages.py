"""Leave, permits and corrections through the pages: request, balances, supervisor approval, scope."""

from __future__ import annotations

from datetime import date, time

import pytest

from layan.attendance import services
from layan.attendance.models import ApprovalStatus, AttendanceCorrection, LeaveRequest, LeaveType
from layan.attendance.tests.conftest import selfie_file, wita
from layan.conftest import client_for, make_user

MONDAY = date(2024, 3, 4)


@pytest.fixture
def march(clock):
    return clock.set(wita(2024, 3, 1, 9, 0))


@pytest.mark.django_db
def test_employee_requests_leave_and_sees_the_balance(people, march):
    client = client_for(people["staff"].user)
    page = client.get("/presensi/cuti/")
    assert page.status_code == 200 and "Cuti tahunan" in page.content.decode()
    response = client.post(
        "/presensi/cuti/",
        {
            "leave_type": LeaveType.objects.get(code="CT").pk,
            "start": "2024-03-04",
            "end": "2024-03-05",
            "reason": "Urusan keluarga",
        },
    )
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    assert (leave.working_days, leave.status) == (2, ApprovalStatus.SUBMITTED)
    balances = client.get("/presensi/cuti/").content.decode()
    assert "menunggu persetujuan 2" in balances and "<strong>12</strong>" in balances


@pytest.mark.django_db
def test_leave_over_the_balance_or_overlapping_is_a_clear_400(people, march):
    client = client_for(people["staff"].user)
    ct = LeaveType.objects.get(code="CT").pk
    too_long = client.post(
        "/presensi/cuti/", {"leave_type": ct, "start": "2024-03-04", "end": "2024-04-30", "reason": "Liburan"}
    )
    assert too_long.status_code == 400 and "Sisa cuti tahunan Anda 12 hari kerja" in too_long.content.decode()
    client.post(
        "/presensi/cuti/", {"leave_type": ct, "start": "2024-03-04", "end": "2024-03-04", "reason": "A"}
    )
    overlap = client.post(
        "/presensi/cuti/",
        {
            "leave_type": LeaveType.objects.get(code="IZIN").pk,
            "start": "2024-03-04",
            "end": "2024-03-04",
            "reason": "B",
        },
    )
    assert overlap.status_code == 400 and "Bertumpang tindih" in overlap.content.decode()
    assert LeaveRequest.objects.count() == 1
    no_place = client.post(
        "/presensi/cuti/",
        {
            "leave_type": LeaveType.objects.get(code="DL").pk,
            "start": "2024-03-11",
            "end": "2024-03-11",
            "reason": "Rapat",
        },
    )
    assert no_place.status_code == 400 and "lokasi tempat tugas" in no_place.content.decode()


@pytest.mark.django_db
def test_supervisor_approves_leave_of_the_team_and_the_balance_drops(people, march):
    leave = services.leave_request_submit(
        actor=people["staff"].user,
        leave_type=LeaveType.objects.get(code="CT"),
        start=MONDAY,
        end=MONDAY,
        reason="Urusan keluarga",
    )
    head = client_for(people["head"].user)
    listing = head.get("/presensi/cuti/persetujuan/")
    assert listing.status_code == 200 and "Budi Santoso" in listing.content.decode()
    response = head.post(f"/presensi/cuti/{leave.pk}/putuskan/", {"decision": "approve", "note": "OK"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == ApprovalStatus.APPROVED and leave.decided_by == people["head"].user
    page = client_for(people["staff"].user).get("/presensi/cuti/").content.decode()
    assert "<strong>11</strong>" in page and "Disetujui" in page


@pytest.mark.django_db
def test_leave_decisions_are_out_of_scope_for_others(people, march, camat, sibling, outsider):
    batui_user = make_user("staf.batui")
    people["batui"].user = batui_user
    people["batui"].save()
    leave = services.leave_request_submit(
        actor=batui_user,
        leave_type=LeaveType.objects.get(code="IZIN"),
        start=MONDAY,
        end=MONDAY,
        reason="Anak sakit",
    )
    # The Toili supervisor does not supervise Batui: the request does not exist for them.
    head = client_for(people["head"].user)
    assert "Andi Lamato" not in head.get("/presensi/cuti/persetujuan/").content.decode()
    for user in (people["head"].user, camat, sibling, outsider):
        response = client_for(user).post(f"/presensi/cuti/{leave.pk}/putuskan/", {"decision": "approve"})
        assert response.status_code == 404, user
    for user in (sibling, outsider):
        assert client_for(user).get("/presensi/cuti/persetujuan/").status_code == 404
        assert client_for(user).get("/presensi/cuti/").status_code == 404
    leave.refresh_from_db()
    assert leave.status == ApprovalStatus.SUBMITTED


@pytest.mark.django_db
def test_correction_with_evidence_approved_by_the_supervisor(people, clock, camat, sibling, outsider):
    clock.set(wita(2024, 3, 5, 9, 0))
    staff = client_for(people["staff"].user)
    missing = staff.post(
        "/presensi/koreksi/", {"date": "2024-03-04", "kind": "in", "time": "07:25", "reason": "Ponsel mati"}
    )
    assert missing.status_code == 400 and AttendanceCorrection.objects.count() == 0
    future = staff.post(
        "/presensi/koreksi/",
        {"date": "2024-03-09", "kind": "in", "time": "07:25", "reason": "x", "evidence": selfie_file(2)},
    )
    assert future.status_code == 400 and "sudah lewat" in future.content.decode()
    ok = staff.post(
        "/presensi/koreksi/",
        {
            "date": "2024-03-04",
            "kind": "in",
            "time": "07:25",
            "reason": "Ponsel mati",
            "evidence": selfie_file(1),
        },
    )
    assert ok.status_code == 302
    correction = AttendanceCorrection.objects.get()
    assert correction.time == time(7, 25) and correction.evidence
    assert staff.get(f"/presensi/koreksi/{correction.pk}/bukti/").status_code == 200
    for user in (sibling, outsider):
        assert client_for(user).get(f"/presensi/koreksi/{correction.pk}/bukti/").status_code == 404
        assert (
            client_for(user)
            .post(f"/presensi/koreksi/{correction.pk}/putuskan/", {"decision": "approve"})
            .status_code
            == 404
        )
    # The camat sees Toili's attendance but does not decide corrections.
    assert client_for(camat).get(f"/presensi/koreksi/{correction.pk}/bukti/").status_code == 200
    assert (
        client_for(camat)
        .post(f"/presensi/koreksi/{correction.pk}/putuskan/", {"decision": "approve"})
        .status_code
        == 404
    )
    # The employee cannot approve their own correction.
    assert (
        staff.post(f"/presensi/koreksi/{correction.pk}/putuskan/", {"decision": "approve"}).status_code == 404
    )
    head = client_for(people["head"].user)
    assert "Ponsel mati" in head.get("/presensi/koreksi/persetujuan/").content.decode()
    assert (
        head.post(f"/presensi/koreksi/{correction.pk}/putuskan/", {"decision": "approve"}).status_code == 302
    )
    correction.refresh_from_db()
    assert correction.status == ApprovalStatus.APPROVED
