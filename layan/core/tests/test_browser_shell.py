"""Real-browser tests (Debian Chromium through Playwright) against the demo kabupaten on a live server:
the demo accounts log in (with the second factor where the role needs it) and land on their home page,
the language switch works, and the home page fits a 360-px phone.

Run with ``make test-browser`` (``pytest -m browser -p no:xdist``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from layan.accounts.validators import DEMO_PASSWORD
from layan.conftest import CHROMIUM, CHROMIUM_ARGS
from layan.conftest import log_in as log_in_with_password
from layan.core.demo import demo_load

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test itself
# (reading a TOTP key) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[3] / "test-results"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    demo_load()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def current_totp(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def log_in(page, username: str) -> None:
    """A demo account: the demo password, then the second factor where the role needs it."""
    log_in_with_password(page, username, DEMO_PASSWORD)
    if "/akun/2fa/" in page.url:
        page.fill("input[name=token]", current_totp(username))
        page.click("main form:has(input[name=token]) button[type=submit]")
        page.wait_for_load_state("domcontentloaded")


def home_title(page) -> str:
    return page.locator("#home-title").inner_text().strip()


@pytest.mark.parametrize(
    ("username", "title"),
    [
        ("pegawai", "Beranda Pegawai"),
        ("camat.luwuk", "Beranda Camat"),
        ("admin.bkpsdm", "Beranda Admin BKPSDM"),
    ],
)
def test_demo_account_lands_on_its_home_page(demo, page, live_server, username, title):
    log_in(page, username)
    assert page.url.rstrip("/") == live_server.url.rstrip("/")
    assert home_title(page) == title


def test_privileged_role_must_pass_the_second_factor(demo, page):
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", "admin.bkpsdm")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action$='/akun/masuk/'] button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    assert "/akun/2fa/" in page.url
    page.goto("/")
    assert "/akun/2fa/" in page.url  # no page opens before the code
    assert page.locator("#home-title").count() == 0


def test_language_switch_turns_indonesian_into_english_and_back(demo, page):
    log_in(page, "camat.luwuk")
    assert page.locator("html").get_attribute("lang") == "id"
    indonesian = home_title(page)
    assert indonesian == "Beranda Camat"

    page.click("#language-switcher button[value=en]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "en"
    english = home_title(page)
    assert english != indonesian
    assert "Beranda" not in english
    assert "home" in english.lower()
    assert page.locator("#language-label").inner_text().strip().rstrip(":") == "Language"

    page.click("#language-switcher button[value=id]")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "id"
    assert home_title(page) == indonesian
    assert page.locator("#language-label").inner_text().strip().rstrip(":") == "Bahasa"


@pytest.mark.parametrize("username", ["admin.bkpsdm", "camat.luwuk", "pegawai"])
def test_home_page_fits_a_360_px_phone(demo, browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        log_in(page, username)
        assert page.locator("#home-title").is_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"home-360-{username}.png"), full_page=True)
        assert scroll_width <= 360, f"{username}: the page is {scroll_width}px wide on a 360-px screen"
    finally:
        context.close()
