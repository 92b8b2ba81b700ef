"""Stand-by while WFH: the system pings a random sample of the WFH staff during their working hours, the
employee answers with one tap, the response time is recorded, and unanswered pings reach the supervisor."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from layan.attendance import services, tasks
from layan.attendance.models import (
    LeaveRequest,
    LeaveType,
    Roster,
    RosterEntry,
    StandbyPing,
    StandbyPolicy,
)
from layan.attendance.tests.conftest import wita
from layan.conftest import _unit, client_for, make_employee, make_user
from layan.core import calendar
from layan.core.calendar import WIB
from layan.core.models import Notification
from layan.org.models import Unit
from layan.regions.models import Region

MONDAY = date(2024, 3, 4)
NYEPI = date(2024, 3, 11)  # a national holiday (a Monday)
API = "/api/v1/presensi/siaga/"


def publish(unit, entries: dict, days: list[date]) -> Roster:
    """A published roster: ``entries`` maps employee -> mode on every day of ``days``."""
    roster = Roster.objects.create(unit=unit, start=min(days), end=max(days), status=Roster.Status.PUBLISHED)
    RosterEntry.objects.bulk_create(
        RosterEntry(roster=roster, employee=e, date=d, mode=mode) for e, mode in entries.items() for d in days
    )
    return roster


@pytest.fixture
def policy(db):
    """20% of the WFH staff per round, two rounds a day, 30 minutes to answer."""
    StandbyPolicy.objects.all().delete()
    return StandbyPolicy.objects.create(
        valid_from=date(2020, 1, 1), sample_percent=20, rounds_per_day=2, answer_window_minutes=30
    )


@pytest.fixture
def team(people, units, policy):
    """Toili: ten WFH staff and three WFO staff under the head (Siti), Budi WFH too, one WFH on leave."""
    head, toili = people["head"], units["kec_toili"]
    wfh = [people["staff"]]
    for i in range(9):
        wfh.append(
            make_employee(
                toili,
                f"Pegawai WFH {i}",
                f"19900101201501{i:04d}",
                supervisor=head,
                user=make_user(f"wfh.{i}"),
                nik=f"720101990{i:07d}",
            )
        )
    wfo = [
        make_employee(
            toili,
            f"Pegawai WFO {i}",
            f"19910101201601{i:04d}",
            supervisor=head,
            user=make_user(f"wfo.{i}"),
            nik=f"720101980{i:07d}",
        )
        for i in range(3)
    ]
    on_leave = make_employee(
        toili,
        "Pegawai Cuti",
        "199201012017011000",
        supervisor=head,
        user=make_user("cuti.1"),
        nik="7201019700000001",
    )
    LeaveRequest.objects.create(
        employee=on_leave,
        leave_type=LeaveType.objects.get(code="CT"),
        start=MONDAY,
        end=NYEPI,
        reason="Cuti",
        status="approved",
        working_days=5,
    )
    modes = {head: "WFO", on_leave: "WFH", **{e: "WFH" for e in wfh}, **{e: "WFO" for e in wfo}}
    publish(toili, modes, [MONDAY, NYEPI])
    return {"wfh": wfh, "wfo": wfo, "on_leave": on_leave, "head": head}


def pinged() -> set[int]:
    return set(StandbyPing.objects.values_list("employee_id", flat=True))


@pytest.mark.django_db
def test_pings_sample_only_wfh_staff_never_twice_a_day_and_a_rerun_sends_nothing(team, clock):
    wfh_ids = {e.pk for e in team["wfh"]}
    clock.set(wita(2024, 3, 4, 9, 0))
    assert services.standby_pings_send() == 2  # round 1: 20% of 10 WFH staff
    first = pinged()
    assert first <= wfh_ids  # never the WFO staff, the head, nor the one on leave
    clock.set(wita(2024, 3, 4, 9, 10))
    assert services.standby_pings_send() == 0  # the same round again: idempotent
    clock.set(wita(2024, 3, 4, 12, 0))
    assert services.standby_pings_send() == 2  # round 2
    assert services.standby_pings_send() == 0
    assert len(pinged()) == 4 and first < pinged() <= wfh_ids
    assert StandbyPing.objects.filter(date=MONDAY).count() == 4  # one per person and day
    ping = StandbyPing.objects.order_by("sent_at").first()
    assert ping.expires_at - ping.sent_at == timedelta(minutes=30)
    note = Notification.objects.get(user=ping.employee.user)
    assert note.title == "Apakah Anda siap dihubungi?" and note.url == "/presensi/siaga/"
    assert Notification.objects.filter(title="Apakah Anda siap dihubungi?").count() == 4


@pytest.mark.django_db
def test_pings_only_on_working_days_and_inside_the_working_hours(team, clock):
    clock.set(wita(2024, 3, 4, 7, 50))  # before 07:30 + 30 min of quiet start
    assert services.standby_pings_send() == 0
    clock.set(wita(2024, 3, 4, 15, 10))  # the answer window would end after 16:00 − 30 min
    assert services.standby_pings_send() == 0
    clock.set(wita(2024, 3, 2, 10, 0))  # Saturday
    assert services.standby_pings_send() == 0
    assert not calendar.is_working_day(NYEPI, "72.01.01")
    clock.set(wita(2024, 3, 11, 10, 0))  # Nyepi: WFH on the roster, but a national holiday
    assert services.standby_pings_send() == 0
    assert StandbyPing.objects.count() == 0
    clock.set(wita(2024, 3, 4, 8, 5))
    assert services.standby_pings_send() == 2


@pytest.mark.django_db
def test_pings_follow_the_units_own_time_zone(team, units, clock):
    """08:05 WITA is 07:05 WIB: Toili's window is open, a Jakarta unit's is not yet."""
    Region.objects.create(code="31", name="DKI Jakarta", level=1)
    Region.objects.create(code="31.71", name="Kota Jakarta Pusat", level=2, parent_id="31")
    jakarta = _unit(
        "PERWAKILAN", "Kantor Perwakilan Jakarta", Unit.Kind.UPT, Region.objects.get(code="31.71")
    )
    staff = [
        make_employee(jakarta, f"Staf Jakarta {i}", f"19930101201801{i:04d}", user=make_user(f"jkt.{i}"),
                      nik=f"317101990{i:07d}")
        for i in range(3)
    ]  # fmt: skip
    publish(jakarta, dict.fromkeys(staff, "WFH"), [MONDAY])
    clock.set(wita(2024, 3, 4, 8, 5))
    services.standby_pings_send()
    units_pinged = set(StandbyPing.objects.values_list("employee__unit_id", flat=True))
    assert units_pinged == {units["kec_toili"].pk}
    clock.set(datetime(2024, 3, 4, 8, 5, tzinfo=WIB))
    assert services.standby_pings_send() == 1  # ceil(20% of 3)
    assert StandbyPing.objects.filter(employee__unit=jakarta).count() == 1


@pytest.mark.django_db
def test_one_tap_answer_records_the_response_time_and_a_second_tap_changes_nothing(people, team, clock):
    clock.set(wita(2024, 3, 4, 9, 0))
    ping = StandbyPing.objects.create(
        employee=people["staff"], date=MONDAY, sent_at=clock.now, expires_at=clock.now + timedelta(minutes=30)
    )
    Notification.objects.create(
        user=people["staff"].user, title="Apakah Anda siap dihubungi?", url="/presensi/siaga/"
    )
    client = client_for(people["staff"].user)
    card = client.get("/presensi/siaga/kartu/")
    assert "Saya siap" in card.content.decode()
    clock.set(wita(2024, 3, 4, 9, 7, 30))
    response = client.post(f"/presensi/siaga/{ping.pk}/jawab/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Terima kasih" in response.content.decode()
    ping.refresh_from_db()
    assert ping.status == "answered" and ping.response_seconds == 450 and ping.answered_via == "web"
    assert ping.answered_at == wita(2024, 3, 4, 9, 7, 30)
    assert Notification.objects.get(user=people["staff"].user).read_at is not None
    clock.set(wita(2024, 3, 4, 9, 9))
    again = client.post(f"{API}{ping.pk}/jawab/")
    assert again.status_code == 200 and again.json()["response_seconds"] == 450
    assert again.json()["status"] == "answered"
    assert "Saya siap" not in client.get("/presensi/siaga/kartu/").content.decode()


@pytest.mark.django_db
def test_native_app_lists_and_answers_its_own_pings(people, team, clock):
    clock.set(wita(2024, 3, 4, 9, 0))
    ping = StandbyPing.objects.create(
        employee=people["staff"], date=MONDAY, sent_at=clock.now, expires_at=clock.now + timedelta(minutes=30)
    )
    client = client_for(people["staff"].user)
    listing = client.get(API).json()
    assert listing["count"] == 1 and listing["results"][0]["status"] == "sent"
    clock.set(wita(2024, 3, 4, 9, 2))
    answered = client.post(f"{API}{ping.pk}/jawab/")
    assert answered.status_code == 200
    assert answered.json()["response_seconds"] == 120 and answered.json()["answered_via"] == "api"


@pytest.mark.django_db
def test_expiry_marks_unanswered_pings_missed_and_a_late_answer_is_refused(people, team, clock):
    clock.set(wita(2024, 3, 4, 9, 0))
    ping = StandbyPing.objects.create(
        employee=people["staff"], date=MONDAY, sent_at=clock.now, expires_at=clock.now + timedelta(minutes=30)
    )
    clock.set(wita(2024, 3, 4, 9, 29))
    assert services.standby_pings_expire() == 0
    clock.set(wita(2024, 3, 4, 9, 31))
    result = tasks.standby_pings()  # the beat task: expire, then send the round due
    assert result["missed"] == 1
    ping.refresh_from_db()
    assert ping.status == "missed" and ping.answered_at is None
    client = client_for(people["staff"].user)
    late = client.post(f"{API}{ping.pk}/jawab/")
    assert late.status_code == 409 and late.json()["code"] == "expired" and "09:30" in late.json()["message"]
    page = client.post(f"/presensi/siaga/{ping.pk}/jawab/", follow=True)
    assert "sudah lewat" in page.content.decode()
    ping.refresh_from_db()
    assert ping.status == "missed"


@pytest.mark.django_db
def test_supervisor_sees_unanswered_pings_on_the_board_the_team_page_and_the_month_view(people, team, clock):
    clock.set(wita(2024, 3, 4, 9, 0))
    StandbyPing.objects.create(
        employee=people["staff"], date=MONDAY, sent_at=clock.now, expires_at=clock.now + timedelta(minutes=30)
    )
    answered_by = team["wfh"][1]
    StandbyPing.objects.create(
        employee=answered_by,
        date=MONDAY,
        sent_at=clock.now,
        expires_at=clock.now + timedelta(minutes=30),
        answered_at=clock.now + timedelta(minutes=3),
        response_seconds=180,
        status="answered",
    )
    clock.set(wita(2024, 3, 4, 10, 0))  # past the window, before the expiry job ran: already "missed"
    head = client_for(people["head"].user)
    board = head.get("/presensi/tim/papan/").content.decode()
    assert "Siaga tidak dijawab 1" in board and "Tidak dijawab" in board
    listing = head.get("/presensi/tim/siaga/?bulan=2024-03&status=missed").content.decode()
    assert "Budi Santoso" in listing and answered_by.name not in listing
    everything = head.get("/presensi/tim/siaga/?bulan=2024-03").content.decode()
    assert answered_by.name in everything and "rata-rata menjawab 3,0 menit" in everything
    export = head.get("/presensi/tim/siaga/?bulan=2024-03&export=csv").content.decode()
    assert "Budi Santoso" in export and "Tidak dijawab" in export
    month = client_for(people["staff"].user).get("/presensi/saya/?bulan=2024-03").content.decode()
    assert "Tidak dijawab" in month
    history = client_for(people["staff"].user).get("/presensi/siaga/").content.decode()
    assert "Tidak dijawab" in history


@pytest.mark.django_db
def test_pings_are_404_to_anyone_but_the_employee_and_the_team_page_to_outsiders(
    people, team, clock, camat, sibling, outsider
):
    clock.set(wita(2024, 3, 4, 9, 0))
    ping = StandbyPing.objects.create(
        employee=people["staff"], date=MONDAY, sent_at=clock.now, expires_at=clock.now + timedelta(minutes=30)
    )
    for user in (people["head"].user, camat, sibling, outsider, team["wfh"][1].user):
        client = client_for(user)
        assert client.post(f"/presensi/siaga/{ping.pk}/jawab/").status_code == 404
        assert client.post(f"{API}{ping.pk}/jawab/").status_code == 404
    for user in (sibling, outsider, people["staff"].user):
        assert client_for(user).get("/presensi/tim/siaga/").status_code == 404
    assert client_for(outsider).get("/presensi/siaga/").status_code == 404
    assert client_for(outsider).get(API).status_code == 404
    ping.refresh_from_db()
    assert ping.status == "sent"


@pytest.mark.django_db
def test_checkin_page_loads_the_standby_card(people, team, clock):
    clock.set(wita(2024, 3, 4, 9, 0))
    html = client_for(people["staff"].user).get("/presensi/").content.decode()
    assert 'hx-get="/presensi/siaga/kartu/"' in html and "style=" not in html


@pytest.mark.django_db
def test_demo_pings_are_idempotent_and_leave_one_waiting_for_the_pegawai_account(people, clock):
    from layan.attendance import demo

    people["staff"].user.username = "pegawai"
    people["staff"].user.save()
    clock.set(wita(2024, 3, 6, 9, 0))  # a Wednesday
    staff = [people["head"], people["staff"], people["batui"]]
    created = demo._standby_pings(staff, date(2024, 3, 6))
    assert created == StandbyPing.objects.count() > 5
    assert StandbyPing.objects.filter(status="answered").exists()
    waiting = StandbyPing.objects.get(employee=people["staff"], date=date(2024, 3, 6))
    assert waiting.status == "sent" and Notification.objects.filter(user=people["staff"].user).count() == 1
    assert demo._standby_pings(staff, date(2024, 3, 6)) == 0
    assert Notification.objects.count() == 1
