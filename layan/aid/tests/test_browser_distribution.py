"""Real browser on a 360-px phone (Debian Chromium, emulated GPS): a village officer opens the approved
list of their desa, records a handover with a photo taken on the phone, and the coverage page of the
desa shows one more family whose aid was handed over. Then, on the field handover page (kept on the
phone by its service worker), the signal goes: the page still opens, the next handover is recorded and
waits on the phone; when the signal returns it arrives exactly once, with the phone's time.

Run with ``make test-browser`` (``pytest -m browser -p no:xdist``).
"""

from __future__ import annotations

import io
import os
import time as clock
from datetime import date

import pytest
from PIL import Image

from layan.aid import services
from layan.aid.models import Distribution, Program, Resident
from layan.conftest import field_phone_page, launch_chromium, log_in, phone_page, wait_for_service_worker

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Singkoyo, Toili (Banggai).
LATITUDE, LONGITUDE = -1.4512, 122.0571


def _jpeg(seed: int = 0) -> bytes:
    image = Image.new("RGB", (8, 6))
    image.putdata([((x * 37 + seed) % 256, (x * 91 + 7 * seed) % 256, (x * 53) % 256) for x in range(48)])
    buffer = io.BytesIO()
    image.resize((320, 240)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def approved_round(registry, petugas, camat):
    # Transactional tests flush the tables between tests, the seeded programs included.
    rice, _created = Program.objects.get_or_create(
        code="beras",
        defaults={
            "name": "Bantuan beras 10 kg",
            "target": "family",
            "source": "pusat",
            "benefit": "goods",
            "goods": "beras 10 kg",
        },
    )
    rnd = services.round_create(
        actor=petugas,
        program=rice,
        area="72.01.01.2001",
        stage=1,
        period_start=date(2021, 7, 1),
        period_end=date(2021, 7, 31),
    )
    family = Resident.objects.get(name="Budi Santoso").family
    enrolment = services.enrolment_add(actor=petugas, rnd=rnd, family=family).enrolment
    services.enrolment_add(actor=petugas, rnd=rnd, family=Resident.objects.get(name="Ahmad Yani").family)
    services.round_submit(
        actor=petugas,
        rnd=rnd,
        meeting_date=date(2021, 6, 28),
        meeting_record="BA/07",
        meeting_signed_by="Kades",
    )
    services.round_approve(actor=camat, rnd=rnd)
    return enrolment


def test_village_officer_records_a_handover_with_a_photo_on_a_phone(
    approved_round, operator_desa, live_server
):
    from playwright.sync_api import expect, sync_playwright

    coverage = "/bansos/cakupan/?wilayah=72.01.01.2001"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = field_phone_page(browser, live_server, LATITUDE, LONGITUDE)
        context = page.context
        log_in(page, operator_desa.username)

        page.goto(coverage)
        expect(page.locator("#handed-total")).to_have_text("0")

        page.goto(f"/bansos/putaran/{approved_round.round_id}/")
        # A weak signal: the form's script arrives only after the officer has chosen the photo.
        held_scripts = []

        def hold(route):
            held_scripts.append(route)

        page.route("**/aid/distribution.js*", hold)
        page.locator(f"a[href='/bansos/penyaluran/{approved_round.pk}/']").click()
        expect(page.locator("#distribution-form")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # fits the phone
        page.set_input_files(
            "#distribution-form [name=photo]",
            files=[{"name": "penyerahan.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}],
        )
        for _ in range(100):
            if held_scripts:
                break
            page.wait_for_timeout(100)
        held_scripts[0].continue_()
        page.unroute("**/aid/distribution.js*", hold)
        # The position and time still come from the phone, taken when the script arrives.
        expect(page.locator("#gps-status")).to_contain_text("-1.45")
        page.fill("#distribution-form [name=receiver_name]", "Budi Santoso")
        page.check("#distribution-form [name=confirmed_by_recipient]")
        page.click("#distribution-form button[type=submit]")
        expect(page.locator("body")).to_contain_text("Penyerahan dicatat.")

        distribution = Distribution.objects.get(enrolment=approved_round)
        assert distribution.officer_id == operator_desa.pk and distribution.confirmed_by_recipient
        evidence = distribution.evidence.get()
        assert abs(float(evidence.latitude) - LATITUDE) < 1e-4
        assert abs(float(evidence.longitude) - LONGITUDE) < 1e-4

        page.goto(coverage)
        expect(page.locator("#handed-total")).to_have_text("1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        # The field handover page: its service worker keeps it (and the list) on the phone.
        handover = f"/bansos/putaran/{approved_round.round_id}/serah-terima/"
        page.goto(handover)
        wait_for_service_worker(page)
        page.reload()  # now through the service worker, which keeps a copy
        ahmad = page.locator(".recipient", has_text="Ahmad Yani")
        expect(ahmad.locator(".recipient-state")).to_have_attribute("data-state", "open")
        expect(
            page.locator(".recipient", has_text="Budi Santoso").locator(".recipient-state")
        ).to_have_attribute("data-state", "done")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # The "handed over at …" badge wraps below the name instead of squeezing it to a letter a line.
        name_box = (
            page.locator(".recipient", has_text="Budi Santoso").locator(".recipient-who").bounding_box()
        )
        assert name_box["width"] >= 180

        # No signal: the page still opens from the phone, and the handover waits there.
        context.set_offline(True)
        page.reload()
        ahmad = page.locator(".recipient", has_text="Ahmad Yani")
        ahmad.get_by_role("button", name="Catat penyerahan").click()
        expect(page.locator("#handover-form")).to_be_visible()
        page.set_input_files(
            "#handover-form [name=photo]",
            files=[{"name": "ahmad.jpg", "mimeType": "image/jpeg", "buffer": _jpeg(seed=5)}],
        )
        expect(page.locator("#handover-gps")).to_contain_text("-1.45")
        page.fill("#handover-form [name=receiver_name]", "Siti Aminah")
        page.check("#handover-form [name=confirmed_by_recipient]")
        page.click("#handover-form button[type=submit]")
        expect(page.locator("#handover-result")).to_contain_text("Tidak ada sinyal")
        expect(page.locator("#handover-queue")).to_have_attribute("data-count", "1")
        expect(ahmad.locator(".recipient-state")).to_have_attribute("data-state", "pending")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        clock.sleep(2)  # the handover waits on the phone
        assert not Distribution.objects.filter(enrolment__family__head__name="Ahmad Yani").exists()

        # The signal returns: sent once, marked "terkirim", and a later flush sends nothing again.
        context.set_offline(False)
        expect(page.locator("#handover-queue")).to_have_attribute("data-count", "0")
        expect(ahmad.locator(".recipient-state")).to_have_attribute("data-state", "sent")
        expect(ahmad.locator(".recipient-state")).to_have_text("Terkirim")
        page.reload()
        expect(page.locator("#handover-queue")).to_have_attribute("data-count", "0")
        expect(
            page.locator(".recipient", has_text="Ahmad Yani").locator(".recipient-state")
        ).to_have_attribute("data-state", "done")

        page.goto(coverage)
        expect(page.locator("#handed-total")).to_have_text("2")
        context.close()
        browser.close()

    offline = Distribution.objects.get(enrolment__family__head__name="Ahmad Yani")
    assert offline.officer_id == operator_desa.pk and offline.receiver_name == "Siti Aminah"
    assert offline.device_time_accepted and offline.handed_at == offline.device_time
    assert (offline.received_at - offline.device_time).total_seconds() >= 1.5
    assert offline.evidence.get().latitude is not None
    assert Distribution.objects.count() == 2


def test_a_handover_queued_by_another_account_on_the_phone_waits_for_its_owner(
    approved_round, operator_desa, operator_other, live_server
):
    """Two officers share a phone: what the other one recorded offline is never sent under this login
    (it would be recorded with the wrong officer, or refused and lost); it waits for its owner."""
    from playwright.sync_api import expect, sync_playwright

    ahmad_enrolment = approved_round.round.enrolments.get(family__head__name="Ahmad Yani")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = phone_page(browser, live_server)
        context = page.context
        log_in(page, operator_desa.username)
        handover = f"/bansos/putaran/{approved_round.round_id}/serah-terima/"
        page.goto(handover)
        assert page.get_attribute("#handover-app", "data-user") == str(operator_desa.pk)
        # The other officer's handover, left on this phone while offline.
        page.evaluate(
            """([owner, enrolment]) => LayanOfflineQueue.create({dbName: "layan-penyerahan", store: "queue"})
                .put({client_uuid: "11111111-2222-4333-8444-555555555555", owner: owner,
                      enrolment: enrolment, device_time: new Date().toISOString(), label: "Ahmad Yani",
                      receiver_name: "Ahmad Yani", confirmed_by_recipient: "true"})""",
            [str(operator_other.pk), str(ahmad_enrolment.pk)],
        )
        page.reload()
        queue = page.locator("#handover-queue")
        expect(queue).to_have_attribute("data-others", "1")
        expect(queue).to_have_attribute("data-count", "0")
        expect(queue).to_contain_text("menunggu pemilik akun masuk")
        ahmad = page.locator(".recipient", has_text="Ahmad Yani").locator(".recipient-state")
        expect(ahmad).to_have_attribute("data-state", "owner")
        clock.sleep(2)  # the page has tried to send what is this account's
        kept = page.evaluate(
            """() => LayanOfflineQueue.create({dbName: "layan-penyerahan", store: "queue"}).all()
                .then((items) => items.map((item) => item.owner))"""
        )
        assert kept == [str(operator_other.pk)]  # still on the phone, untouched

        # Signing out forgets the kept copy of the list (recipients' names); the queue stays on the phone.
        wait_for_service_worker(page)
        page.reload()  # through the service worker, which keeps a copy
        kept_pages = """() => caches.keys().then((names) => Promise.all(names.map((name) => caches.open(name)
            .then((cache) => cache.keys())))).then((lists) => lists.flat().map((r) => new URL(r.url).pathname)
            .filter((path) => !path.startsWith("/static/")))"""
        for _ in range(50):
            if page.evaluate(kept_pages):
                break
            clock.sleep(0.2)
        assert page.evaluate(kept_pages) == [handover]
        page.goto("/akun/")
        page.locator("form[action$='/akun/keluar/'] button[type=submit]").last.click()
        expect(page.locator("form[action$='/akun/keluar/']")).to_have_count(0)  # signed out
        assert page.evaluate(kept_pages) == []
        queued = """() => new Promise((resolve) => { const open = indexedDB.open("layan-penyerahan", 1);
            open.onsuccess = () => {
              const count = open.result.transaction("queue").objectStore("queue").count();
              count.onsuccess = () => resolve(count.result); }; })"""
        assert page.evaluate(queued) == 1
        context.close()
        browser.close()
    assert not Distribution.objects.filter(enrolment=ahmad_enrolment).exists()


def test_a_video_too_long_is_refused_on_the_phone_before_it_waits_for_signal(
    approved_round, operator_desa, live_server, tmp_path
):
    """Offline, a long video would only be refused once the phone finds signal, after the officer has
    left the family: the page reads the video's length when it is chosen and says so at once."""
    from playwright.sync_api import expect, sync_playwright

    from layan.aid.tests.test_offline_handover import recorded_video

    long_video = recorded_video(tmp_path, 75, "webm")
    short_video = recorded_video(tmp_path, 5, "webm")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = phone_page(browser, live_server)
        log_in(page, operator_desa.username)
        page.goto(f"/bansos/putaran/{approved_round.round_id}/serah-terima/")
        page.locator(".recipient", has_text="Ahmad Yani").get_by_role(
            "button", name="Catat penyerahan"
        ).click()
        expect(page.locator("#handover-form")).to_be_visible()
        page.set_input_files(
            "#handover-video",
            files=[{"name": "panjang.webm", "mimeType": "video/webm", "buffer": long_video.read()}],
        )
        expect(page.locator("#handover-result")).to_contain_text("Video terlalu panjang (maksimal 60 detik)")
        assert page.evaluate("document.getElementById('handover-video').files.length") == 0
        page.evaluate("document.getElementById('handover-result').textContent = ''")
        page.set_input_files(
            "#handover-video",
            files=[{"name": "pendek.webm", "mimeType": "video/webm", "buffer": short_video.read()}],
        )
        page.wait_for_timeout(1000)  # the length is read from the file's header
        assert page.evaluate("document.getElementById('handover-video').files.length") == 1
        expect(page.locator("#handover-result")).not_to_contain_text("terlalu panjang")
        browser.close()


def test_an_asn_peduli_package_is_handed_over_without_signal_and_arrives_once(
    registry, petugas, units, operator_desa, live_server
):
    """The civil servants' package reaches a family in a village without signal: the field page opens
    from the phone, the handover waits there, and it arrives exactly once when the signal returns."""
    from decimal import Decimal

    from django.utils import timezone
    from playwright.sync_api import expect, sync_playwright

    from layan.aid.models import AsnPackage

    package = services.asn_package_create(
        actor=petugas, unit=units["kec_toili"], contents="Paket sembako ASN", value=Decimal(150000)
    )
    services.asn_package_target(
        actor=petugas, package=package, family=Resident.objects.get(name="Budi Santoso").family
    )
    AsnPackage.objects.filter(pk=package.pk).update(created_at=timezone.now() - timezone.timedelta(days=1))
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = field_phone_page(browser, live_server, LATITUDE, LONGITUDE)
        context = page.context
        log_in(page, operator_desa.username)
        page.goto("/bansos/asn-peduli/serah-terima/")
        wait_for_service_worker(page)
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        context.set_offline(True)
        page.reload()  # from the phone
        row = page.locator(".recipient", has_text="Budi Santoso")
        row.get_by_role("button", name="Catat penyerahan").click()
        page.set_input_files(
            "#handover-form [name=photo]",
            files=[{"name": "paket.jpg", "mimeType": "image/jpeg", "buffer": _jpeg(seed=9)}],
        )
        expect(page.locator("#handover-gps")).to_contain_text("-1.45")
        page.check("#handover-form [name=consent_public]")
        page.click("#handover-form button[type=submit]")
        expect(page.locator("#handover-result")).to_contain_text("Tidak ada sinyal")
        expect(page.locator("#handover-queue")).to_have_attribute("data-count", "1")
        clock.sleep(1.5)
        package.refresh_from_db()
        assert package.status == AsnPackage.Status.ASSEMBLED  # it waits on the phone

        context.set_offline(False)
        expect(page.locator("#handover-queue")).to_have_attribute("data-count", "0")
        expect(row.locator(".recipient-state")).to_have_attribute("data-state", "sent")
        browser.close()

    package.refresh_from_db()
    assert package.status == AsnPackage.Status.HANDED_OVER and package.consent_public
    assert package.handed_by_id == operator_desa.pk and package.evidence.count() == 1
    assert (package.updated_at - package.handed_at).total_seconds() >= 1  # the phone's time, kept


def test_the_online_handover_form_refuses_a_long_video_when_it_is_chosen(
    approved_round, operator_desa, live_server, tmp_path
):
    from playwright.sync_api import expect, sync_playwright

    from layan.aid.tests.test_offline_handover import recorded_video

    long_video = recorded_video(tmp_path, 75, "webm")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = phone_page(browser, live_server)
        log_in(page, operator_desa.username)
        page.goto(f"/bansos/penyaluran/{approved_round.pk}/")
        page.set_input_files(
            "#distribution-form [name=video]",
            files=[{"name": "panjang.webm", "mimeType": "video/webm", "buffer": long_video.read()}],
        )
        expect(page.locator("#gps-status")).to_contain_text("Video terlalu panjang (maksimal 60 detik)")
        assert page.evaluate("document.querySelector('#distribution-form [name=video]').files.length") == 0
        browser.close()
