"""Real browser (Debian Chromium through Playwright): a citizen on a 360-px phone files a complaint with a
photo and gets a tracking code; the kabupaten verifier verifies and routes it; the officer of Dinas PUPR
answers; the citizen sees the answer on the tracking page and rates it. The SLA is visible at each step.

Run with ``make test-browser`` (``pytest -m browser -p no:xdist``).
"""

from __future__ import annotations

import importlib
import io
import os
import re

import pytest
from django.apps import apps
from PIL import Image

from layan.complaints.models import Case, Category, State
from layan.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Lubang sudah kami tambal dengan aspal dingin pada hari Kamis. Terima kasih atas laporannya."


@pytest.fixture
def categories(transactional_db):
    # A transactional test starts from flushed tables: the seeded categories and SLA may be gone.
    seed = importlib.import_module("layan.complaints.migrations.0002_seed_categories_sla").seed
    seed(apps, None)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(browser, live_server, **extra):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **extra)
    # No network in tests: anything not served by the live server (map tiles, say) is refused.
    context.route(
        re.compile(r"^(?!" + re.escape(live_server.url) + ").*"),
        lambda route: route.abort(),
    )
    return context


def _phone(browser, live_server):
    context = _context(
        browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def _log_in(page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action$='/akun/masuk/'] button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url}: {width}px wide on a 360-px phone"


def test_citizen_files_with_photo_operator_routes_unit_answers_citizen_rates(
    categories, regions, dinas_pu, verifier, officer, browser, live_server
):
    from playwright.sync_api import expect

    Category.objects.filter(code="jalan").update(unit=dinas_pu)

    # 1. The citizen files from a phone, with a photo.
    citizen_context, citizen = _phone(browser, live_server)
    citizen.goto("/pengaduan/")
    _fits(citizen)
    citizen.select_option("#id_category", label="Jalan, jembatan & drainase")
    citizen.fill("#id_title", "Jalan berlubang depan SD Inpres")
    citizen.fill(
        "#id_description",
        "Jalan depan SD Inpres Singkoyo bolong besar, sudah 2 minggu motor sering jatuh kalau malam.",
    )
    # The desa picker: kecamatan first, then only its desa (from the public regions API).
    citizen.select_option("#id_kecamatan", "72.01.01")
    expect(citizen.locator("#id_region_code option[value='72.01.01.2001']")).to_have_count(1)
    expect(citizen.locator("#id_region_code option[value='72.01.02.2002']")).to_have_count(0)
    citizen.select_option("#id_region_code", "72.01.01.2001")
    citizen.fill("#id_location_detail", "RT 02, depan SD Inpres")
    citizen.set_input_files(
        "#id_attachments", files=[{"name": "lubang.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    citizen.fill("#id_reporter_name", "Rina Lamadi")
    citizen.fill("#id_reporter_email", "rina@example.id")
    citizen.click("#complaint-form button[type=submit]")
    code_node = citizen.locator(".tracking-code")
    expect(code_node).to_be_visible()
    code = code_node.inner_text().strip()
    assert re.fullmatch(r"LYN-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}", code)
    expect(citizen.locator("main")).to_contain_text("Perkiraan tanggapan paling lambat")
    _fits(citizen)
    case = Case.objects.get(code=code)
    assert case.state == State.BARU
    assert case.attachments.filter(content_type="image/jpeg").count() == 1

    # 2. The kabupaten verifier verifies and routes it to Dinas PUPR.
    operator_context = _context(browser, live_server)
    operator = operator_context.new_page()
    operator.set_default_timeout(20_000)
    _log_in(operator, "verifikator")
    operator.goto(f"/pengaduan/kasus/{code}/")
    expect(operator.locator("main")).to_contain_text("Batas waktu")
    operator.click("form[action$='/aksi/verifikasi/'] button")
    expect(operator.locator("h1 .badge")).to_have_text("Diverifikasi")
    operator.select_option("form[action$='/aksi/disposisi/'] select[name=unit]", str(dinas_pu.pk))
    operator.click("form[action$='/aksi/disposisi/'] button")
    expect(operator.locator("h1 .badge")).to_have_text("Didisposisikan")
    operator_context.close()

    # 3. The unit's officer answers (from a phone too).
    unit_context, unit = _phone(browser, live_server)
    _log_in(unit, "petugas.pu")
    unit.goto(f"/pengaduan/kasus/{code}/")
    unit.fill("form[action$='/aksi/selesaikan/'] textarea[name=text]", ANSWER)
    unit.click("form[action$='/aksi/selesaikan/'] button")
    expect(unit.locator("h1 .badge")).to_have_text("Selesai")
    expect(unit.locator("main")).to_contain_text("Tutup otomatis")
    _fits(unit)
    unit_context.close()

    # 4. The citizen sees the answer on the tracking page and rates it.
    citizen.goto(f"/pengaduan/lacak/{code}/")
    expect(citizen.locator("main")).to_contain_text(ANSWER)
    expect(citizen.locator("h1 .badge")).to_have_text("Selesai")
    citizen.click("label[for=rating-4]")
    citizen.fill("#id_comment", "Cepat ditangani, terima kasih.")
    citizen.click("form[action$='/nilai/'] button")
    expect(citizen.locator("main")).to_contain_text("Penilaian Anda: 4 dari 5")
    _fits(citizen)
    citizen_context.close()

    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (4, "Cepat ditangani, terima kasih.")
    assert case.assigned_unit == dinas_pu
    assert case.first_answer_at is not None


def test_without_javascript_the_form_keeps_the_full_desa_list(categories, regions, browser, live_server):
    context = _context(
        browser, live_server, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    try:
        page = context.new_page()
        page.goto("/pengaduan/")
        assert page.locator("#id_kecamatan").count() == 0
        options = page.locator("#id_region_code option").evaluate_all("nodes => nodes.map(n => n.value)")
        assert {"72.01.01.2001", "72.01.02.2002"} <= set(options)
        page.select_option("#id_region_code", "72.01.02.2002")
        page.fill("#id_description", "Air PDAM mati sudah 3 hari di Sinorang, warga beli air galon terus.")
        page.click("#complaint-form button[type=submit]")
        assert page.locator(".tracking-code").is_visible()
        assert Case.objects.get().region_code == "72.01.02.2002"
    finally:
        context.close()
