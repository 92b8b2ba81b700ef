"""Real browser (Debian Chromium through Playwright): an employee files a daily report on a 360-px phone and
the supervisor's team page, already open in another browser context, shows it without a reload; the
supervisor approves it in one tap."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from layan.conftest import CHROMIUM, CHROMIUM_ARGS, log_in
from layan.core import calendar
from layan.performance.models import DailyReport

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_from_a_phone_appears_live_and_is_approved(people, live_server):
    from playwright.sync_api import expect, sync_playwright

    today = timezone.localdate()
    # The last working day up to today: the test may run on a weekend or a holiday.
    day = calendar.working_days_in(today - timedelta(days=14), today, "72.01.01")[-1]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        desk = browser.new_context(base_url=live_server.url, locale="id-ID")
        phone = browser.new_context(
            base_url=live_server.url,
            locale="id-ID",
            viewport={"width": 360, "height": 740},
            is_mobile=True,
            has_touch=True,
        )
        supervisor, employee = desk.new_page(), phone.new_page()
        for page in (supervisor, employee):
            page.set_default_timeout(20_000)

        log_in(supervisor, "kasi.toili")
        supervisor.goto("/kinerja/tim/")
        expect(supervisor.locator("#team-list")).to_contain_text("Tidak ada laporan")
        supervisor.evaluate("window.openedOnce = true")  # gone if the page reloads

        log_in(employee, "staf.toili")
        employee.goto("/kinerja/laporan/baru/")
        assert employee.evaluate("document.documentElement.scrollWidth") <= 360  # fits the phone
        employee.fill("input[name=date]", day.isoformat())
        employee.fill("textarea[name=activity]", "Menyusun notulen rapat koordinasi")
        employee.fill("input[name=quantity]", "2")
        employee.fill("input[name=minutes]", "45")
        employee.select_option("select[name=mode]", "WFH")
        employee.click("form.report-form button[type=submit]")
        expect(employee.locator("body")).to_contain_text("Laporan terkirim")
        report = DailyReport.objects.get(employee=people["staff"])

        row = supervisor.locator(f"#report-{report.pk}")
        expect(row).to_contain_text("Menyusun notulen rapat koordinasi", timeout=30_000)
        assert supervisor.evaluate("window.openedOnce === true")  # arrived without a reload
        expect(supervisor.locator("#team-empty")).to_have_count(0)

        row.get_by_role("button", name="Setujui").click()
        expect(row.locator(".badge")).to_have_text("Disetujui")
        assert supervisor.evaluate("window.openedOnce === true")
        browser.close()

    report.refresh_from_db()
    assert report.status == DailyReport.Status.APPROVED and report.decided_by == people["head"].user
    assert report.minutes == 45 and report.mode == "WFH"
