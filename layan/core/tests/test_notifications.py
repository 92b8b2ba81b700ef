"""Notifications written by every module (reminders, pings, escalations) reach their user: a bell with the
unread count on every page, a list, opening one marks it read and goes where it points; the API the same."""

from __future__ import annotations

import pytest

from layan.conftest import client_for
from layan.core.models import Notification


@pytest.fixture
def notes(camat, sibling):
    mine = [
        Notification.objects.create(
            user=camat, title="Laporan harian belum diisi", url="/kinerja/laporan/baru/"
        ),
        Notification.objects.create(
            user=camat, title="3 laporan pengaduan terlambat", url="/pengaduan/terlambat/"
        ),
    ]
    theirs = Notification.objects.create(user=sibling, title="Rahasia kecamatan lain", url="/")
    return mine, theirs


@pytest.mark.django_db
def test_bell_shows_the_unread_count_and_the_list_only_own_notifications(camat, notes):
    client = client_for(camat)
    home = client.get("/").content.decode()
    assert 'id="notification-count">2<' in home
    page = client.get("/notifikasi/").content.decode()
    assert "Laporan harian belum diisi" in page and "3 laporan pengaduan terlambat" in page
    assert "Rahasia kecamatan lain" not in page


@pytest.mark.django_db
def test_opening_marks_read_and_goes_where_it_points(camat, notes):
    mine, _theirs = notes
    client = client_for(camat)
    response = client.post(f"/notifikasi/{mine[0].pk}/buka/")
    assert response.status_code == 302 and response.url == "/kinerja/laporan/baru/"
    mine[0].refresh_from_db()
    assert mine[0].read_at is not None
    assert 'id="notification-count">1<' in client.get("/").content.decode()
    assert "Laporan harian belum diisi" not in client.get("/notifikasi/?belum=1").content.decode()


@pytest.mark.django_db
def test_a_url_outside_layan_is_never_followed(camat):
    note = Notification.objects.create(user=camat, title="x", url="https://jahat.example/")
    response = client_for(camat).post(f"/notifikasi/{note.pk}/buka/")
    assert response.url == "/notifikasi/"


@pytest.mark.django_db
def test_read_all_and_someone_elses_notification_is_404(camat, notes):
    _mine, theirs = notes
    client = client_for(camat)
    assert client.post(f"/notifikasi/{theirs.pk}/buka/").status_code == 404
    client.post("/notifikasi/baca-semua/")
    assert not Notification.objects.filter(user=camat, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert 'id="notification-count"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_api_lists_and_marks_own_notifications(camat, notes):
    mine, theirs = notes
    client = client_for(camat)
    listed = client.get("/api/v1/notifications/?unread=1").json()
    assert {n["title"] for n in listed["results"]} == {n.title for n in mine}
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/api/v1/notifications/{mine[1].pk}/read/").json() == {"marked": 1}
    assert client.post("/api/v1/notifications/0/read/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=1").json()["results"] == []


@pytest.mark.django_db
def test_outsider_sees_no_one_elses_notifications(outsider, notes):
    client = client_for(outsider)
    assert client.get("/api/v1/notifications/").json()["results"] == []
    assert "Laporan harian" not in client.get("/notifikasi/").content.decode()
