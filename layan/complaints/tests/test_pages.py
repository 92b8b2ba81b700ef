"""Pages and API: the citizen's path, officers' scope (404 outside), confidentiality and anonymity in every
public output."""

import uuid

import pytest
from django.test import Client

from layan.complaints import services
from layan.complaints.models import Case, State
from layan.complaints.tests.conftest import DESCRIPTION, photo, submit
from layan.conftest import client_for, verified_client_for


def form_data(**overrides):
    data = {
        "kind": "pengaduan",
        "title": "Jalan berlubang",
        "description": DESCRIPTION,
        "region_code": "72.01.01.2001",
        "reporter_name": "Rina",
        "reporter_email": "rina@example.id",
        "client_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_citizen_files_with_a_photo_and_sees_the_code(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    page = client.get("/pengaduan/")
    assert (
        page.status_code == 200 and "Anonim" in page.content.decode() and "Singkoyo" in page.content.decode()
    )
    response = client.post("/pengaduan/", {**form_data(), "attachments": [photo()]})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pengaduan/lacak/{case.code}/"
    tracking = client.get(response["Location"])
    assert case.code in tracking.content.decode() and "Simpan kode lacak" in tracking.content.decode()
    assert case.attachments.count() == 1


def test_bad_form_input_gets_a_message_and_nothing_is_saved(regions):
    response = Client().post("/pengaduan/", form_data(description="asdf asdf asdf asdf asdf", region_code=""))
    assert response.status_code == 400
    assert "Desa/kelurahan tempat kejadian" in response.content.decode()
    assert not Case.objects.exists()


def test_fake_photo_is_refused_on_the_form(regions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = Client().post("/pengaduan/", {**form_data(), "attachments": [fake]})
    assert response.status_code == 400 and "bukan gambar" in response.content.decode()
    assert not Case.objects.exists()


def test_script_in_text_is_escaped_everywhere(regions, verifier):
    case = submit(
        description="Tolong <script>alert('x')</script> jalan rusak parah di depan pasar desa kami."
    )
    for client, url in (
        (Client(), f"/pengaduan/lacak/{case.code}/"),
        (client_for(verifier), f"/pengaduan/kasus/{case.code}/"),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body


def test_tracking_lookups_are_rate_limited(regions, settings):
    settings.LAYAN_COMPLAINTS_LOOKUPS_PER_10_MIN = 3
    client = Client()
    statuses = [client.get("/pengaduan/lacak/LYN-AAAA-AA/").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_citizen_replies_rates_and_reopens_from_the_tracking_page(routed_case, officer):
    services.case_request_info(actor=officer, case=routed_case, question="Mohon kirim foto lokasinya ya.")
    client = Client()
    client.post(f"/pengaduan/lacak/{routed_case.code}/balas/", {"body": "Lokasinya di depan SD Inpres."})
    routed_case.refresh_from_db()
    assert routed_case.state == State.DIDISPOSISIKAN
    services.case_resolve(actor=officer, case=routed_case, answer="Jalan sudah ditambal hari ini.")
    page = client.get(f"/pengaduan/lacak/{routed_case.code}/").content.decode()
    assert "Jalan sudah ditambal" in page and "Seberapa puas" in page
    client.post(f"/pengaduan/lacak/{routed_case.code}/nilai/", {"rating": "4", "comment": "Lumayan cepat"})
    routed_case.refresh_from_db()
    assert routed_case.rating == 4
    client.post(
        f"/pengaduan/lacak/{routed_case.code}/buka-kembali/", {"reason": "Tambalannya lepas lagi kena hujan."}
    )
    routed_case.refresh_from_db()
    assert routed_case.state == State.DIPROSES


def test_internal_notes_never_reach_the_tracking_page(routed_case, officer):
    services.case_reply(actor=officer, case=routed_case, body="Pelapor ini sering komplain", public=False)
    page = Client().get(f"/pengaduan/lacak/{routed_case.code}/").content.decode()
    assert "sering komplain" not in page


# --- scope ---------------------------------------------------------------------------------------------


def test_outsiders_and_other_units_get_404(
    routed_case, sibling, outsider, other_officer, camat, officer, verifier
):
    for user in (sibling, outsider, other_officer, camat):
        client = client_for(user)
        assert client.get(f"/pengaduan/kasus/{routed_case.code}/").status_code == 404
        assert (
            client.post(
                f"/pengaduan/kasus/{routed_case.code}/aksi/tanggapi/",
                {"body": "Tanggapan dari luar unit.", "public": "on"},
            ).status_code
            == 404
        )
        assert client.get(f"/api/v1/complaints/cases/{routed_case.code}/").status_code == 404
    for user in (sibling, outsider, camat):
        assert client_for(user).get("/pengaduan/kotak-masuk/").status_code == 404
    assert routed_case.code not in client_for(other_officer).get("/pengaduan/kotak-masuk/").content.decode()
    assert client_for(officer).get(f"/pengaduan/kasus/{routed_case.code}/").status_code == 200
    assert routed_case.code in client_for(verifier).get("/pengaduan/kotak-masuk/").content.decode()


def test_unit_officer_sees_only_routed_cases(new_case, officer):
    assert client_for(officer).get(f"/pengaduan/kasus/{new_case.code}/").status_code == 404


def test_anonymous_reporter_is_hidden_from_the_unit(regions, jalan, verifier, officer, dinas_pu):
    case = submit(
        category=jalan,
        is_anonymous=True,
        reporter_name="Rahasia Sekali",
        reporter_email="anon.pelapor@example.id",
    )
    services.case_route(actor=verifier, case=case, unit=dinas_pu)
    for user in (officer, verifier):
        page = client_for(user).get(f"/pengaduan/kasus/{case.code}/").content.decode()
        assert "Rahasia Sekali" not in page and "anon.pelapor" not in page and "Anonim" in page
    api = client_for(officer).get(f"/api/v1/complaints/cases/{case.code}/").json()
    assert api["reporter"] == "Anonim" and "anon.pelapor" not in str(api)


def test_operator_workflow_through_the_case_page(new_case, verifier, head, officer, jalan, dinas_pu):
    client = client_for(verifier)
    client.post(
        f"/pengaduan/kasus/{new_case.code}/aksi/verifikasi/", {"category": jalan.pk, "kind": "pengaduan"}
    )
    client.post(f"/pengaduan/kasus/{new_case.code}/aksi/disposisi/", {"unit": dinas_pu.pk})
    new_case.refresh_from_db()
    assert new_case.state == State.DIDISPOSISIKAN
    client_for(head).post(f"/pengaduan/kasus/{new_case.code}/aksi/tugaskan/", {"officer": officer.pk})
    client_for(officer).post(
        f"/pengaduan/kasus/{new_case.code}/aksi/selesaikan/", {"text": "Sudah ditambal oleh tim UPT jalan."}
    )
    new_case.refresh_from_db()
    assert new_case.state == State.SELESAI and new_case.assigned_officer == officer
    page = client_for(officer).get(f"/pengaduan/kasus/{new_case.code}/").content.decode()
    assert "Tutup otomatis" in page


def test_invalid_action_input_shows_a_message_not_a_500(routed_case, officer):
    response = client_for(officer).post(
        f"/pengaduan/kasus/{routed_case.code}/aksi/selesaikan/", {"text": "ok"}, follow=True
    )
    assert response.status_code == 200 and "terlalu pendek" in response.content.decode()
    routed_case.refresh_from_db()
    assert routed_case.state == State.DIDISPOSISIKAN


def test_inbox_filters_and_export(routed_case, verifier, regions):
    other = submit(
        title="Sampah menumpuk di pasar",
        description="Sampah di pasar Singkoyo menumpuk sudah seminggu tidak diangkut petugas.",
        reporter_email="lain@example.id",
    )
    client = client_for(verifier)
    page = client.get("/pengaduan/kotak-masuk/", {"state": "baru"}).content.decode()
    assert other.code in page and routed_case.code not in page
    export = client.get("/pengaduan/kotak-masuk/", {"export": "csv"})
    assert export.status_code == 200 and routed_case.code in export.content.decode()
    assert "rina@example.id" not in export.content.decode()
    assert client.get("/pengaduan/kotak-masuk/", {"export": "xlsx"}).status_code == 200


def test_overdue_view(routed_case, verifier):
    from datetime import timedelta

    from django.utils import timezone

    Case.objects.filter(pk=routed_case.pk).update(due_at=timezone.now() - timedelta(days=1))
    page = client_for(verifier).get("/pengaduan/terlambat/").content.decode()
    assert routed_case.code in page


def test_message_inbox_for_verifiers_only(regions, verifier, officer):
    message = services.message_receive(
        channel="sms",
        external_id="SMx",
        sender="+6285298765432",
        body="Jalan di desa kami rusak parah sekali",
    )
    assert client_for(verifier).get(f"/pengaduan/pesan/{message.pk}/").status_code == 200
    assert client_for(officer).get(f"/pengaduan/pesan/{message.pk}/").status_code == 404
    response = client_for(verifier).post(
        f"/pengaduan/pesan/{message.pk}/", {"action": "convert", "kind": "pengaduan", "region_code": ""}
    )
    assert response.status_code == 302 and Case.objects.get().channel == "sms"


# --- public outputs: confidential never, reporter never -----------------------------------------------


@pytest.fixture
def public_and_secret(regions, jalan, verifier):
    visible = submit(
        category=jalan,
        title="Jembatan kayu patah",
        reporter_name="Nama Pelapor Terbuka",
        latitude=-1.1,
        longitude=122.5,
    )
    secret = submit(
        category=jalan,
        title="Pungutan liar oleh oknum",
        is_confidential=True,
        reporter_email="rahasia@example.id",
        latitude=-1.2,
        longitude=122.6,
    )
    for case in (visible, secret):
        services.case_verify(actor=verifier, case=case, category=jalan)
    return visible, secret


def test_confidential_cases_never_appear_in_public_outputs(public_and_secret):
    visible, secret = public_and_secret
    client = Client()
    outputs = [
        client.get("/pengaduan/publik/").content.decode(),
        client.get("/pengaduan/publik/peta.json").content.decode(),
        client.get("/pengaduan/publik/", {"export": "csv"}).content.decode(),
        client.get("/open311/v2/requests.json").content.decode(),
        client.get("/open311/v2/requests.xml").content.decode(),
        client.get("/pengaduan/statistik/").content.decode(),
    ]
    assert visible.code in outputs[0] and visible.code in outputs[1] and visible.code in outputs[3]
    for output in outputs:
        assert secret.code not in output and "Pungutan liar" not in output
        assert "Nama Pelapor Terbuka" not in output and "rina@example.id" not in output
    assert client.get(f"/open311/v2/requests/{secret.code}.json").status_code == 404


def test_similar_case_suggestions_never_reveal_confidential_ones(public_and_secret, jalan):
    visible, secret = public_and_secret
    page = (
        Client()
        .get("/pengaduan/mirip/", {"category": jalan.pk, "region_code": "72.01.01.2001"})
        .content.decode()
    )
    assert visible.code in page and secret.code not in page


def test_public_statistics_do_not_rank_small_units(routed_case, settings):
    settings.LAYAN_COMPLAINTS_MIN_RANK_VOLUME = 5
    page = Client().get("/pengaduan/statistik/").content.decode()
    assert "Dinas PUPR" in page and "belum diperingkat" in page


def test_leaders_view_and_export(routed_case, leader, sibling):
    client = verified_client_for(leader)
    page = client.get("/pengaduan/pimpinan/")
    assert page.status_code == 200 and "Dinas PUPR" in page.content.decode()
    export = client.get("/pengaduan/pimpinan/", {"export": "xlsx", "kecamatan": "72.01.01"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for(sibling).get("/pengaduan/pimpinan/").status_code == 404


def test_categories_are_edited_by_admins_and_mapped_to_units(regions, dinas_pu, jalan):
    from layan.conftest import assign, make_user

    admin = make_user("admin.pengaduan")
    assign(admin, "operator_pengaduan", region="72.01")
    response = client_for(admin).post(
        f"/pengaduan/kategori/{jalan.pk}/",
        {"name": "Jalan & jembatan", "unit": dinas_pu.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    jalan.refresh_from_db()
    assert jalan.unit == dinas_pu and jalan.name == "Jalan & jembatan"


# --- API ----------------------------------------------------------------------------------------------


def test_api_public_intake_is_idempotent_and_errors_have_one_format(regions):
    client = Client()
    key = str(uuid.uuid4())
    body = {
        "description": DESCRIPTION,
        "region_code": "72.01.01.2001",
        "category": "jalan",
        "client_key": key,
    }
    first = client.post("/api/v1/complaints/cases/", body, content_type="application/json")
    second = client.post("/api/v1/complaints/cases/", body, content_type="application/json")
    assert first.status_code == 201 and first.json()["code"] == second.json()["code"]
    bad = client.post(
        "/api/v1/complaints/cases/", {"description": "x", "region_code": "1"}, content_type="application/json"
    )
    assert bad.status_code == 400 and set(bad.json()) == {"code", "message", "fields"}
    tracked = client.get(f"/api/v1/complaints/track/{first.json()['code']}/").json()
    assert tracked["state"] == "baru" and "reporter" not in tracked


def test_api_officer_actions(routed_case, officer, other_officer):
    response = client_for(officer).post(
        f"/api/v1/complaints/cases/{routed_case.code}/reply/",
        {"body": "Kami jadwalkan perbaikan minggu depan."},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "diproses"
    assert (
        client_for(other_officer)
        .post(
            f"/api/v1/complaints/cases/{routed_case.code}/reply/",
            {"body": "x" * 20},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert client_for(officer).get("/api/v1/complaints/cases/").json()["count"] == 1


def test_public_form_serves_the_full_desa_list_and_points_the_picker_at_the_regions_api(regions):
    page = Client().get("/pengaduan/").content.decode()
    # No JavaScript: every desa of the kabupaten, grouped by kecamatan; with it, the API narrows the list.
    assert "Singkoyo" in page and "Sinorang" in page and 'label="Kec. Batui"' in page
    assert 'data-regions-api="/api/v1/regions/"' in page and 'data-regions-parent="72.01"' in page
    assert "complaints/desa_picker.js" in page
    listing = Client().get("/api/v1/regions/", {"parent": "72.01.01", "level": 4}).json()
    assert [row["code"] for row in listing["results"]] == ["72.01.01.2001", "72.01.01.2002"]
