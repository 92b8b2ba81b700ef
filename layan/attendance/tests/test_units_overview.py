"""The unit head's and BKPSDM's view across units (today's and the month's counts per unit, drill-down to a
unit's board, export), the monthly recap as a signed PDF, and the pages in English."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from layan.attendance.models import CheckIn, DailyAttendance, LeaveRequest, LeaveType, StandbyPing
from layan.attendance.tests.conftest import OFFICE_LAT, OFFICE_LON, wita
from layan.conftest import _unit, assign, client_for, make_employee, make_user, verified_client_for
from layan.org.models import Unit

MONDAY = date(2024, 3, 4)


def checkin(employee, at, *, mode="WFO", status="accepted", review="", kind="in"):
    return CheckIn.objects.create(
        employee=employee,
        client_uuid=uuid.uuid4(),
        kind=kind,
        mode=mode,
        device_time=at,
        received_at=at,
        recorded_at=at,
        local_date=at.date(),
        latitude=OFFICE_LAT,
        longitude=OFFICE_LON,
        accuracy_m=10,
        fix_age_s=3,
        device_id=f"d-{employee.pk}",
        status=status,
        review=review,
    )


@pytest.fixture
def today(people, units, clock):
    """Monday 10:00 WITA in Toili: the head on time in the office, Budi late from home, one flagged, one on
    leave, one absent; Batui: Andi absent. Earlier in March: daily rows and a missed stand-by ping."""
    clock.set(wita(2024, 3, 4, 10, 0))
    toili = units["kec_toili"]
    head, staff, batui = people["head"], people["staff"], people["batui"]
    flagged = make_employee(toili, "Rina Flag", "199301012019032001", supervisor=head, nik="7201019800000001")
    on_leave = make_employee(
        toili, "Dedi Cuti", "199401012019031001", supervisor=head, nik="7201019800000002"
    )
    make_employee(toili, "Eko Absen", "199501012019031001", supervisor=head, nik="7201019800000003")
    checkin(head, wita(2024, 3, 4, 7, 20))
    checkin(staff, wita(2024, 3, 4, 8, 10), mode="WFH")
    checkin(flagged, wita(2024, 3, 4, 7, 25), status="flagged", review="pending")
    checkin(batui, wita(2024, 3, 4, 7, 0), status="refused")  # a refused check-in is no presence
    LeaveRequest.objects.create(
        employee=on_leave,
        leave_type=LeaveType.objects.get(code="CT"),
        start=MONDAY,
        end=MONDAY,
        reason="Cuti",
        status="approved",
        working_days=1,
    )
    day = date(2024, 3, 1)
    DailyAttendance.objects.create(employee=staff, date=day, status="TL2", late_code="TL2", minutes_late=40)
    DailyAttendance.objects.create(employee=head, date=day, status="HADIR")
    DailyAttendance.objects.create(employee=batui, date=day, status="TK")
    sent = wita(2024, 3, 1, 9, 0)
    StandbyPing.objects.create(
        employee=staff, date=day, sent_at=sent, expires_at=sent + timedelta(minutes=30), status="missed"
    )
    return {"toili": toili, "batui": units["kec_batui"]}


@pytest.fixture
def kepala_toili(today):
    user = make_user("kepala.toili")
    assign(user, "kepala_unit", unit=today["toili"])
    return user


def cells(html: str, code: str) -> str:
    start = html.index(f'data-unit="{code}"')
    return html[start : html.index("</tr>", start)]


@pytest.mark.django_db
def test_unit_head_sees_their_units_counts_of_today_and_the_month(today, kepala_toili):
    page = client_for(kepala_toili).get("/presensi/unit/?bulan=2024-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kecamatan Toili" in html and "Kecamatan Batui" not in html and "Sekretariat Daerah" not in html
    row = client_for(kepala_toili).get("/presensi/unit/?bulan=2024-03&export=xlsx")
    sheet = load_workbook(io.BytesIO(row.content)).active
    headers = [c.value for c in sheet[1]]
    rows = {r[1]: dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["Kecamatan Toili"]
    toili = rows["Kecamatan Toili"]
    assert toili["Pegawai"] == 5
    assert toili["Hadir hari ini"] == 3 and toili["Di kantor"] == 2 and toili["WFH"] == 1
    assert toili["Terlambat"] == 1  # Budi at 08:10, the default start 07:30
    assert toili["Cuti/izin/DL"] == 1 and toili["Belum hadir/TK"] == 1
    assert toili["Presensi ditandai"] == 1
    assert toili["TL (bulan)"] == 1 and toili["Hadir (bulan)"] == 2 and toili["Kehadiran (%)"] == 100.0
    assert toili["Siaga tidak dijawab (bulan)"] == 1


@pytest.mark.django_db
def test_drill_down_to_a_units_board_and_404_outside_the_scope(today, kepala_toili, camat, sibling, outsider):
    client = client_for(kepala_toili)
    board = client.get(f"/presensi/tim/?unit={today['toili'].pk}")
    assert board.status_code == 200
    html = board.content.decode()
    assert "Budi Santoso" in html and "Eko Absen" in html and "Andi Lamato" not in html
    assert f"/presensi/tim/papan/?unit={today['toili'].pk}" in html
    rows = client.get(f"/presensi/tim/papan/?unit={today['toili'].pk}").content.decode()
    assert "Rina Flag" in rows
    assert client.get(f"/presensi/tim/?unit={today['batui'].pk}").status_code == 404
    assert client.get(f"/presensi/tim/papan/?unit={today['batui'].pk}").status_code == 404
    assert client.get("/presensi/tim/?unit=abc").status_code == 404
    for user in (camat, sibling, outsider):
        assert client_for(user).get("/presensi/unit/").status_code == 404
        assert client_for(user).get(f"/presensi/tim/?unit={today['toili'].pk}").status_code == 404


@pytest.mark.django_db
def test_bkpsdm_and_pimpinan_see_every_unit_with_filters_totals_and_export(today, bkpsdm_client, regions):
    html = bkpsdm_client.get("/presensi/unit/?bulan=2024-03").content.decode()
    for name in ("Sekretariat Daerah", "Kecamatan Toili", "Kecamatan Batui"):
        assert name in html
    assert "Libur" not in cells(html, "KEC-BATUI")
    assert 'id="units-total"' in html
    only = bkpsdm_client.get("/presensi/unit/?q=batui").content.decode()
    assert "Kecamatan Batui" in only and "Kecamatan Toili" not in only
    kind = bkpsdm_client.get("/presensi/unit/?jenis=setda").content.decode()
    assert "Sekretariat Daerah" in kind and "Kecamatan Batui" not in kind
    csv = bkpsdm_client.get("/presensi/unit/?bulan=2024-03&export=csv").content.decode()
    batui = next(line for line in csv.splitlines() if line.startswith("KEC-BATUI"))
    # Andi: one employee, no valid check-in today (refused) → absent; a TK day this month.
    assert batui.split(",")[2:4] == ["1", "0"] and batui.split(",")[7] == "1" and batui.split(",")[15] == "1"
    pimpinan = make_user("bupati")
    assign(pimpinan, "pimpinan", region="72.01")
    assert "Kecamatan Batui" in verified_client_for(pimpinan).get("/presensi/unit/").content.decode()
    bad = bkpsdm_client.get("/presensi/unit/?bulan=maret")
    assert bad.status_code == 200 and "TTTT-BB" in bad.content.decode()


@pytest.mark.django_db
def test_overview_counts_come_from_grouped_queries_not_one_per_unit(today, bkpsdm_client, regions):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert bkpsdm_client.get("/presensi/unit/?bulan=2024-03").status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request warms the session and the calendar cache
    before = queries()
    for i in range(12):
        unit = _unit(f"UPT-{i}", f"UPT {i}", Unit.Kind.UPT, regions["72.01.02"], today["batui"])
        make_employee(unit, f"Staf UPT {i}", f"19960101202001{i:04d}", nik=f"720102970{i:07d}")
    assert queries() == before


@pytest.mark.django_db
def test_monthly_recap_pdf_for_a_unit_is_signed_by_its_head(today, bkpsdm_client, sibling):
    response = bkpsdm_client.get(f"/presensi/rekap/?bulan=2024-03&unit={today['toili'].pk}&export=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="rekap-presensi-kec-toili-2024-03'
    )
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Rekap presensi bulanan" in text and "Kecamatan Toili" in text
    assert "Budi Santoso" in text and "Andi Lamato" not in text
    assert "Kepala Kecamatan Toili" in text and "Siti Rahma" in text and "NIP 199006052015032001" in text
    # A camat of another kecamatan cannot pick Toili: the recap is limited to their own area.
    other = client_for(sibling).get(f"/presensi/rekap/?bulan=2024-03&unit={today['toili'].pk}&export=pdf")
    other_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(other.content)).pages)
    assert "Budi Santoso" not in other_text and "Siti Rahma" not in other_text


@pytest.mark.django_db
def test_pages_in_english_with_the_language_cookie(today, kepala_toili, people):
    client = client_for(kepala_toili)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/presensi/unit/").content.decode()
    assert "Attendance by unit" in html and "Presensi per unit" not in html
    staff = client_for(people["staff"].user)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = staff.get("/presensi/siaga/").content.decode()
    assert "Stand-by calls" in page and "Panggilan siaga" not in page
    board = client_for(people["head"].user)
    board.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Team attendance today" in board.get("/presensi/tim/").content.decode()
