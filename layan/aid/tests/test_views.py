# ruff: noqa: E501 -- rows of test data read best one per line
"""Pages and API: scope (a desa operator sees only their desa; sibling camat and outsider get 404), NIK
masking and logging, import upload, the public lookup (exact match only, rate limited, logged)."""

from datetime import date

import pytest
from django.urls import reverse

from layan.aid import selectors, services
from layan.aid.models import DuplicatePair, Resident, Round
from layan.aid.tests.conftest import ROWS, blt_dd_2020_round, csv_bytes, import_rows, photo_file
from layan.conftest import assign, client_for, make_user, verified_client_for
from layan.core.models import PersonalDataRead
from layan.core.stored_text import shown_all


@pytest.fixture
def ahmad(registry):
    return Resident.objects.get(name="Ahmad Yani")


@pytest.fixture
def wa_ode(registry):
    return Resident.objects.get(name="Wa Ode Nurma")  # Cendana Pura, another desa of Toili


def test_desa_operator_sees_only_their_desa(ahmad, wa_ode, operator_desa):
    client = client_for(operator_desa)
    page = client.get(reverse("aid:resident_list"))
    assert page.status_code == 200
    assert "Ahmad Yani" in page.content.decode() and "Wa Ode Nurma" not in page.content.decode()
    assert client.get(reverse("aid:resident_detail", args=[ahmad.pk])).status_code == 200
    assert client.get(reverse("aid:resident_detail", args=[wa_ode.pk])).status_code == 404
    api = client.get(f"/api/v1/aid/residents/{wa_ode.pk}/")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    names = {r["name"] for r in client.get("/api/v1/aid/residents/").json()["results"]}
    assert names == {"Ahmad Yani", "Siti Aminah", "Budi Santoso"}


