"""The supervisor's live team page: new reports by polling, one-tap decisions, streaks, query count."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from layan.conftest import client_for, make_employee, make_user
from layan.core import calendar
from layan.performance import services
from layan.performance.models import DailyReport


def recent_working_days(count: int) -> list:
    """The last ``count`` working days up to and including today (newest last)."""
    today = timezone.localdate()
    return calendar.working_days_in(today - timedelta(days=2 * count + 20), today, "72.01.01")[-count:]


def _cursor(response) -> str:
    return response.context["cursor"]


def test_a_report_submitted_after_the_page_opened_arrives_by_the_poll(people):
    head = client_for(people["head"].user)
    page = head.get(reverse("performance:team"))
    assert page.status_code == 200 and "team-poller" in page.content.decode()
    cursor = _cursor(page)
    day = recent_working_days(1)[0]
    services.daily_report_submit(
        actor=people["staff"].user, client_uuid=uuid.uuid4(), day=day, activity="Verifikasi berkas KTP"
    )
    poll = head.get(reverse("performance:team_new"), {"since": cursor})
    body = poll.content.decode()
    assert poll.status_code == 200
    assert "Verifikasi berkas KTP" in body and 'hx-swap-oob="afterbegin:#team-list"' in body
    # The next poll carries the new cursor and brings nothing twice.
    again = head.get(reverse("performance:team_new"), {"since": _cursor(poll)})
    assert "Verifikasi berkas KTP" not in again.content.decode()


def test_the_poll_refuses_people_without_a_team(people, outsider, sibling):
    for user in (people["staff"].user, outsider, sibling):
        response = client_for(user).get(
            reverse("performance:team_new"), {"since": timezone.now().isoformat()}
        )
        assert response.status_code == 404


def test_the_poll_shows_only_the_actors_own_team(people, units, position):
    other_head = make_employee(
        units["kec_batui"],
        "Rahmat Hidayat",
        "198001012005011001",
        position=position,
        user=make_user("kasi.batui"),
        nik="7201020101800001",
    )
    other_staff = make_employee(
        units["kec_batui"],
        "Nur Aini",
        "199501012020012002",
        position=position,
        supervisor=other_head,
        user=make_user("staf.batui"),
        nik="7201024101950002",
    )
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    day = recent_working_days(1)[0]
    services.daily_report_submit(
        actor=other_staff.user, client_uuid=uuid.uuid4(), day=day, activity="Arsip surat"
    )
    body = (
        client_for(people["head"].user)
        .get(reverse("performance:team_new"), {"since": since})
        .content.decode()
    )
    assert "Arsip surat" not in body


def test_approve_in_one_tap_answers_with_the_row_only(people):
    report = DailyReport.objects.create(
        employee=people["staff"], date=recent_working_days(1)[0], activity="x"
    )
    head = client_for(people["head"].user)
    response = head.post(
        reverse("performance:report_decide", args=[report.pk]), {"approve": "on"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and f'id="report-{report.pk}"' in body and "Disetujui" in body
    assert "team-list" not in body  # the row, not the whole list
    report.refresh_from_db()
    assert report.status == DailyReport.Status.APPROVED and report.decided_by == people["head"].user


def test_return_needs_a_note_and_keeps_the_report_waiting(people):
    report = DailyReport.objects.create(
        employee=people["staff"], date=recent_working_days(1)[0], activity="x"
    )
    head = client_for(people["head"].user)
    url = reverse("performance:report_decide", args=[report.pk])
    response = head.post(url, {"note": ""}, HTTP_HX_REQUEST="true")
    assert "Tulis catatan" in response.content.decode()
    report.refresh_from_db()
    assert report.status == DailyReport.Status.SUBMITTED
    head.post(url, {"note": "Lampirkan bukti foto"}, HTTP_HX_REQUEST="true")
    report.refresh_from_db()
    assert report.status == DailyReport.Status.RETURNED and report.supervisor_note == "Lampirkan bukti foto"


def test_the_staff_member_cannot_decide_their_own_report(people):
    report = DailyReport.objects.create(
        employee=people["staff"], date=recent_working_days(1)[0], activity="x"
    )
    response = client_for(people["staff"].user).post(
        reverse("performance:report_decide", args=[report.pk]), {"approve": "on"}
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == DailyReport.Status.SUBMITTED


def test_streaks_and_who_has_reported_today(people, units, position):
    days = recent_working_days(4)
    DailyReport.objects.bulk_create(
        DailyReport(employee=people["staff"], date=d, activity="x", status="approved") for d in days[1:]
    )
    quiet = make_employee(
        units["kec_toili"],
        "Yusuf Lamato",
        "199301012019031005",
        position=position,
        supervisor=people["head"],
        nik="7201010101930006",
    )
    page = client_for(people["head"].user).get(reverse("performance:team"))
    streaks = {s["name"]: s for s in page.context["streaks"]}
    today_reported = days[-1] == timezone.localdate()
    assert streaks["Budi Santoso"]["streak"] == 3
    assert streaks["Budi Santoso"]["today"] is today_reported
    assert streaks[quiet.name]["streak"] == 0 and streaks[quiet.name]["today"] is False
    # Those who have not reported today come first.
    assert page.context["streaks"][0]["name"] == quiet.name


def test_a_long_streak_is_counted_past_the_short_window(people):
    days = recent_working_days(40)  # about two months of working days
    DailyReport.objects.bulk_create(
        DailyReport(employee=people["staff"], date=d, activity="x", status="approved") for d in days
    )
    streaks = client_for(people["head"].user).get(reverse("performance:team")).context["streaks"]
    assert streaks[0]["streak"] == 40


def test_a_gap_before_the_short_window_ends_the_streak(people):
    days = recent_working_days(60)
    gap = days[-50]  # 49 working days reported after it, 10 before it
    DailyReport.objects.bulk_create(
        DailyReport(employee=people["staff"], date=d, activity="x", status="approved")
        for d in days
        if d != gap
    )
    streaks = client_for(people["head"].user).get(reverse("performance:team")).context["streaks"]
    assert streaks[0]["streak"] == 49


def _team_page_queries(client) -> int:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(reverse("performance:team")).status_code == 200
    assert queries  # the counter saw the page's queries
    return len(queries)


def test_the_team_page_query_count_does_not_grow_with_the_team(people, units, position):
    head = client_for(people["head"].user)
    days = recent_working_days(10)
    DailyReport.objects.bulk_create(DailyReport(employee=people["staff"], date=d, activity="x") for d in days)
    _team_page_queries(head)  # warms the working-day calendar's cache
    small = _team_page_queries(head)
    for i in range(6):
        member = make_employee(
            units["kec_toili"],
            f"Anggota {i}",
            f"19930101201903{i:04d}",
            position=position,
            supervisor=people["head"],
            nik=f"72010101019300{i + 10:02d}",
        )
        DailyReport.objects.bulk_create(
            DailyReport(employee=member, date=d, activity=f"Kegiatan {i}", rhk=None) for d in days
        )
    large = _team_page_queries(head)
    assert large == small


@pytest.mark.parametrize("status", ["approved", "returned"])
def test_other_tabs_list_decided_reports_without_polling(people, status):
    DailyReport.objects.create(
        employee=people["staff"], date=recent_working_days(1)[0], activity="Sudah diputuskan", status=status
    )
    page = client_for(people["head"].user).get(reverse("performance:team"), {"status": status})
    body = page.content.decode()
    assert "Sudah diputuskan" in body and "team-poller" not in body


def test_the_evidence_file_of_a_report_opens_for_its_author_and_supervisor_only(people):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    day = recent_working_days(1)[0]
    report = services.daily_report_submit(
        actor=people["staff"].user,
        client_uuid=uuid.uuid4(),
        day=day,
        activity="Pengukuran tanah",
        evidence_file=SimpleUploadedFile("ukur.png", buffer.getvalue(), content_type="image/png"),
    ).report
    url = reverse("performance:report_evidence", args=[report.pk])
    team = client_for(people["head"].user).get(reverse("performance:team")).content.decode()
    assert url in team and "/media/" not in team
    for user in (people["staff"].user, people["head"].user):
        response = client_for(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
    stranger = make_user("orang.lain")
    assert client_for(stranger).get(url).status_code == 404
