"""Outage fallback: the head of unit's manual list with a statement feeds the daily status, audited."""

from __future__ import annotations

from datetime import date

import pytest

from layan.attendance.models import CheckIn, DailyAttendance, ManualAttendanceList
from layan.attendance.tests.conftest import wita
from layan.conftest import assign, client_for, make_user
from layan.core.models import AuditEvent

MONDAY = date(2024, 3, 4)
STATEMENT = "Server presensi padam sejak 06.30 WITA; daftar hadir diisi di buku tamu, saksi Sekcam."


@pytest.fixture
def kepala(units):
    user = make_user("kepala.toili")
    assign(user, "kepala_unit", unit=units["kec_toili"])
    return user


@pytest.mark.django_db
def test_manual_list_feeds_the_daily_status(people, units, kepala, clock, django_capture_on_commit_callbacks):
    clock.set(wita(2024, 3, 5, 9, 0))
    client = client_for(kepala)
    url = f"/presensi/daftar-manual/?unit={units['kec_toili'].pk}&start=2024-03-04"
    page = client.get(url)
    assert page.status_code == 200 and "Budi Santoso" in page.content.decode()
    staff = people["staff"]
    short = client.post(url, {"statement": "padam", f"in_{staff.pk}": "07:20", f"out_{staff.pk}": "16:05"})
    assert short.status_code == 400 and "minimal 20 karakter" in short.content.decode()
    backwards = client.post(
        url, {"statement": STATEMENT, f"in_{staff.pk}": "16:00", f"out_{staff.pk}": "07:00"}
    )
    assert backwards.status_code == 400 and not ManualAttendanceList.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(url, {"statement": STATEMENT, f"in_{staff.pk}": "07:20", f"out_{staff.pk}": "16:05"})
    assert ok.status_code == 302
    assert CheckIn.objects.filter(employee=staff, source="manual").count() == 2
    assert DailyAttendance.objects.get(employee=staff, date=MONDAY).status == "HADIR"
    assert AuditEvent.objects.filter(action="attendance.manual_list").count() == 1
    again = client.post(url, {"statement": STATEMENT, f"in_{staff.pk}": "07:20"})
    assert again.status_code == 400 and "sudah ada" in again.content.decode()


@pytest.mark.django_db
def test_manual_list_is_out_of_scope_for_others(people, units, camat, sibling, outsider, clock):
    clock.set(wita(2024, 3, 4, 12, 0))
    batui_head = make_user("kepala.batui")
    assign(batui_head, "kepala_unit", unit=units["kec_batui"])
    for user in (camat, sibling, outsider, people["staff"].user):
        assert client_for(user).get("/presensi/daftar-manual/").status_code == 404
    url = f"/presensi/daftar-manual/?unit={units['kec_toili'].pk}&start=2024-03-04"
    response = client_for(batui_head).post(url, {"statement": STATEMENT, f"in_{people['staff'].pk}": "07:00"})
    assert response.status_code == 400 and not CheckIn.objects.exists()
