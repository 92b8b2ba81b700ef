"""Pages and API: the check-in endpoint as a phone uses it, and scope (a supervisor sees only their team;
the sibling camat and an outsider get 404)."""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from pypdf import PdfReader

from layan.attendance import selectors, services
from layan.attendance.models import CheckIn, DailyAttendance
from layan.attendance.tests.conftest import OFFICE_LAT, OFFICE_LON, selfie_bytes, wita
from layan.conftest import client_for

API = "/api/v1/presensi/checkins/"


def post_checkin(client, **overrides):
    data = {
        "client_uuid": str(uuid.uuid4()),
        "kind": "in",
        "device_time": wita(2024, 3, 4, 7, 20).isoformat(),
        "latitude": str(OFFICE_LAT),
        "longitude": str(OFFICE_LON),
        "accuracy_m": "12",
        "fix_age_s": "4",
        "mock_location": "false",
        "device_id": "phone-1",
        "selfie": SimpleUploadedFile("s.jpg", selfie_bytes(3), content_type="image/jpeg"),
    }
    data.update(overrides)
    return client.post(API, data)


@pytest.fixture
def monday(clock):
    return clock.set(wita(2024, 3, 4, 7, 21))


@pytest.fixture
def staff_checkin(people, office, monday):
    return post_checkin(client_for(people["staff"].user)).json()


@pytest.mark.django_db
def test_api_checkin_then_resend_of_the_same_uuid(people, office, monday):
    client = client_for(people["staff"].user)
    client_uuid = str(uuid.uuid4())
    first = post_checkin(client, client_uuid=client_uuid)
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "accepted" and first.json()["mode"] == "WFO"
    again = post_checkin(client, client_uuid=client_uuid)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
def test_api_refuses_wfo_outside_the_geofence_with_distance_and_radius(people, office, monday):
    response = post_checkin(client_for(people["staff"].user), latitude="-1.420000")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "refused" and "2.224 m" in body["message"] and "100 m" in body["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": "95"}, "latitude"),
        ({"longitude": "abc"}, "longitude"),
        (
            {"selfie": SimpleUploadedFile("s.jpg", b"not an image at all", content_type="image/jpeg")},
            "selfie",
        ),
        ({"client_uuid": "123"}, "client_uuid"),
        ({"accuracy_m": ""}, "accuracy_m"),
        ({"fix_age_s": "7200"}, "fix_age_s"),
        ({"device_time": "kemarin"}, "device_time"),
    ],
)
def test_api_bad_input_is_a_400_naming_the_field(people, office, monday, overrides, field):
    response = post_checkin(client_for(people["staff"].user), **overrides)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]
    assert CheckIn.objects.count() == 0


@pytest.mark.django_db
def test_api_double_tap_is_409(people, office, monday):
    client = client_for(people["staff"].user)
    assert post_checkin(client).status_code == 201
    second = post_checkin(client)
    assert second.status_code == 409 and second.json()["code"] == "duplicate"


@pytest.mark.django_db
def test_api_requires_login_and_an_employee_record(outsider, office, monday, client):
    assert post_checkin(client).status_code in (401, 403)
    assert post_checkin(client_for(outsider)).status_code == 404


@pytest.mark.django_db
def test_checkin_scope_owner_supervisor_and_camat_see_it_sibling_and_outsider_get_404(
    people, staff_checkin, camat, sibling, outsider
):
    pk = staff_checkin["id"]
    for user in (people["staff"].user, people["head"].user, camat):
        client = client_for(user)
        assert client.get(f"{API}{pk}/").status_code == 200
        assert client.get(f"/presensi/catatan/{pk}/").status_code == 200
        assert client.get(f"/presensi/catatan/{pk}/swafoto/").status_code == 200
    for user in (sibling, outsider):
        client = client_for(user)
        assert client.get(f"{API}{pk}/").status_code == 404
        assert client.get(f"/presensi/catatan/{pk}/").status_code == 404
        assert client.get(f"/presensi/catatan/{pk}/swafoto/").status_code == 404
        assert client.get(API).json()["count"] == 0


@pytest.mark.django_db
def test_supervisor_reviews_a_flagged_checkin_and_the_owner_cannot(people, office, monday, sibling):
    response = post_checkin(client_for(people["staff"].user), mock_location="true")
    pk = response.json()["id"]
    assert response.json()["status"] == "flagged"
    owner = client_for(people["staff"].user).post(f"{API}{pk}/review/", {"decision": "confirm"})
    assert owner.status_code == 404  # reviewing is not in the owner's scope
    assert client_for(sibling).post(f"{API}{pk}/review/", {"decision": "confirm"}).status_code == 404
    no_reason = client_for(people["head"].user).post(f"{API}{pk}/review/", {"decision": "reject"})
    assert no_reason.status_code == 400 and "note" in no_reason.json()["fields"]
    ok = client_for(people["head"].user).post(f"/presensi/catatan/{pk}/tinjau/", {"decision": "confirm"})
    assert ok.status_code == 302
    assert CheckIn.objects.get(pk=pk).review == "confirmed"


