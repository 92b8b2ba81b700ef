"""Tokens for the mobile client: issue (with a TOTP code for privileged roles), use, expire, revoke."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from layan.accounts.authentication import hash_token_key
from layan.accounts.tests.conftest import confirmed_totp, totp_code
from layan.conftest import PASSWORD
from layan.core.models import ApiToken, AuditEvent

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"


def issue(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password, **extra}, content_type="application/json"
    )


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_issue_a_token_and_use_it(client, people):
    response = issue(client, "199201102019031002", device_name="HP Budi")
    assert response.status_code == 201
    data = response.json()
    key = data["token"]
    assert data["user"]["username"] == "staf.toili"
    assert data["user"]["employee"]["nip"] == "199201102019031002"
    # Only the hash of the key is stored.
    token = ApiToken.objects.get(user=people["staff"].user)
    assert token.key_hash == hash_token_key(key)
    assert key not in token.key_hash and token.name == "HP Budi"
    expected = timezone.now() + timedelta(days=settings.LAYAN_API_TOKEN_DAYS)
    assert abs((token.expires_at - expected).total_seconds()) < 60

    me = Client().get(ME_URL, **bearer(key))
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "staf.toili"
    assert body["name"] == "Staf.Toili"
    assert {r["role"] for r in body["roles"]} == {"pegawai"}
    assert body["employee"]["unit"]["name"] == "Kecamatan Toili"
    assert body["employee"]["supervisor"] == "Siti Rahma"
    assert "nik" not in str(body).lower()
    assert AuditEvent.objects.filter(action="api_token.issue").exists()


@pytest.mark.django_db
def test_me_lists_roles_with_scopes(client, camat):
    key = issue(client, "camat.toili").json()["token"]
    roles = Client().get(ME_URL, **bearer(key)).json()["roles"]
    assert roles == [
        {
            "role": "camat",
            "label": "Camat",
            "scope_region": "72.01.01",
            "scope_unit": None,
            "valid_from": "2020-01-01",
            "valid_to": None,
        }
    ]


@pytest.mark.django_db
def test_wrong_password_is_401_in_the_error_format(client, people):
    response = issue(client, "staf.toili", "bukan-kata-sandinya")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert set(response.json()) == {"code", "message", "fields"}
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_missing_fields_are_named(client, db):
    response = client.post(TOKEN_URL, {"username": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert "password" in response.json()["fields"]


@pytest.mark.django_db
def test_the_api_login_is_locked_out_too(people):
    client = Client(REMOTE_ADDR="10.1.1.1")
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = issue(client, "staf.toili", "bukan-kata-sandinya")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert issue(client, "staf.toili").status_code == 429
    # Another IP is not affected.
    assert issue(Client(REMOTE_ADDR="10.1.1.2"), "staf.toili").status_code == 201


@pytest.mark.django_db
def test_privileged_user_needs_a_totp_code(client, bkpsdm):
    device = confirmed_totp(bkpsdm)
    response = issue(client, "admin.bkpsdm")
    assert response.status_code == 400
    assert response.json()["code"] == "second_factor_required"
    assert "otp" in response.json()["fields"]
    response = issue(client, "admin.bkpsdm", otp="000000")
    assert response.status_code == 400
    assert "otp" in response.json()["fields"]
    assert not ApiToken.objects.exists()
    response = issue(client, "admin.bkpsdm", otp=totp_code(device))
    assert response.status_code == 201
    assert response.json()["user"]["second_factor_required"] is True
    # The token counts as verified: privileged API calls pass without a session.
    me = Client().get(ME_URL, **bearer(response.json()["token"]))
    assert me.status_code == 200


@pytest.mark.django_db
def test_privileged_user_without_a_device_is_told_to_set_one_up(client, pimpinan):
    response = issue(client, "bupati", otp="123456")
    assert response.status_code == 400
    assert response.json()["code"] == "second_factor_setup_required"


@pytest.mark.django_db
def test_wrong_totp_codes_count_towards_the_lockout(bkpsdm):
    confirmed_totp(bkpsdm)
    client = Client(REMOTE_ADDR="10.9.9.9")
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = issue(client, "admin.bkpsdm", otp="000000")
    assert response.status_code == 429


@pytest.mark.django_db
def test_expired_token_is_401(client, people):
    key = issue(client, "staf.toili").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(ME_URL, **bearer(key))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.django_db
def test_unknown_token_is_401(db):
    response = Client().get(ME_URL, **bearer("bukan-token"))
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_delete_revokes_the_current_token_only(client, people):
    first = issue(client, "staf.toili", device_name="HP 1").json()["token"]
    second = issue(client, "staf.toili", device_name="HP 2").json()["token"]
    api = Client()
    assert api.delete(TOKEN_URL, **bearer(first)).status_code == 204
    assert api.get(ME_URL, **bearer(first)).status_code == 401
    assert api.get(ME_URL, **bearer(second)).status_code == 200
    assert api.delete(TOKEN_URL, **bearer(first)).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


@pytest.mark.django_db
def test_delete_without_a_token_is_401(client, db):
    assert client.delete(TOKEN_URL).status_code == 401


@pytest.mark.django_db
def test_a_stale_token_header_does_not_block_signing_in(client, people):
    response = client.post(
        TOKEN_URL,
        {"username": "staf.toili", "password": PASSWORD},
        content_type="application/json",
        **bearer("kedaluwarsa"),
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_token_page_lists_and_revokes_my_tokens(people):
    key = issue(Client(), "staf.toili", device_name="HP Budi").json()["token"]
    token = ApiToken.objects.get()
    web = Client()
    web.force_login(people["staff"].user)
    page = web.get("/akun/token/")
    assert page.status_code == 200
    assert "HP Budi" in page.content.decode()
    assert key not in page.content.decode()
    assert web.post(f"/akun/token/{token.pk}/cabut/").status_code == 302
    assert Client().get(ME_URL, **bearer(key)).status_code == 401


@pytest.mark.django_db
def test_someone_elses_token_cannot_be_revoked(people):
    issue(Client(), "staf.toili")
    token = ApiToken.objects.get()
    other = Client()
    other.force_login(people["head"].user)
    assert other.post(f"/akun/token/{token.pk}/cabut/").status_code == 404
    assert "staf.toili" not in other.get("/akun/token/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_deactivated_user_token_stops_working(client, people):
    from layan.accounts import services

    key = issue(client, "staf.toili").json()["token"]
    services.user_set_active(actor=None, user=people["staff"].user, active=False)
    assert Client().get(ME_URL, **bearer(key)).status_code == 401
