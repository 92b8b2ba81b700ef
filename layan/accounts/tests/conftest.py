"""Fixtures for the accounts tests: privileged personas, TOTP codes, login helpers."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from layan.conftest import PASSWORD, assign, make_user

LOGIN_URL = "/akun/masuk/"


def totp_code(device: TOTPDevice) -> str:
    """The code the user's phone shows now. Replay protection is reset so a test may log in twice."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def confirmed_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)


def login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


@pytest.fixture
def pimpinan(regions):
    user = make_user("bupati")
    assign(user, "pimpinan", region="72.01")
    return user


@pytest.fixture
def admin_sistem(regions):
    user = make_user("admin.sistem")
    assign(user, "admin_sistem", region="72.01")
    return user


@pytest.fixture
def bkpsdm_toili(regions):
    """An admin BKPSDM whose scope is only kecamatan Toili (72.01.01)."""
    user = make_user("bkpsdm.toili")
    assign(user, "admin_bkpsdm", region="72.01.01")
    return user


@pytest.fixture
def target(db):
    """An account that receives roles in the role-management tests."""
    return make_user("calon.petugas")