@pytest.mark.django_db
def test_board_shows_only_the_team_and_updates_by_polling(people, staff_checkin, camat, sibling, outsider):
    head = client_for(people["head"].user)
    page = head.get("/presensi/tim/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Budi Santoso" in body and "Andi Lamato" not in body
    assert 'hx-trigger="every 20s"' in body
    rows = head.get("/presensi/tim/papan/")
    assert rows.status_code == 200 and "Budi Santoso" in rows.content.decode()
    for user in (sibling, outsider, people["staff"].user):
        assert client_for(user).get("/presensi/tim/").status_code == 404
        assert client_for(user).get("/presensi/tim/papan/").status_code == 404


@pytest.mark.django_db
def test_checkin_page_is_csp_safe_and_the_service_worker_covers_it(people, office, monday, outsider):
    page = client_for(people["staff"].user).get("/presensi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "attendance/checkin.js" in html and 'type="file"' not in html
    assert "<script>" not in html and "style=" not in html
    sw = client_for(people["staff"].user).get("/presensi/sw.js")
    assert (
        sw["Content-Type"].startswith("application/javascript")
        and sw["Service-Worker-Allowed"] == "/presensi/"
    )
    assert client_for(outsider).get("/presensi/").status_code == 404
    assert (
        client_for(people["staff"].user).get("/presensi/manifest.webmanifest").json()["start_url"]
        == "/presensi/"
    )


@pytest.mark.django_db
def test_my_attendance_shows_my_days_and_flags(people, staff_checkin):
    services.daily_attendance_compute(day=date(2024, 3, 4), unit=people["staff"].unit)
    page = client_for(people["staff"].user).get("/presensi/saya/?bulan=2024-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert "PSW4" in html and "07:20" in html  # no check-out yet
    # Weekends are days off, not days "not computed yet".
    saturday = html[html.index("Sab 2/3") :].split("</tr>")[0]
    assert "Libur" in saturday and "belum dihitung" not in saturday


@pytest.mark.django_db
def test_my_month_downloads_as_a_pdf_signed_by_my_supervisor(people, staff_checkin, outsider):
    services.daily_attendance_compute(day=date(2024, 3, 4), unit=people["staff"].unit)
    response = client_for(people["staff"].user).get("/presensi/saya/?bulan=2024-03&export=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    staff, head = people["staff"], people["head"]
    assert "Catatan presensi pegawai" in text and staff.name in text and f"NIP {staff.nip}" in text
    assert "Masuk 07:20" in text and "PSW4" in text and "Kerja di kantor (WFO)" in text
    assert "Atasan langsung" in text and head.name in text
    assert "Rekap bulan ini" in text and "PSW4 1" in text
    # It is always the caller's own record: nobody else's name is in it.
    other = client_for(head.user).get("/presensi/saya/?bulan=2024-03&export=pdf")
    assert staff.name not in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(other.content)).pages)
    # An account without an employee record has no month: 404 for the page and its PDF.
    for url in ("/presensi/saya/?bulan=2024-03", "/presensi/saya/?bulan=2024-03&export=pdf"):
        assert client_for(outsider).get(url).status_code == 404


@pytest.mark.django_db
def test_my_month_is_counted_as_the_units_recap_counts_it(people, bkpsdm):
    staff = people["staff"]
    _daily(
        staff,
        date(2024, 3, 4),
        "HADIR",
        late_code="TL1",
        early_code="PSW2",
        minutes_late=10,
        minutes_early=40,
    )
    _daily(staff, date(2024, 3, 5), "TK")
    _daily(staff, date(2024, 3, 6), "WFH_HADIR")
    _daily(staff, date(2024, 3, 9), "LIBUR")
    mine = selectors.own_month_recap(employee=staff, start=date(2024, 3, 1), end=date(2024, 3, 31))
    recap = {row[0]: row for row in selectors.monthly_recap(actor=bkpsdm, year=2024, month=3)}
    assert [value for _, value in mine] == recap[staff.nip][3:]
    counted = dict(mine)
    assert (counted["Hari kerja"], counted["Hadir"], counted["TL1"], counted["PSW2"], counted["TK"]) == (
        3,
        2,
        1,
        1,
        1,
    )


def _daily(employee, day, status, **extra):
    return DailyAttendance.objects.create(employee=employee, date=day, status=status, **extra)


@pytest.mark.django_db
def test_monthly_recap_exports_xlsx_within_scope(people, camat, sibling, bkpsdm_client):
    _daily(
        people["staff"],
        date(2024, 3, 4),
        "TL2",
        late_code="TL2",
        minutes_late=45,
        check_in_at=datetime.combine(date(2024, 3, 4), time(8, 15), tzinfo=wita(2024, 3, 4, 0, 0).tzinfo),
    )
    _daily(people["staff"], date(2024, 3, 5), "TK")
    _daily(people["batui"], date(2024, 3, 4), "HADIR")
    response = bkpsdm_client.get("/presensi/rekap/?bulan=2024-03&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"Budi Santoso", "Andi Lamato"}
    budi = rows["Budi Santoso"]
    headers = [c.value for c in sheet[1]]
    assert budi[headers.index("TL2")] == 1 and budi[headers.index("TK")] == 1
    assert budi[headers.index("Menit terlambat")] == 45
    assert budi[headers.index("Potongan disiplin (%)")] == 5.0  # TL2 1% + TK 4%
    camat_page = client_for(camat).get("/presensi/rekap/?bulan=2024-03").content.decode()
    assert "Budi Santoso" in camat_page and "Andi Lamato" not in camat_page
    sibling_page = client_for(sibling).get("/presensi/rekap/?bulan=2024-03").content.decode()
    assert "Budi Santoso" not in sibling_page
    bad = bkpsdm_client.get("/presensi/rekap/?bulan=maret")
    assert bad.status_code == 200 and "TTTT-BB" in bad.content.decode()


@pytest.mark.django_db
def test_api_schema_documents_the_checkin_endpoint(people, client):
    client.force_login(people["staff"].user)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/presensi/checkins/" in response.content
