"""TOTP is required for privileged roles (admin BKPSDM, pimpinan, admin sistem) and nobody else."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from layan.accounts.tests.conftest import confirmed_totp, login, totp_code
from layan.core.models import AuditEvent


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["bkpsdm", "pimpinan", "admin_sistem"])
def test_privileged_roles_are_sent_to_the_second_factor(persona, request):
    user = request.getfixturevalue(persona)
    confirmed_totp(user)
    client = Client()
    response = login(client, user.username)
    assert response.status_code == 302
    assert response.url.startswith("/akun/2fa/")
    # Every other page sends them back there until they verify.
    response = client.get("/akun/token/")
    assert response.status_code == 302
    assert response.url.startswith("/akun/2fa/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["camat"])
def test_camat_is_not_asked_for_a_second_factor(persona, request):
    user = request.getfixturevalue(persona)
    client = Client()
    assert login(client, user.username).url == "/"
    assert client.get("/akun/").status_code == 200


@pytest.mark.django_db
def test_pegawai_is_not_asked_for_a_second_factor(client, people):
    assert login(client, "staf.toili").url == "/"
    assert client.get("/akun/token/").status_code == 200


@pytest.mark.django_db
def test_api_refuses_an_unverified_privileged_session(bkpsdm):
    client = Client()
    client.force_login(bkpsdm)
    response = client.get("/api/v1/auth/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


@pytest.mark.django_db
def test_verified_privileged_session_passes(bkpsdm_client):
    assert bkpsdm_client.get("/api/v1/auth/me/").status_code == 200
    assert bkpsdm_client.get("/akun/peran/").status_code == 200


@pytest.mark.django_db
def test_verify_with_a_totp_code_then_follow_next(bkpsdm):
    device = confirmed_totp(bkpsdm)
    client = Client()
    login(client, bkpsdm.username, next="/akun/token/")
    response = client.post("/akun/2fa/", {"token": totp_code(device), "next": "/akun/token/"})
    assert response.status_code == 302
    assert response.url == "/akun/token/"
    assert client.get("/akun/token/").status_code == 200


@pytest.mark.django_db
def test_unsafe_next_after_verification_goes_home(bkpsdm):
    device = confirmed_totp(bkpsdm)
    client = Client()
    login(client, bkpsdm.username)
    response = client.post("/akun/2fa/", {"token": totp_code(device), "next": "//evil.example/x"})
    assert response.url == "/"


@pytest.mark.django_db
def test_wrong_code_is_refused_in_indonesian(bkpsdm):
    confirmed_totp(bkpsdm)
    client = Client()
    login(client, bkpsdm.username)
    response = client.post("/akun/2fa/", {"token": "000000"})
    assert response.status_code == 200
    assert "Kode salah" in response.content.decode()
    assert client.get("/akun/").status_code == 302


@pytest.mark.django_db
def test_without_a_device_the_user_is_sent_to_set_one_up(pimpinan):
    client = Client()
    login(client, pimpinan.username)
    response = client.get("/akun/2fa/")
    assert response.status_code == 302
    assert response.url.startswith("/akun/2fa/atur/")


@pytest.mark.django_db
def test_setup_shows_our_own_svg_qr_and_the_secret_then_confirms(pimpinan):
    client = Client()
    login(client, pimpinan.username)
    page = client.get("/akun/2fa/atur/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'src="/akun/2fa/qr.svg' in body
    assert "<script" not in body.split("</main>")[0].split("<main")[1]
    assert 'style="' not in body
    qr = client.get("/akun/2fa/qr.svg")
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg") or b"<svg" in qr.content[:200]
    assert b"style=" not in qr.content

    device = TOTPDevice.objects.get(user=pimpinan, confirmed=False)
    response = client.post("/akun/2fa/atur/", {"token": totp_code(device)})
    assert response.status_code == 302
    assert response.url.startswith("/akun/2fa/cadangan/baru/")
    device.refresh_from_db()
    assert device.confirmed

    # The backup codes are shown exactly once.
    codes_page = client.get(response.url)
    assert codes_page.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=pimpinan).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    again = client.get("/akun/2fa/cadangan/baru/")
    assert again.status_code == 302
    assert codes[0] not in client.get("/akun/2fa/cadangan/").content.decode()
    # The session is verified now.
    assert client.get("/akun/").status_code == 200
    # No secret in the audit trail.
    for event in AuditEvent.objects.filter(action__startswith="otp."):
        assert device.key not in str(event.changes)
        assert all(code not in str(event.changes) + event.note for code in codes)


@pytest.mark.django_db
def test_a_stolen_password_cannot_replace_an_existing_authenticator(bkpsdm):
    confirmed_totp(bkpsdm)
    client = Client()
    login(client, bkpsdm.username)
    response = client.get("/akun/2fa/atur/")
    assert response.status_code == 302
    assert response.url.startswith("/akun/2fa/?")
    assert client.get("/akun/2fa/qr.svg").status_code == 404
    assert not TOTPDevice.objects.filter(user=bkpsdm, confirmed=False).exists()


@pytest.mark.django_db
def test_a_backup_code_works_once(bkpsdm):
    from layan.accounts import services

    confirmed_totp(bkpsdm)
    code = services.backup_codes_regenerate(actor=bkpsdm)[0]
    client = Client()
    login(client, bkpsdm.username)
    assert client.post("/akun/2fa/", {"token": code}).status_code == 302
    assert client.get("/akun/").status_code == 200
    other = Client()
    login(other, bkpsdm.username)
    assert other.post("/akun/2fa/", {"token": code}).status_code == 200
    assert other.get("/akun/").status_code == 302


@pytest.mark.django_db
def test_regenerating_backup_codes_needs_a_verified_session(bkpsdm, bkpsdm_client):
    client = Client()
    client.force_login(bkpsdm)
    response = client.post("/akun/2fa/cadangan/")
    assert response.status_code == 302
    assert not StaticToken.objects.filter(device__user=bkpsdm).exists()
    response = bkpsdm_client.post("/akun/2fa/cadangan/")
    assert response.url == "/akun/2fa/cadangan/baru/"
    assert StaticToken.objects.filter(device__user=bkpsdm).count() == 10


@pytest.mark.django_db
def test_logout_is_open_before_the_second_factor(bkpsdm):
    client = Client()
    client.force_login(bkpsdm)
    client.post("/akun/keluar/")
    assert "_auth_user_id" not in client.session
