"""Shared fixtures: a slice of Kabupaten Banggai and the named personas every scope test uses.

- ``camat``   — camat scoped to kecamatan 72.01.01 (inside)
- ``sibling`` — camat of the sibling kecamatan 72.01.02
- ``outsider``— a logged-in account with no role and no employee record
- ``bkpsdm``  — admin BKPSDM for the whole kabupaten, second factor verified in ``bkpsdm_client``
"""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from layan.core.models import RoleAssignment, User
from layan.org.models import Employee, Position, Unit
from layan.regions.models import Region

PASSWORD = "kata-sandi-uji-yang-panjang-42"

# --- browser tests (pytest -m browser): Debian's Chromium, a phone, logging in ------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
]  # fmt: skip
FAKE_CAMERA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
PHONE = {"locale": "id-ID", "viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def launch_chromium(playwright, *, camera: bool = False):
    """Headless Chromium; with ``camera`` a fake camera that needs no permission prompt."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS + (FAKE_CAMERA_ARGS if camera else [])
    )


def phone_page(browser, live_server, **context_options):
    """A page on a 360-px touch phone in Indonesian (``context_options``: geolocation, permissions…)."""
    page = browser.new_context(base_url=live_server.url, **PHONE, **context_options).new_page()
    page.set_default_timeout(20_000)
    return page


def field_phone_page(browser, live_server, latitude: float, longitude: float):
    """A phone in the field: its GPS gives this position (15 m accuracy) and the site may read it."""
    return phone_page(
        browser,
        live_server,
        geolocation={"latitude": latitude, "longitude": longitude, "accuracy": 15},
        permissions=["geolocation"],
    )


def wait_for_service_worker(page) -> None:
    """Until a service worker controls the page, so a reload goes through it and it keeps a copy (polling:
    the CSP forbids the eval behind Playwright's wait_for_function). A worker that became active while the
    page was loading controls only the next load, so the page is reloaded now and then while it waits."""
    import time

    for attempt in range(150):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        if attempt % 10 == 9:
            page.reload()
        time.sleep(0.2)
    pytest.fail(f"no service worker took control of {page.url}")


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form[action$='/akun/masuk/'] button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture(autouse=True)
def _indonesian_first():
    """Every test starts in the default language: a test request made in English leaves English active in
    the worker's thread, and a later test's service messages would come out in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    rows = [
        ("72", "Sulawesi Tengah", 1, None),
        ("72.01", "Kabupaten Banggai", 2, "72"),
        ("72.01.01", "Toili", 3, "72.01"),
        ("72.01.02", "Batui", 3, "72.01"),
        ("72.01.01.2001", "Singkoyo", 4, "72.01.01"),
        ("72.01.01.2002", "Cendana Pura", 4, "72.01.01"),
        ("72.01.02.1001", "Batui", 4, "72.01.02"),
        ("72.01.02.2002", "Sinorang", 4, "72.01.02"),
    ]
    for code, name, level, parent in rows:
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)
    return {code: Region.objects.get(code=code) for code, *_ in rows}


def _unit(code, name, kind, region, parent=None):
    unit = Unit.objects.create(code=code, name=name, kind=kind, region=region, parent=parent)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


@pytest.fixture
def units(regions):
    setda = _unit("SETDA", "Sekretariat Daerah", Unit.Kind.SETDA, regions["72.01"])
    return {
        "setda": setda,
        "kec_toili": _unit("KEC-TOILI", "Kecamatan Toili", Unit.Kind.KECAMATAN, regions["72.01.01"], setda),
        "kec_batui": _unit("KEC-BATUI", "Kecamatan Batui", Unit.Kind.KECAMATAN, regions["72.01.02"], setda),
    }


@pytest.fixture
def position(db):
    return Position.objects.create(name="Pengelola Data", kind=Position.Kind.PELAKSANA, kelas_jabatan=7)


def make_user(username: str, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username.title(), **extra)
    return user


def assign(user, role, *, region="", unit=None):
    return RoleAssignment.objects.create(
        user=user, role=role, scope_region=region, scope_unit=unit, valid_from=date(2020, 1, 1)
    )


def make_employee(unit, name, nip, *, position=None, supervisor=None, user=None, nik="7201014506900003"):
    return Employee.objects.create(
        kind=Employee.Kind.PNS,
        nip=nip,
        name=name,
        nik=nik,
        sex="P",
        birth_date=date(1990, 6, 5),
        unit=unit,
        position=position,
        supervisor=supervisor,
        user=user,
        employment_start=date(2015, 3, 1),
    )


@pytest.fixture
def people(units, position):
    """Two employees in Toili (one supervises the other) and one in Batui."""
    head_user = make_user("kasi.toili")
    head = make_employee(
        units["kec_toili"], "Siti Rahma", "199006052015032001", position=position, user=head_user
    )
    staff_user = make_user("staf.toili")
    staff = make_employee(
        units["kec_toili"],
        "Budi Santoso",
        "199201102019031002",
        position=position,
        supervisor=head,
        user=staff_user,
        nik="7201011001920004",
    )
    batui = make_employee(
        units["kec_batui"], "Andi Lamato", "198805122010011003", position=position, nik="7201021205880005"
    )
    return {"head": head, "staff": staff, "batui": batui}


@pytest.fixture
def camat(regions):
    user = make_user("camat.toili")
    assign(user, "camat", region="72.01.01")
    return user


@pytest.fixture
def sibling(regions):
    user = make_user("camat.batui")
    assign(user, "camat", region="72.01.02")
    return user


@pytest.fixture
def outsider(db):
    return make_user("orang.luar")


@pytest.fixture
def bkpsdm(regions):
    user = make_user("admin.bkpsdm")
    assign(user, "admin_bkpsdm", region="72.01")
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verified_client_for(user) -> Client:
    """A logged-in client whose session passed the second factor (TOTP)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    client = client_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def bkpsdm_client(bkpsdm):
    return verified_client_for(bkpsdm)
