"""Real browser on a 360-px phone (Debian Chromium, fake camera, emulated GPS): an employee checks in, goes
offline, checks out (queued in IndexedDB with the device time), comes back online, and the check-out
arrives exactly once with the device's capture time."""

from __future__ import annotations

import os
import time as clock
from datetime import time

import pytest

from layan.attendance.models import CheckIn, WorkSchedule, WorkScheduleDay
from layan.attendance.tests.conftest import OFFICE_LAT, OFFICE_LON
from layan.conftest import launch_chromium, log_in, make_employee, make_user, phone_page

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AT_THE_OFFICE = {
    "geolocation": {"latitude": float(OFFICE_LAT), "longitude": float(OFFICE_LON), "accuracy": 12},
    "permissions": ["geolocation", "camera"],
}


@pytest.fixture
def employee(units, position, office):
    # Whole-day hours: the test may run at any time of the machine's clock.
    schedule = WorkSchedule.objects.create(
        unit=units["kec_toili"], name="Sepanjang hari", kind="shift", follows_holidays=False, is_default=True
    )
    for weekday in range(7):
        WorkScheduleDay.objects.create(schedule=schedule, weekday=weekday, start=time(0, 1), end=time(23, 59))
    user = make_user("staf.ponsel")
    return make_employee(
        units["kec_toili"],
        "Rina Ponsel",
        "199201102019032005",
        position=position,
        user=user,
        nik="7201015001920006",
    )


def test_checkin_offline_checkout_arrives_once_with_device_time(employee, live_server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, camera=True)
        page = phone_page(browser, live_server, **AT_THE_OFFICE)
        context = page.context
        log_in(page, "staf.ponsel")
        page.goto("/presensi/")
        expect(page.locator("#btn-in")).to_be_enabled()
        expect(page.locator("#gps-state")).to_contain_text("akurasi")
        # Fits the phone: no horizontal scroll.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        page.click("#btn-in")
        expect(page.locator("#result")).to_contain_text("tercatat")
        assert CheckIn.objects.filter(employee=employee, kind="in").count() == 1

        context.set_offline(True)
        clock.sleep(1)
        page.click("#btn-out")
        expect(page.locator("#result")).to_contain_text("Tidak ada sinyal")
        expect(page.locator("#queue-state")).to_have_attribute("data-count", "1")
        assert not CheckIn.objects.filter(employee=employee, kind="out").exists()
        clock.sleep(3)  # the check-out waits on the phone

        context.set_offline(False)
        expect(page.locator("#queue-state")).to_have_attribute("data-count", "0")
        page.reload()  # a later flush (page load) must not send it again
        expect(page.locator("#queue-state")).to_have_attribute("data-count", "0")
        browser.close()

    outs = list(CheckIn.objects.filter(employee=employee, kind="out"))
    assert len(outs) == 1
    out = outs[0]
    assert out.device_time_accepted and out.recorded_at == out.device_time
    assert (out.received_at - out.device_time).total_seconds() >= 2.5


def test_a_refused_checkin_shows_the_reason_not_a_generic_error(units, position, office, live_server):
    """The check-in page has no fields to mark: a check-in outside the schedule's window must say so."""
    from datetime import datetime, timedelta

    from playwright.sync_api import expect, sync_playwright

    from layan.core import calendar

    now = datetime.now(calendar.zone_for_region(units["kec_toili"].region_id))
    # Hours that end three hours before now (or start three hours after it), never crossing midnight.
    if now.hour >= 6:
        start, end = (now - timedelta(hours=5)).time(), (now - timedelta(hours=3)).time()
    else:
        start, end = (now + timedelta(hours=3)).time(), (now + timedelta(hours=5)).time()
    schedule = WorkSchedule.objects.create(
        unit=units["kec_toili"], name="Pagi", kind="shift", follows_holidays=False, is_default=True
    )
    for weekday in range(7):
        WorkScheduleDay.objects.create(schedule=schedule, weekday=weekday, start=start, end=end)
    make_employee(
        units["kec_toili"],
        "Rina Ponsel",
        "199201102019032005",
        position=position,
        user=make_user("staf.ponsel"),
        nik="7201015001920006",
    )
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, camera=True)
        page = phone_page(browser, live_server, **AT_THE_OFFICE)
        log_in(page, "staf.ponsel")
        page.goto("/presensi/")
        expect(page.locator("#btn-in")).to_be_enabled()
        page.click("#btn-in")
        expect(page.locator("#result")).to_contain_text("Di luar jendela presensi masuk")
        browser.close()
    assert not CheckIn.objects.exists()