@pytest.mark.parametrize("persona", ["sibling", "outsider"])
def test_sibling_camat_and_outsider_get_404(request, ahmad, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in [reverse("aid:resident_detail", args=[ahmad.pk]), f"/api/v1/aid/residents/{ahmad.pk}/"]:
        assert client.get(url).status_code == 404
    if persona == "outsider":
        for name in ["resident_list", "round_list", "coverage", "uncovered", "duplicate_list", "import_list"]:
            assert client.get(reverse(f"aid:{name}")).status_code == 404


def test_camat_sees_their_kecamatan(ahmad, wa_ode, camat):
    client = client_for(camat)
    assert client.get(reverse("aid:resident_detail", args=[wa_ode.pk])).status_code == 200
    assert client.get(reverse("aid:coverage")).status_code == 200


def test_nik_is_masked_and_reading_it_in_clear_is_logged(ahmad, operator_desa, camat):
    url = reverse("aid:resident_detail", args=[ahmad.pk])
    masked_page = client_for(operator_desa).get(url).content.decode()
    assert "7201010505600001" not in masked_page and "7201********0001" in masked_page
    clear = client_for(operator_desa).get(url + "?nik=tampil").content.decode()
    assert "7201010505600001" in clear
    assert PersonalDataRead.objects.filter(object_id=str(ahmad.pk), actor=operator_desa).count() == 1
    # A camat may see the list but not the NIK in clear.
    assert "7201010505600001" not in client_for(camat).get(url + "?nik=tampil").content.decode()


def test_all_aid_for_one_nik(ahmad, operator_desa):
    response = client_for(operator_desa).post(reverse("aid:aid_by_nik"), {"nik": "7201-0105-0560-0001"})
    assert response.status_code == 200 and "Ahmad Yani" in response.content.decode()
    assert PersonalDataRead.objects.filter(actor=operator_desa).exists()


def test_import_upload_shows_counts_and_rejected_rows(
    regions, operator_desa, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(operator_desa)
    upload = SimpleUploadedFile(
        "daftar.csv", csv_bytes([*ROWS[:2], "X,123,,Nama,L,,2000-01-01,,,,72.01.01.2001,,,,,"])
    )
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs on commit
        response = client.post(reverse("aid:import_list"), {"source": "Desa Singkoyo", "file": upload})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "NIK harus 16 angka." in detail
    download = client.get(response["Location"] + "?export=csv")
    assert download.status_code == 200 and b"NIK harus 16 angka." in download.content
    # The operator corrects the NIK in the downloaded file and imports it again as it is.
    corrected = download.content.decode("utf-8-sig").replace(",123,", ",7201010101000001,")
    assert ",7201010101000001," in corrected
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            reverse("aid:import_list"),
            {"source": "Desa Singkoyo", "file": SimpleUploadedFile("perbaikan.csv", corrected.encode())},
        )
    assert again.status_code == 302
    assert Resident.objects.filter(name="Nama", birth_date=date(2000, 1, 1)).count() == 1
    wrong = SimpleUploadedFile("salah.csv", b"id,nama\n1,Budi\n")
    response = client.post(reverse("aid:import_list"), {"source": "Desa", "file": wrong})
    assert response.status_code == 400 and "Kolom wajib tidak ada" in response.content.decode()


def test_round_pages_warn_at_entry_and_freeze(registry, programs, petugas, camat):
    pkh = services.round_create(
        actor=petugas,
        program=programs["pkh"],
        area="72.01.01.2001",
        stage=1,
        period_start=date(2020, 5, 1),
        period_end=date(2020, 7, 31),
    )
    services.enrolment_add(actor=petugas, rnd=pkh, family=Resident.objects.get(name="Ahmad Yani").family)
    services.round_submit(
        actor=petugas, rnd=pkh, meeting_date=date(2024, 1, 8), meeting_record="BA", meeting_signed_by="Kades"
    )
    services.round_approve(actor=camat, rnd=pkh)
    client = client_for(petugas)
    response = client.post(
        reverse("aid:round_list"),
        {
            "program": programs["blt-dd"].pk,
            "area": "72.01.01.2001",
            "stage": 1,
            "period_start": "2020-05-01",
            "period_end": "2020-07-31",
        },
    )
    url = response["Location"]
    page = client.post(url, {"action": "add", "nik": "7201015208650002"}).content.decode()
    assert "Sudah menerima Program Keluarga Harapan (PKH)" in page and "TIDAK boleh" in page
    # BLT-DD goes to the family: the message names it, not the list's number.
    assert "KK Ahmad Yani ditambahkan ke daftar." in page
    client.post(
        url,
        {
            "action": "submit",
            "meeting_date": "2024-01-08",
            "meeting_record": "BA/2",
            "meeting_signed_by": "Kades",
        },
    )
    unconfirmed = client_for(camat).post(url, {"action": "approve"})
    assert unconfirmed.status_code == 400 and "sudah memeriksa konflik" in unconfirmed.content.decode()
    assert Round.objects.get(pk=url.rstrip("/").split("/")[-1]).status == Round.Status.TO_APPROVE
    assert client_for(camat).post(url, {"action": "approve", "checked": "on"}).status_code == 302
    frozen = client.post(url, {"action": "add", "nik": "7201011203900003"}).content.decode()
    assert "dikunci" in frozen


def test_distribution_page_records_a_handover_and_coverage_changes(registry, programs, petugas, camat):
    family = Resident.objects.get(name="Budi Santoso").family
    rnd = blt_dd_2020_round(petugas, programs)
    enrolment = services.enrolment_add(actor=petugas, rnd=rnd, family=family).enrolment
    client = client_for(petugas)
    before = client.get(reverse("aid:coverage") + "?wilayah=72.01.01.2001").context["total"].uncovered
    services.round_submit(
        actor=petugas, rnd=rnd, meeting_date=date(2024, 1, 8), meeting_record="BA", meeting_signed_by="Kades"
    )
    services.round_approve(actor=camat, rnd=rnd)
    assert client.get(reverse("aid:coverage") + "?wilayah=72.01.01.2001").context["total"].handed_over == 0
    response = client.post(
        reverse("aid:distribution_create", args=[enrolment.pk]),
        {
            "photo": photo_file(),
            "latitude": "-1.45",
            "longitude": "122.6",
            "receiver_name": "Budi",
            "confirmed_by_recipient": "on",
            "client_uuid": "0b9a4d1e-47d0-4d69-a6f4-1f3d7f8ad001",
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.distribution.evidence.get().latitude is not None
    after = client.get(reverse("aid:coverage") + "?wilayah=72.01.01.2001").context["total"]
    assert after.uncovered == before - 1
    assert after.handed_over == 1  # listed, and now the handover is documented
    bad = client.post(reverse("aid:distribution_create", args=[enrolment.pk]), {"photo": photo_file()})
    assert bad.status_code == 400


def test_coverage_and_uncovered_exports(registry, petugas):
    client = client_for(petugas)
    page = client.get(reverse("aid:coverage") + "?wilayah=72.01")
    # The map without tiles: desa grouped by kecamatan, shaded by the share of families receiving nothing.
    grid = {
        kecamatan: [(r.code, shade, percent) for r, shade, percent in items]
        for kecamatan, items in page.context["grid"]
    }
    assert grid == {
        "Toili": [("72.01.01.2001", 4, 0), ("72.01.01.2002", 4, 0)],
        "Batui": [("72.01.02.1001", 4, 0)],
    }
    html = page.content.decode()
    assert 'id="coverage-grid"' in html
    # Each square is named for a screen reader and on hover; the colours have a legend; the filters labels.
    assert 'aria-label="Singkoyo: cakupan 0% — 2 dari 2 keluarga tanpa bantuan"' in html
    assert "Keterangan — keluarga tanpa bantuan:" in html
    assert '<label class="form-label small mb-0" for="id_wilayah">Kode wilayah</label>' in html
    export = client.get(reverse("aid:coverage") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    csv_export = client.get(reverse("aid:uncovered") + "?rentan=on&export=csv").content.decode()
    assert "Wa Ode Nurma" in csv_export and "Ahmad Yani" in csv_export  # elderly, disability
    assert "Budi Santoso" not in csv_export
    api = client.get("/api/v1/aid/coverage/?level=3").json()
    assert sum(r["families"] for r in api) == 4


def test_duplicate_queue_and_decision_page(regions, petugas, operator_other):
    import_rows(
        [
            "A,7201011203900003,,Budi,L,Toili,1990-03-12,Jl,1,1,72.01.01.2001,,,,,",
            "B,7201011203900003,,Joko,L,Toili,1990-03-12,Jl,1,1,72.01.01.2001,,,,,",
        ]
    )
    pair = DuplicatePair.objects.get()
    client = client_for(petugas)
    assert "Budi" in client.get(reverse("aid:duplicate_list") + "?status=queued").content.decode()
    assert (
        client.post(reverse("aid:duplicate_detail", args=[pair.pk]), {"decision": "different"}).status_code
        == 302
    )
    pair.refresh_from_db()
    assert pair.status == DuplicatePair.Status.REJECTED
    assert client_for(operator_other).get(reverse("aid:duplicate_detail", args=[pair.pk])).status_code == 404


def test_public_lookup_answers_only_exact_matches_and_is_rate_limited(ahmad, client):
    url = reverse("aid:public_lookup")
    found = client.post(url, {"nik": "7201010505600001", "name": "ahmad  yani"})
    assert found.status_code == 200 and found.context["result"] is not None
    assert PersonalDataRead.objects.filter(object_id=str(ahmad.pk), actor=None).count() == 1
    partial = client.post(url, {"nik": "7201010505600001", "name": "Ahmad"})
    assert partial.context["result"] is None and "Tidak ada data" in partial.content.decode()
    other_nik = client.post(url, {"nik": "7201010505600002", "name": "Ahmad Yani"})
    assert other_nik.context["result"] is None
    for _i in range(7):
        client.post(url, {"nik": "7201010505600001", "name": "x"})
    limited = client.post(url, {"nik": "7201010505600001", "name": "Ahmad Yani"})
    assert limited.status_code == 429 and limited.context["result"] is None


def test_a_resident_whose_nik_has_an_impossible_date_can_still_look_themselves_up(regions, client):
    """The registry keeps such a NIK (flagged), so its holder is answered like anyone else."""
    import_rows(
        [
            "B4,7201013205600007,7201010101100001,Tanggal Nik Salah,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,"
        ]
    )
    url = reverse("aid:public_lookup")
    found = client.post(url, {"nik": "7201 0132 0560 0007", "name": "Tanggal Nik Salah"})
    assert found.status_code == 200 and found.context["result"] == []
    assert "NIK" not in str(found.context["form"].errors)
    api = client.post(
        "/api/v1/aid/lookup/",
        {"nik": "7201013205600007", "name": "Tanggal Nik Salah"},
        content_type="application/json",
    )
    assert api.json() == {"found": True, "aid": []}


def test_public_lookup_api(ahmad, client):
    ok = client.post(
        "/api/v1/aid/lookup/",
        {"nik": "7201010505600001", "name": "Ahmad Yani"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["found"] is True
    partial = client.post(
        "/api/v1/aid/lookup/", {"nik": "7201010505600001", "name": "Ahmad"}, content_type="application/json"
    )
    assert partial.json() == {"found": False, "aid": []}
    bad = client.post("/api/v1/aid/lookup/", {"nik": "123", "name": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "nik" in bad.json()["fields"]


def test_api_enrolment_returns_the_warning(registry, programs, petugas):
    rnd = services.round_create(
        actor=petugas,
        program=programs["prakerja"],
        area="72.01.01.2001",
        stage=1,
        period_start=date(2020, 5, 1),
        period_end=date(2020, 7, 31),
    )
    client = client_for(petugas)
    response = client.post(
        f"/api/v1/aid/rounds/{rnd.pk}/enrolments/",
        {"nik": "7201011203900003"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["warnings"] == []
    again = client.post(
        f"/api/v1/aid/rounds/{rnd.pk}/enrolments/",
        {"nik": "7201011203900003"},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid"


def test_gallery_hides_photos_without_consent(registry, petugas, units):
    from django.utils import timezone

    from layan.aid.models import AsnPackage

    package = AsnPackage.objects.create(unit=units["kec_toili"], contents="Paket sembako", value=100000)
    now = timezone.now()
    services.asn_package_hand_over(
        actor=petugas,
        package=package,
        family=Resident.objects.get(name="Budi Santoso").family,
        handed_at=now,
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=now)],
    )
    page = client_for(petugas).get(reverse("aid:gallery_item", args=[package.share_token])).content.decode()
    assert "Budi" not in page and "<img" not in page and "og:title" in page


def test_gallery_shows_asn_peduli_totals_per_unit_and_for_the_kabupaten(
    registry, petugas, units, position, client
):
    from django.utils import timezone

    from layan.aid.models import AsnPackage
    from layan.conftest import make_employee

    toili = units["kec_toili"]
    rina = make_employee(toili, "Rina Donatur", "199201102019032005", position=position)
    joko = make_employee(
        toili, "Joko Donatur", "199001012015031001", position=position, nik="7201010101900007"
    )
    for employee, amount in ((rina, 100000), (joko, 50000)):
        services.asn_donation_record(actor=petugas, employee=employee, month=date(2021, 7, 1), amount=amount)
    package = AsnPackage.objects.create(unit=toili, contents="Paket sembako", value=120000)
    now = timezone.now()
    services.asn_package_hand_over(
        actor=petugas,
        package=package,
        family=Resident.objects.get(name="Budi Santoso").family,
        handed_at=now,
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=now)],
    )
    page = client.get(reverse("aid:gallery"))  # public, no login
    units_rows, total = page.context["units"], page.context["total"]
    assert [(u.name, u.donors, u.collected, u.packages, u.packages_value) for u in units_rows] == [
        (toili.name, 2, 150000, 1, 120000)
    ]
    assert (total.donors, total.collected, total.packages) == (2, 150000, 1)
    html = page.content.decode()
    assert "Rina" not in html and "Budi" not in html  # aggregates only


def test_gallery_shows_a_video_as_a_video_and_only_photos_as_the_image(registry, petugas, units, client):
    from django.utils import timezone

    from layan.aid.models import AsnPackage
    from layan.aid.tests.test_offline_handover import mp4_file

    now = timezone.now()
    families = [Resident.objects.get(name=n).family for n in ("Budi Santoso", "Ahmad Yani")]
    video_only, video_then_photo = (
        AsnPackage.objects.create(unit=units["kec_toili"], contents=f"Paket {n}", value=100000)
        for n in (1, 2)
    )
    services.asn_package_hand_over(
        actor=petugas,
        package=video_only,
        family=families[0],
        handed_at=now,
        consent_public=True,
        evidence=[services.EvidenceInput(upload=mp4_file(), taken_at=now, kind="video")],
    )
    services.asn_package_hand_over(
        actor=petugas,
        package=video_then_photo,
        family=families[1],
        handed_at=now,
        consent_public=True,
        evidence=[
            services.EvidenceInput(upload=mp4_file(b"clip-2"), taken_at=now, kind="video"),
            services.EvidenceInput(upload=photo_file(), taken_at=now),
        ],
    )
    page = client.get(reverse("aid:gallery_item", args=[video_only.share_token])).content.decode()
    assert "<video" in page and "<img" not in page and "og:image" not in page
    page = client.get(reverse("aid:gallery_item", args=[video_then_photo.share_token])).content.decode()
    photo = video_then_photo.evidence.get(kind="photo")
    photo_url = reverse("aid:gallery_evidence", args=[video_then_photo.share_token, photo.pk])
    assert f'og:image" content="http://testserver{photo_url}"' in page
    assert f'<img src="{photo_url}"' in page and "<video" not in page
    listing = client.get(reverse("aid:gallery")).content.decode()
    assert listing.count("<video") == 1 and f'<img src="{photo_url}"' in listing
    video = video_only.evidence.get()
    assert (
        f'<img src="{reverse("aid:gallery_evidence", args=[video_only.share_token, video.pk])}"'
        not in listing
    )
    # What the page points to is served, to anyone, as what it is.
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
    served = client.get(reverse("aid:gallery_evidence", args=[video_only.share_token, video.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "video/mp4"


def test_gallery_serves_no_photo_without_consent_nor_under_another_package(registry, petugas, units, client):
    from django.utils import timezone

    from layan.aid.models import AsnPackage

    now = timezone.now()
    private, public = (
        AsnPackage.objects.create(unit=units["kec_toili"], contents=f"Paket {n}", value=100000)
        for n in (1, 2)
    )
    for package, family, consent, seed in (
        (private, "Budi Santoso", False, 1),
        (public, "Ahmad Yani", True, 2),
    ):
        services.asn_package_hand_over(
            actor=petugas,
            package=package,
            family=Resident.objects.get(name=family).family,
            handed_at=now,
            consent_public=consent,
            evidence=[services.EvidenceInput(upload=photo_file(seed=seed), taken_at=now)],
        )
    hidden = private.evidence.get()
    assert (
        client.get(reverse("aid:gallery_evidence", args=[private.share_token, hidden.pk])).status_code == 404
    )
    assert (
        client.get(reverse("aid:gallery_evidence", args=[public.share_token, hidden.pk])).status_code == 404
    )
    # The officers still see it, through their scope; an outsider does not.
    internal = reverse("aid:evidence_file", args=[hidden.pk])
    assert client_for(petugas).get(internal).status_code == 200
    outsider = make_user("orang.luar")
    assert client_for(outsider).get(internal).status_code == 404
    # The photo shows the family: the officer of another desa does not get it, the camat of the area does.
    other_desa = make_user("operator.cendana.pura")
    assign(other_desa, "operator_desa", region="72.01.01.2002")
    assert client_for(other_desa).get(internal).status_code == 404
    camat = make_user("camat.toili.2")
    assign(camat, "camat", region="72.01.01")
    assert client_for(camat).get(internal).status_code == 200


def _submitted_round(petugas, program, area="72.01.01.2001"):
    rnd = services.round_create(
        actor=petugas,
        program=program,
        area=area,
        stage=1,
        period_start=date(2020, 5, 1),
        period_end=date(2020, 7, 31),
    )
    services.enrolment_add(actor=petugas, rnd=rnd, family=Resident.objects.get(name="Ahmad Yani").family)
    services.round_submit(
        actor=petugas, rnd=rnd, meeting_date=date(2024, 1, 8), meeting_record="BA", meeting_signed_by="Kades"
    )
    return rnd


def test_bupati_sees_and_legalises_the_rounds_of_their_area(registry, programs, petugas):
    bupati = make_user("bupati")
    assign(bupati, "pimpinan", region="72.01")
    other_bupati = make_user("bupati.lain")
    assign(other_bupati, "pimpinan", region="72.02")
    rnd = _submitted_round(petugas, programs["pkh"])
    client = verified_client_for(bupati)
    listing = client.get(reverse("aid:round_list"))
    assert listing.status_code == 200
    assert reverse("aid:round_detail", args=[rnd.pk]) in listing.content.decode()
    detail = client.get(reverse("aid:round_detail", args=[rnd.pk]))
    assert detail.status_code == 200 and "Sahkan dan kunci daftar" in detail.content.decode()
    assert "Ahmad Yani" in detail.content.decode()
    # The bupati does not see the resident registry: no link to a resident's page.
    assert reverse("aid:resident_detail", args=[Resident.objects.get(name="Ahmad Yani").pk]) not in (
        detail.content.decode()
    )
    assert (
        client.post(
            reverse("aid:round_detail", args=[rnd.pk]), {"action": "approve", "checked": "on"}
        ).status_code
        == 302
    )
    rnd.refresh_from_db()
    assert rnd.status == Round.Status.APPROVED
    assert client.get(reverse("aid:round_pdf", args=[rnd.pk])).status_code == 200
    other = verified_client_for(other_bupati)
    assert (
        reverse("aid:round_detail", args=[rnd.pk])
        not in other.get(reverse("aid:round_list")).content.decode()
    )
    assert other.get(reverse("aid:round_detail", args=[rnd.pk])).status_code == 404


def test_duplicate_list_opens_on_flagged_pairs_and_the_pair_shows_where_the_niks_differ(
    registry, petugas, camat
):
    ahmad = Resident.objects.get(name="Ahmad Yani")
    twin = Resident.objects.get(name="Budi Santoso")  # NIK 7201011203900003 vs 7201010505600001
    first, second = sorted([ahmad, twin], key=lambda r: r.pk)
    pair = DuplicatePair.objects.create(
        resident_a=first, resident_b=second, score=0.97, status="flagged", reason="linkage"
    )
    client = client_for(petugas)
    listing = client.get(reverse("aid:duplicate_list"))
    assert listing.context["status"] == "flagged"
    assert reverse("aid:duplicate_detail", args=[pair.pk]) in listing.content.decode()
    assert "Ditandai duplikat <span" in listing.content.decode()  # the tab carries its count
    url = reverse("aid:duplicate_detail", args=[pair.pk])
    page = client.get(url).content.decode()
    assert "NIK berbeda di 5 digit: ke-7, 8, 10, 11, 16." in page
    assert "7201011203900003" not in page and "7201010505600001" not in page
    assert not PersonalDataRead.objects.exists()
    shown = client.get(url + "?nik=tampil").content.decode()
    assert "7201011203900003" in shown and "7201010505600001" in shown
    assert PersonalDataRead.objects.filter(fields=["nik"]).count() == 2
    # A role without aid.view_nik never sees the NIK in clear (nor may it open duplicates at all).
    assert client_for(camat).get(url + "?nik=tampil").status_code == 404


@pytest.fixture
def english_catalogs():
    """The .mo files come from ``make translations`` (not in git): build aid's and core's, drop loaded ones."""
    from pathlib import Path

    import polib
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import trans_real

    root = Path(__file__).resolve().parents[2]
    for app in ("aid", "core"):
        po = root / app / "locale/en/LC_MESSAGES/django.po"
        polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
    trans_real._translations = {}
    trans_real._default = None
    yield
    # The last English request leaves English active in this thread: later tests expect Indonesian.
    translation.activate(settings.LANGUAGE_CODE)


def test_stored_reasons_and_conflicts_read_in_english(
    registry, programs, operator_desa, petugas, camat, english_catalogs, django_capture_on_commit_callbacks
):
    """The worker and the village officer write in Indonesian; a reader in English reads English."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layan.aid.tests.test_rounds import _approved_round, _family

    client = client_for(operator_desa)
    upload = SimpleUploadedFile(
        "daftar.csv", csv_bytes(["X,7201010505600001,,Nama,L,,2000-01-01,,,,72.01.99.9999,,,,,"])
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("aid:import_list"), {"source": "Desa", "file": upload})
    # A family already in PKH put on a BLT-DD list in 2020: a conflict kept with the list.
    _approved_round(petugas, camat, programs["pkh"], "72.01.01.2001", [_family("Ahmad Yani")])
    blt = blt_dd_2020_round(petugas, programs)
    services.enrolment_add(actor=petugas, rnd=blt, family=_family("Ahmad Yani"))
    round_url = reverse("aid:round_detail", args=[blt.pk])
    assert "TIDAK boleh" in client_for(petugas).get(round_url).content.decode()

    client.post(reverse("set_language"), {"language": "en"})
    detail = client.get(response["Location"]).content.decode()
    assert "Village code 72.01.99.9999 is unknown." in detail
    assert "tidak dikenal" not in detail
    english = client_for(petugas)
    english.post(reverse("set_language"), {"language": "en"})
    page = english.get(round_url).content.decode()
    assert "Already receives Program Keluarga Harapan" in page and "(stage 1, 2020): NOT allowed" in page
    assert "TIDAK boleh" not in page and "Sudah menerima" not in page


def test_a_job_started_in_indonesian_is_titled_in_the_readers_language(petugas, english_catalogs):
    client = client_for(petugas)
    job_url = client.post(reverse("aid:duplicate_run"))["Location"]
    assert "Cari duplikat penduduk" in client.get(job_url).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(job_url).content.decode()
    assert "Find duplicate residents" in page and "Cari duplikat" not in page


def test_the_approver_reads_the_conflicts_as_they_stood_when_the_list_was_submitted(
    registry, programs, petugas, camat
):
    """A PKH list legalised after the BLT-DD list was drafted: submitting the BLT-DD list rechecks it, so
    the camat sees the new conflict before legalising."""
    from layan.aid.tests.test_rounds import _approved_round, _family

    blt = blt_dd_2020_round(petugas, programs)
    services.enrolment_add(actor=petugas, rnd=blt, family=_family("Ahmad Yani"))
    assert not blt.enrolments.get().conflicts
    _approved_round(petugas, camat, programs["pkh"], "72.01.01.2001", [_family("Ahmad Yani")])
    client = client_for(petugas)
    response = client.post(
        reverse("aid:round_detail", args=[blt.pk]),
        {
            "action": "submit",
            "meeting_date": "2024-01-08",
            "meeting_record": "BA/02",
            "meeting_signed_by": "Kades",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Daftar diajukan untuk pengesahan; batas pengesahan" in page
    assert "TIDAK boleh" in page and "periksa sebelum pengesahan" in page


def test_submit_errors_are_shown_with_the_form_open(registry, programs, petugas):
    blt = blt_dd_2020_round(petugas, programs)
    services.enrolment_add(actor=petugas, rnd=blt, family=Resident.objects.get(name="Ahmad Yani").family)
    response = client_for(petugas).post(
        reverse("aid:round_detail", args=[blt.pk]),
        {"action": "submit", "meeting_date": "2024-01-08", "meeting_record": "", "meeting_signed_by": ""},
    )
    assert response.status_code == 400
    assert '<details class="mb-3" id="submit-details" open>' in response.content.decode()


def test_the_legalised_list_names_the_desa_links_the_evidence_and_asks_before_closing(
    registry, programs, petugas, camat, operator_desa
):
    from django.utils import timezone

    blt = blt_dd_2020_round(petugas, programs)
    for name in ("Ahmad Yani", "Budi Santoso"):
        services.enrolment_add(actor=petugas, rnd=blt, family=Resident.objects.get(name=name).family)
    services.round_submit(
        actor=petugas, rnd=blt, meeting_date=date(2024, 1, 8), meeting_record="BA", meeting_signed_by="Kades"
    )
    services.round_approve(actor=camat, rnd=blt)
    enrolment = blt.enrolments.get(family__head__name="Ahmad Yani")
    now = timezone.now()
    services.distribution_record(
        actor=operator_desa,
        enrolment=enrolment,
        handed_at=now,
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=now)],
    )
    page = client_for(operator_desa).get(reverse("aid:round_detail", args=[blt.pk])).content.decode()
    evidence = enrolment.distribution.evidence.get()
    assert "· Singkoyo" in page and "72.01.01.2001</td>" not in page
    assert reverse("aid:evidence_file", args=[evidence.pk]) in page
    assert "1 penerima belum menerima. Setelah ditandai selesai" in page


def test_an_asn_peduli_package_counts_as_aid_handed_over_everywhere(registry, petugas, units, client):
    """The family is covered and its aid handed over on the coverage page, and the resident who looks
    themselves up sees the package."""
    from django.utils import timezone

    from layan.aid.models import AsnPackage

    budi = Resident.objects.get(name="Budi Santoso")
    package = AsnPackage.objects.create(unit=units["kec_toili"], contents="Paket sembako", value=100000)
    now = timezone.now()
    services.asn_package_hand_over(
        actor=petugas,
        package=package,
        family=budi.family,
        handed_at=now,
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=now)],
    )
    rows = {r.code: r for r in selectors.coverage_by_area(petugas, area="72.01.01", year=now.year)}
    singkoyo = rows["72.01.01.2001"]
    assert singkoyo.covered == singkoyo.handed_over == 1
    found = client.post(reverse("aid:public_lookup"), {"nik": "7201010505600001", "name": "Ahmad Yani"})
    assert "ASN Peduli: Paket" not in found.content.decode()  # another family
    page = client.post(reverse("aid:public_lookup"), {"nik": budi.nik, "name": budi.name}).content.decode()
    assert "ASN Peduli: Paket sembako" in page and "belum tercatat sebagai penerima" not in page
    api = client.post(
        "/api/v1/aid/lookup/", {"nik": budi.nik, "name": budi.name}, content_type="application/json"
    ).json()
    assert api["found"] and api["aid"][0]["package"] == "Paket sembako" and api["aid"][0]["round"] is None


def test_a_village_operators_forms_start_from_their_desa(regions, operator_desa, petugas):
    client = client_for(operator_desa)
    imports = client.get(reverse("aid:import_list")).content.decode()
    assert 'value="Daftar Desa Singkoyo"' in imports
    rounds = client.get(reverse("aid:round_list")).content.decode()
    assert 'value="72.01.01.2001"' in rounds
    # A kabupaten officer works across many desa: nothing is guessed.
    assert 'value="DTKS"' in client_for(petugas).get(reverse("aid:import_list")).content.decode()


def test_a_cash_program_without_a_fixed_amount_is_not_shown_as_rp0(programs, petugas):
    page = client_for(petugas).get(reverse("aid:program_list")).content.decode()
    assert "jumlah berbeda per penerima" in page and "Rp0" not in page
    assert "Rp600.000" in page  # BLT-DD has its amount


def test_a_pkh_handover_asks_for_the_amount_handed(registry, programs, petugas, camat, operator_desa):
    """PKH has no fixed amount per family: the officer enters what was handed, and nothing is recorded
    without it."""
    from decimal import Decimal

    from layan.aid.models import Distribution
    from layan.aid.tests.test_rounds import _approved_round, _family

    rnd = _approved_round(petugas, camat, programs["pkh"], "72.01.01.2001", [_family("Ahmad Yani")])
    enrolment = rnd.enrolments.get()
    url = reverse("aid:distribution_create", args=[enrolment.pk])
    client = client_for(operator_desa)
    assert 'name="amount"' in client.get(url).content.decode()
    missing = client.post(url, {"photo": photo_file(seed=3), "receiver_name": "Ahmad Yani"})
    assert missing.status_code == 400 and "Isi nilai uang yang diserahkan" in missing.content.decode()
    assert not Distribution.objects.exists()
    done = client.post(url, {"photo": photo_file(seed=3), "receiver_name": "Ahmad Yani", "amount": "750000"})
    assert done.status_code == 302
    assert Distribution.objects.get().amount == Decimal(750000)


def test_fixes_of_the_second_qa_walk(registry, programs, petugas, camat, operator_desa):
    """A file with headers only is refused; a future meeting date is shown at its field with the form open;
    a list that is not legalised offers no handover form; a conflict names the desa."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from layan.aid.models import DuplicatePair
    from layan.aid.tests.conftest import HEADER

    client = client_for(operator_desa)
    empty = client.post(
        reverse("aid:import_list"),
        {"source": "Desa", "file": SimpleUploadedFile("kosong.csv", (HEADER + "\n").encode())},
    )
    assert empty.status_code == 400 and "tidak ada baris penduduk" in empty.content.decode()

    blt = blt_dd_2020_round(petugas, programs)
    ahmad, budi = (Resident.objects.get(name=n) for n in ("Ahmad Yani", "Budi Santoso"))
    first, second = sorted((ahmad, budi), key=lambda r: r.pk)
    DuplicatePair.objects.create(
        resident_a=first, resident_b=second, score=0.9, status="queued", reason=DuplicatePair.Reason.LINKAGE
    )
    enrolment = services.enrolment_add(actor=petugas, rnd=blt, family=ahmad.family).enrolment
    assert "(Singkoyo)" in " ".join(shown_all(enrolment.conflicts))
    future = client_for(petugas).post(
        reverse("aid:round_detail", args=[blt.pk]),
        {
            "action": "submit",
            "meeting_date": "2099-01-08",
            "meeting_record": "BA",
            "meeting_signed_by": "Kades",
        },
    )
    page = future.content.decode()
    assert future.status_code == 400 and 'id="submit-details" open' in page
    assert "Tanggal musyawarah tidak boleh di masa depan." in page
    draft_form = client.get(reverse("aid:distribution_create", args=[enrolment.pk]))
    assert draft_form.status_code == 302 and draft_form["Location"] == reverse(
        "aid:round_detail", args=[blt.pk]
    )
