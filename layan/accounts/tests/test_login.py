"""Login by NIP or username, the lockout on the username + IP pair, and logout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from layan.accounts.tests.conftest import login

OFFICE_IP = "10.20.30.40"
HOME_IP = "192.0.2.7"


def fail_until_locked(client: Client, username: str):
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, username, "kata-sandi-yang-salah-sekali")
    return response


@pytest.mark.django_db
def test_login_page_is_in_indonesian(client):
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    assert "NIP atau nama pengguna" in response.content.decode()


@pytest.mark.django_db
def test_login_by_username(client, people):
    response = login(client, "staf.toili")
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_login_by_username_ignores_case(client, people):
    assert login(client, "Staf.Toili").status_code == 302


@pytest.mark.django_db
def test_login_by_nip_with_spaces(client, people):
    response = login(client, "19920110 201903 1 002")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(people["staff"].user.pk)


@pytest.mark.django_db
def test_wrong_password_gets_a_clear_indonesian_message(client, people):
    response = login(client, "staf.toili", "bukan-kata-sandinya")
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unknown_user_gets_the_same_message(client, people):
    response = login(client, "tidak.ada", "bukan-kata-sandinya")
    assert "kata sandi salah" in response.content.decode()


@pytest.mark.django_db
def test_inactive_account_cannot_log_in(client, people):
    user = people["staff"].user
    user.is_active = False
    user.save()
    response = login(client, "staf.toili")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_next_is_followed_only_when_safe(client, people):
    assert login(client, "staf.toili", next="/akun/token/").url == "/akun/token/"
    other = Client()
    assert login(other, "staf.toili", next="https://evil.example/").url == "/"


@pytest.mark.django_db
def test_lockout_after_the_failure_limit_same_user_same_ip(people):
    client = Client(REMOTE_ADDR=OFFICE_IP)
    response = fail_until_locked(client, "staf.toili")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Coba lagi setelah pukul" in body
    # Even the right password is refused while locked.
    response = login(client, "staf.toili")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_never_locks_the_whole_office(people):
    fail_until_locked(Client(REMOTE_ADDR=OFFICE_IP), "staf.toili")
    # A colleague behind the same office IP still logs in.
    colleague = Client(REMOTE_ADDR=OFFICE_IP)
    assert login(colleague, "kasi.toili").status_code == 302
    # The same person from home (another IP) still logs in.
    from_home = Client(REMOTE_ADDR=HOME_IP)
    assert login(from_home, "staf.toili").status_code == 302


@pytest.mark.django_db
def test_nip_and_username_share_one_lockout_counter(people):
    client = Client(REMOTE_ADDR=OFFICE_IP)
    spellings = ["staf.toili", "STAF.TOILI", "199201102019031002", "19920110 201903 1 002", "Staf.Toili"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        login(client, spelling, "salah-salah-salah-salah")
    assert login(client, "199201102019031002").status_code == 429


@pytest.mark.django_db
def test_cool_off_expires(people):
    client = Client(REMOTE_ADDR=OFFICE_IP)
    fail_until_locked(client, "staf.toili")
    assert login(client, "staf.toili").status_code == 429
    # Move the recorded failures back past the cool-off instead of waiting.
    past = timezone.now() - settings.AXES_COOLOFF_TIME * timedelta(hours=1) - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert login(client, "staf.toili").status_code == 302


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(people):
    client = Client(REMOTE_ADDR=OFFICE_IP)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "staf.toili", "salah-salah-salah-salah")
    assert login(client, "staf.toili").status_code == 302
    client.post("/akun/keluar/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "staf.toili", "salah-salah-salah-salah")
    assert login(client, "staf.toili").status_code == 302


@pytest.mark.django_db
def test_logout_is_post_only(client, people):
    login(client, "staf.toili")
    assert client.get("/akun/keluar/").status_code == 405
    response = client.post("/akun/keluar/")
    assert response.status_code in (200, 302)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_account_page_shows_my_nip_unit_and_roles(client, people):
    login(client, "staf.toili")
    body = client.get("/akun/").content.decode()
    assert "199201102019031002" in body
    assert "Kecamatan Toili" in body
    assert "Pegawai" in body
