"""Helping someone who cannot log in: the admin sistem unlocks, resets the second factor, deactivates."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from layan.accounts import services
from layan.accounts.tests.conftest import confirmed_totp, login, totp_code
from layan.conftest import client_for, verified_client_for
from layan.core.models import AuditEvent


@pytest.fixture
def admin_client(admin_sistem):
    return verified_client_for(admin_sistem)


def _fail_logins(username: str, times: int = 5) -> None:
    client = Client()
    for _ in range(times):
        login(client, username, password="salah-sandi")


@pytest.mark.django_db
def test_list_finds_a_locked_account_and_the_detail_says_from_where(admin_client, bkpsdm):
    _fail_logins(bkpsdm.username)
    page = admin_client.get("/akun/pengguna/", {"status": "locked"}).content.decode()
    assert bkpsdm.username in page
    detail = admin_client.get(f"/akun/pengguna/{bkpsdm.pk}/").content.decode()
    assert "terkunci dari" in detail and "127.0.0.1" in detail


@pytest.mark.django_db
def test_unlock_lets_the_owner_log_in_again_at_once(admin_client, camat):
    _fail_logins(camat.username)
    assert login(Client(), camat.username).status_code == 429
    response = admin_client.post(f"/akun/pengguna/{camat.pk}/unlock/")
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=camat.username).exists()
    assert login(Client(), camat.username).status_code == 302
    assert AuditEvent.objects.filter(action="user.unlock", object_id=str(camat.pk)).exists()


@pytest.mark.django_db
def test_reset_second_factor_needs_a_reason_then_asks_for_a_new_authenticator(admin_client, bkpsdm):
    device = confirmed_totp(bkpsdm)
    owner = Client()
    login(owner, bkpsdm.username)
    owner.post("/akun/2fa/", {"token": totp_code(device)})
    assert owner.get("/akun/token/").status_code == 200

    refused = admin_client.post(f"/akun/pengguna/{bkpsdm.pk}/reset-2fa/", {"reason": "hilang"})
    assert refused.status_code == 400
    assert "minimal 10 karakter" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=bkpsdm).exists()

    done = admin_client.post(
        f"/akun/pengguna/{bkpsdm.pk}/reset-2fa/",
        {"reason": "Ponsel hilang, dikonfirmasi lewat telepon kantor"},
    )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=bkpsdm).exists()
    assert not StaticDevice.objects.filter(user=bkpsdm).exists()
    # The old session ended; the next login leads to setting up a new authenticator.
    assert owner.get("/akun/token/").status_code == 302
    fresh = Client()
    response = login(fresh, bkpsdm.username)
    assert fresh.get(response.url, follow=True).request["PATH_INFO"].startswith("/akun/2fa/")
    event = AuditEvent.objects.get(action="otp.reset", object_type__endswith="totpdevice")
    assert "telepon kantor" in event.note
    assert "telepon kantor" in AuditEvent.objects.get(action="user.second_factor_reset").note


@pytest.mark.django_db
def test_logout_empties_the_pages_kept_for_offline_use(camat):
    response = client_for(camat).post("/akun/keluar/")
    assert response["Clear-Site-Data"] == '"cache"'


@pytest.mark.django_db
def test_an_admin_cannot_reset_their_own_second_factor(admin_sistem):
    confirmed_totp(admin_sistem)
    with pytest.raises(ValidationError):
        services.second_factor_reset(
            actor=admin_sistem, user=admin_sistem, reason="ponsel saya hilang kemarin"
        )


@pytest.mark.django_db
def test_deactivate_then_activate(admin_client, camat):
    admin_client.post(f"/akun/pengguna/{camat.pk}/deactivate/")
    camat.refresh_from_db()
    assert not camat.is_active
    admin_client.post(f"/akun/pengguna/{camat.pk}/activate/")
    camat.refresh_from_db()
    assert camat.is_active


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["camat", "outsider", "bkpsdm"])
def test_others_get_404_on_account_management(persona, request, camat):
    user = request.getfixturevalue(persona)
    client = verified_client_for(user) if persona == "bkpsdm" else client_for(user)
    assert client.get("/akun/pengguna/").status_code == 404
    assert client.get(f"/akun/pengguna/{camat.pk}/").status_code == 404
    assert client.post(f"/akun/pengguna/{camat.pk}/deactivate/").status_code == 404
