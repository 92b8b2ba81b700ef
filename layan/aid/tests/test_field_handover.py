"""The field handover page (cached on the phone), its endpoint for the offline queue, and the official PDF of
a frozen list. Personal data: the desa operator of another desa, the sibling camat and an outsider get 404."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from layan.aid import services
from layan.aid.models import Distribution, Resident, Round
from layan.aid.tests.conftest import photo_file
from layan.aid.tests.test_offline_handover import mp4_file
from layan.conftest import client_for

API = "/api/v1/aid/distributions/"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son\w+=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle=", re.IGNORECASE)


@pytest.fixture
def draft(registry, programs, petugas):
    rnd = services.round_create(
        actor=petugas,
        program=programs["blt-dd"],
        area="72.01.01.2001",  # Singkoyo (BLT-DD is per desa)
        stage=1,
        period_start=date(2020, 5, 1),
        period_end=date(2020, 7, 31),
    )
    for name in ("Ahmad Yani", "Budi Santoso"):
        services.enrolment_add(actor=petugas, rnd=rnd, family=Resident.objects.get(name=name).family)
    return rnd


@pytest.fixture
def frozen(draft, petugas, camat):
    services.round_submit(
        actor=petugas,
        rnd=draft,
        meeting_date=date(2024, 1, 8),
        meeting_record="BA/MUSDESUS/07",
        meeting_signed_by="Haji Salim",
    )
    rnd = services.round_approve(actor=camat, rnd=draft)
    Round.objects.filter(pk=rnd.pk).update(approved_at=timezone.now() - timedelta(days=1))
    rnd.refresh_from_db()
    return rnd


def _enrolment(rnd, head):
    return rnd.enrolments.get(family__head__name=head)


def test_handover_page_lists_the_frozen_list_with_masked_ids(frozen, operator_desa):
    page = client_for(operator_desa).get(reverse("aid:handover", args=[frozen.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ahmad Yani" in html and "Budi Santoso" in html
    assert "7201010101100001" not in html and "7201********0001" in html
    assert 'data-api="/api/v1/aid/distributions/"' in html and "offline-queue.js" in html
    # CSP script-src/style-src 'self': no inline script (with or without attributes), no event handler
    # attribute, no style attribute.
    assert not INLINE_SCRIPT.search(html) and not EVENT_HANDLER.search(html)
    assert not STYLE_ATTRIBUTE.search(html)
    sw = client_for(operator_desa).get(reverse("aid:handover_sw"))
    assert sw.status_code == 200 and b"serah-terima" in sw.content


def test_handover_page_only_for_a_frozen_list(draft, petugas):
    assert client_for(petugas).get(reverse("aid:handover", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["sibling", "outsider", "operator_other"])
def test_handover_page_and_endpoint_are_404_outside_the_area(request, persona, frozen):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(reverse("aid:handover", args=[frozen.pk])).status_code == 404
    response = client.post(
        API,
        {
            "enrolment": _enrolment(frozen, "Budi Santoso").pk,
            "client_uuid": "11111111-2222-4333-8444-555555555555",
            "device_time": timezone.now().isoformat(),
            "photo": photo_file(),
        },
    )
    assert response.status_code == 404 and Distribution.objects.count() == 0


def test_offline_queue_resend_is_one_record(frozen, operator_desa):
    client = client_for(operator_desa)
    enrolment = _enrolment(frozen, "Budi Santoso")
    recorded = timezone.now() - timedelta(hours=2)
    payload = {
        "enrolment": enrolment.pk,
        "client_uuid": "0b9a4d1e-47d0-4d69-a6f4-1f3d7f8ad0aa",
        "device_time": recorded.isoformat(),
        "latitude": "-1.451200",
        "longitude": "122.057100",
        "receiver_name": "Budi",
        "confirmed_by_recipient": "true",
    }
    first = client.post(API, {**payload, "photo": photo_file()})
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["device_time_accepted"] and body["evidence_kinds"] == ["photo"]
    again = client.post(API, {**payload, "photo": photo_file()})  # the answer was lost; the queue re-sends
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    other_phone = client.post(
        API, {**payload, "client_uuid": "0b9a4d1e-47d0-4d69-a6f4-1f3d7f8ad0ab", "photo": photo_file()}
    )
    assert other_phone.status_code == 409 and other_phone.json()["code"] == "already_recorded"
    distribution = Distribution.objects.get()
    assert distribution.handed_at == recorded and distribution.confirmed_by_recipient
    assert distribution.evidence.get().latitude is not None
    page = client.get(reverse("aid:handover", args=[frozen.pk])).content.decode()
    assert "Sudah diserahkan" in page


def test_endpoint_takes_a_video_and_refuses_a_disguised_file(frozen, operator_desa):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(operator_desa)
    enrolment = _enrolment(frozen, "Ahmad Yani")
    base = {"enrolment": enrolment.pk, "device_time": timezone.now().isoformat()}
    fake = SimpleUploadedFile("serah.mp4", b"<html>not a video</html>" * 10, content_type="video/mp4")
    refused = client.post(API, {**base, "client_uuid": "0b9a4d1e-47d0-4d69-a6f4-1f3d7f8ad0b1", "video": fake})
    assert refused.status_code == 400 and "bukan video" in refused.json()["message"]
    nothing = client.post(API, {**base, "client_uuid": "0b9a4d1e-47d0-4d69-a6f4-1f3d7f8ad0b2"})
    assert nothing.status_code == 400 and "photo" in nothing.json()["fields"]
    video = client.post(
        API, {**base, "client_uuid": "0b9a4d1e-47d0-4d69-a6f4-1f3d7f8ad0b3", "video": mp4_file()}
    )
    assert video.status_code == 201 and video.json()["evidence_kinds"] == ["video"]


def test_pdf_of_a_frozen_round_for_legalisation(frozen, petugas):
    response = client_for(petugas).get(reverse("aid:round_pdf", args=[frozen.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="daftar-blt-dd-')
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Ahmad Yani",
        "7201********0001",  # KK masked
        "Singkoyo",
        "BA/MUSDESUS/07",
        "Haji Salim",
        "Camat Toili",
        "Rp1.200.000",  # 2 families x Rp600.000
    ):
        assert expected in text, expected
    assert "7201010101100001" not in text


def test_pdf_of_a_list_too_long_for_one_request_is_refused_with_a_message(frozen, petugas, monkeypatch):
    monkeypatch.setattr("layan.aid.views.PDF_MAX_ROWS", 1)  # the frozen list has 2 families
    response = client_for(petugas).get(reverse("aid:round_pdf", args=[frozen.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("aid:round_detail", args=[frozen.pk])
    assert "PDF daftar paling banyak 1 penerima" in response.content.decode()


def test_pdf_only_for_a_frozen_round_and_in_scope(draft, petugas, sibling, outsider, camat):
    url = reverse("aid:round_pdf", args=[draft.pk])
    assert client_for(petugas).get(url).status_code == 404  # a draft is not an official list
    services.round_submit(
        actor=petugas,
        rnd=draft,
        meeting_date=date(2024, 1, 8),
        meeting_record="BA",
        meeting_signed_by="Kades",
    )
    assert client_for(petugas).get(url).status_code == 404  # waiting for legalisation: not yet
    services.round_approve(actor=camat, rnd=draft)
    assert client_for(petugas).get(url).status_code == 200
    assert client_for(sibling).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    # The round page links to it and to the field handover once frozen.
    page = client_for(petugas).get(reverse("aid:round_detail", args=[draft.pk])).content.decode()
    assert 'id="round-pdf"' in page and 'id="handover-link"' in page


def test_distribution_form_accepts_a_video_instead_of_a_photo(frozen, operator_desa):
    enrolment = _enrolment(frozen, "Ahmad Yani")
    response = client_for(operator_desa).post(
        reverse("aid:distribution_create", args=[enrolment.pk]),
        {"video": mp4_file(), "receiver_name": "Ahmad"},
    )
    assert response.status_code == 302
    assert enrolment.distribution.evidence.get().kind == "video"
    empty = client_for(operator_desa).post(
        reverse("aid:distribution_create", args=[_enrolment(frozen, "Budi Santoso").pk]), {"note": "x"}
    )
    assert empty.status_code == 400 and "foto atau video" in empty.content.decode()


@pytest.mark.parametrize("persona", ["sibling", "outsider", "operator_other"])
def test_one_selector_finds_the_recipient_to_hand_over_to_in_the_area_only(
    request, persona, frozen, operator_desa
):
    from django.http import Http404

    from layan.aid import selectors

    enrolment = _enrolment(frozen, "Budi Santoso")
    found = selectors.enrolment_for_distribution(operator_desa, enrolment.pk)
    assert found == enrolment and found.round.program == frozen.program
    with pytest.raises(Http404):
        selectors.enrolment_for_distribution(request.getfixturevalue(persona), enrolment.pk)
