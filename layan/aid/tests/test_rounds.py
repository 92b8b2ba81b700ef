from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from layan.aid import selectors, services
from layan.aid.models import AsnPackage, Distribution, Enrolment, ExclusivityRule, Family, Resident, Round
from layan.aid.rules import combination
from layan.aid.tests.conftest import blt_dd_2020_round, photo_file
from layan.core.models import AuditEvent
from layan.org.models import Unit


def _family(name):
    return Resident.objects.get(name=name).family


def _approved_round(
    actor, approver, program, area, families, *, start=date(2020, 5, 1), end=date(2020, 7, 31), stage=1
):
    rnd = services.round_create(
        actor=actor, program=program, area=area, stage=stage, period_start=start, period_end=end
    )
    for family in families:
        services.enrolment_add(actor=actor, rnd=rnd, family=family)
    services.round_submit(
        actor=actor,
        rnd=rnd,
        meeting_date=timezone.localdate(),
        meeting_record="BA/01",
        meeting_signed_by="Kepala Desa",
    )
    return services.round_approve(actor=approver, rnd=rnd)


@pytest.mark.parametrize(
    "on, other, allowed",
    [
        (date(2020, 3, 1), "pkh", True),  # before Permendes 6/2020
        (date(2020, 6, 1), "pkh", False),
        (date(2020, 6, 1), "bpnt", False),
        (date(2020, 6, 1), "prakerja", False),
        (date(2021, 6, 1), "bst", False),
        (date(2022, 3, 1), "bpnt", False),  # one aid only from 2022
        (date(2022, 3, 1), "asn-peduli", True),  # civil servants' own giving is not "another aid"
    ],
)
def test_blt_dd_exclusivity_on_the_dates_it_applies(programs, on, other, allowed):
    assert combination(programs["blt-dd"], programs[other], on).allowed is allowed
    assert combination(programs[other], programs["blt-dd"], on).allowed is allowed


def test_pkh_and_bpnt_together_are_explicitly_allowed(programs):
    combo = combination(programs["pkh"], programs["bpnt"], date(2021, 1, 1))
    assert combo.allowed and combo.explicit and combo.legal_basis


def test_exclusivity_rules_are_dated_data(programs):
    assert ExclusivityRule.objects.filter(program=programs["blt-dd"], kind="excludes").count() == 4
    rule = ExclusivityRule(program=programs["blt-dd"], kind="one_only", valid_from=date(2023, 1, 1))
    with pytest.raises(ValidationError):
        rule.full_clean()  # overlaps the 2022 rule still in force


def test_entry_warns_that_the_family_already_receives_excluded_aid(registry, programs, petugas, camat):
    ahmad_family = _family("Ahmad Yani")
    _approved_round(petugas, camat, programs["pkh"], "72.01.01.2001", [ahmad_family])
    blt = blt_dd_2020_round(petugas, programs)
    result = services.enrolment_add(actor=petugas, rnd=blt, resident=Resident.objects.get(name="Siti Aminah"))
    assert result.enrolment.family == ahmad_family  # BLT-DD targets the family
    assert len(result.warnings) == 1 and not result.warnings[0].allowed
    assert "PKH" in result.warnings[0].text and "TIDAK boleh" in result.warnings[0].text
    assert any(c["kind"] == "exclusivity" for c in result.enrolment.conflicts)
    # A family receiving nothing gets no warning.
    clean = services.enrolment_add(actor=petugas, rnd=blt, family=_family("Budi Santoso"))
    assert clean.warnings == [] and not [c for c in clean.enrolment.conflicts if c["kind"] == "exclusivity"]


def test_bpnt_entry_for_a_pkh_family_says_allowed(registry, programs, petugas, camat):
    _approved_round(petugas, camat, programs["pkh"], "72.01.01.2001", [_family("Ahmad Yani")])
    bpnt = services.round_create(
        actor=petugas,
        program=programs["bpnt"],
        area="72.01.01.2001",
        stage=1,
        period_start=date(2020, 6, 1),
        period_end=date(2020, 6, 30),
    )
    result = services.enrolment_add(actor=petugas, rnd=bpnt, family=_family("Ahmad Yani"))
    assert result.warnings[0].allowed and "boleh" in result.warnings[0].text


def test_round_goes_draft_to_approved_and_the_list_is_frozen(registry, programs, petugas, camat):
    rnd = blt_dd_2020_round(petugas, programs)
    services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Ahmad Yani"))
    meeting = date(2024, 5, 3)  # a Friday
    rnd = services.round_submit(
        actor=petugas,
        rnd=rnd,
        meeting_date=meeting,
        meeting_record="BA/MUSDESUS/3",
        meeting_signed_by="Kepala Desa Singkoyo",
    )
    assert rnd.status == Round.Status.TO_APPROVE
    # 5 working days after Friday 3 May 2024: 6,7,8 May, (9 Ascension, 10 cuti bersama), 13, 14 May.
    assert rnd.legalisation_due == date(2024, 5, 14)
    with pytest.raises(ValidationError):
        services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Budi Santoso"))
    with pytest.raises(Http404):
        services.round_approve(actor=petugas, rnd=rnd)  # a petugas cannot legalise
    rnd = services.round_approve(actor=camat, rnd=rnd)
    assert rnd.status == Round.Status.APPROVED and rnd.is_frozen
    assert rnd.legalisation_late  # legalised after 14 May 2024
    with pytest.raises(ValidationError) as info:
        services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Budi Santoso"))
    assert "dikunci" in info.value.messages[0]
    with pytest.raises(ValidationError):
        services.enrolment_remove(actor=petugas, enrolment=rnd.enrolments.get())
    assert rnd.enrolments.count() == 1
    assert AuditEvent.objects.filter(action="aid.round_approve").exists()


def test_sibling_camat_cannot_approve_a_round_outside_their_kecamatan(registry, programs, petugas, sibling):
    rnd = blt_dd_2020_round(petugas, programs)
    services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Ahmad Yani"))
    services.round_submit(
        actor=petugas, rnd=rnd, meeting_date=date(2024, 1, 8), meeting_record="BA", meeting_signed_by="Kades"
    )
    with pytest.raises(Http404):
        services.round_approve(actor=sibling, rnd=rnd)


def test_proposal_from_eligibility_skips_excluded_families(registry, programs, petugas, camat):
    _approved_round(petugas, camat, programs["pkh"], "72.01.01", [_family("Ahmad Yani")])
    rnd = services.round_create(
        actor=petugas,
        program=programs["blt-dd"],
        area="72.01.01",
        stage=1,
        period_start=date(2020, 5, 1),
        period_end=date(2020, 7, 31),
    )
    added = services.round_propose_from_eligibility(actor=petugas, rnd=rnd)
    families = set(rnd.enrolments.values_list("family__head__name", flat=True))
    assert added == 2 and families == {"Budi Santoso", "Wa Ode Nurma"}


def test_distribution_with_photo_and_reuse_detection(registry, programs, petugas, camat):
    rnd = _approved_round(
        petugas, camat, programs["blt-dd"], "72.01.01.2001", [_family("Ahmad Yani"), _family("Budi Santoso")]
    )
    first, second = rnd.enrolments.order_by("id")
    when = timezone.now() - timedelta(minutes=5)
    token = "6b1f7f57-3f5c-4a55-9d55-2f1f0c7f4c11"
    dist = services.distribution_record(
        actor=petugas,
        enrolment=first,
        handed_at=when,
        confirmed_by_recipient=True,
        receiver_name="Ahmad Yani",
        evidence=[
            services.EvidenceInput(
                upload=photo_file(), taken_at=when, latitude=Decimal("-1.4"), longitude=Decimal("122.5")
            )
        ],
        client_uuid=token,
    )
    assert dist.amount == Decimal(600000) and dist.officer == petugas
    assert dist.evidence.get().reused_from is None
    # The offline queue sends the same handover again: no second record.
    again = services.distribution_record(
        actor=petugas,
        enrolment=first,
        handed_at=when,
        client_uuid=token,
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=when)],
    )
    assert again.pk == dist.pk and Distribution.objects.count() == 1
    # The same photo used for another family's handover is marked as re-used.
    other = services.distribution_record(
        actor=petugas,
        enrolment=second,
        handed_at=when,
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=when)],
    )
    assert other.evidence.get().reused_from == dist.evidence.get()
    distinct = photo_file(seed=7)
    assert services._phash(distinct) != dist.evidence.get().phash


def test_distribution_refuses_non_images_and_unfrozen_lists(registry, programs, petugas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rnd = blt_dd_2020_round(petugas, programs)
    enrolment = services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Ahmad Yani")).enrolment
    now = timezone.now()
    with pytest.raises(ValidationError) as info:
        services.distribution_record(
            actor=petugas,
            enrolment=enrolment,
            handed_at=now,
            evidence=[services.EvidenceInput(upload=photo_file(), taken_at=now)],
        )
    assert "disahkan" in info.value.messages[0]
    rnd.status = Round.Status.APPROVED
    rnd.save()
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as info:
        services.distribution_record(
            actor=petugas,
            enrolment=enrolment,
            handed_at=now,
            evidence=[services.EvidenceInput(upload=fake, taken_at=now)],
        )
    assert "bukan gambar" in info.value.messages[0]
    assert Distribution.objects.count() == 0


def test_true_count_of_families_receiving_nothing(registry, programs, petugas, camat):
    ahmad, budi = _family("Ahmad Yani"), _family("Budi Santoso")
    # Ahmad's family is in two programs; Siti (his wife) also on Prakerja personally: still one family.
    _approved_round(petugas, camat, programs["pkh"], "72.01.01.2001", [ahmad])
    _approved_round(petugas, camat, programs["bpnt"], "72.01.01.2001", [ahmad])
    prakerja = services.round_create(
        actor=petugas,
        program=programs["prakerja"],
        area="72.01.01.2001",
        stage=1,
        period_start=date(2020, 5, 1),
        period_end=date(2020, 7, 31),
    )
    services.enrolment_add(actor=petugas, rnd=prakerja, resident=Resident.objects.get(name="Siti Aminah"))
    services.round_submit(
        actor=petugas,
        rnd=prakerja,
        meeting_date=date(2024, 1, 8),
        meeting_record="BA",
        meeting_signed_by="Kades",
    )
    services.round_approve(actor=camat, rnd=prakerja)
    rows = selectors.coverage_by_area(petugas, area="72.01")
    total = selectors.coverage_totals(rows)
    assert (total.families, total.covered, total.uncovered) == (4, 1, 3)
    singkoyo = next(r for r in rows if r.code == "72.01.01.2001")
    assert (singkoyo.families, singkoyo.uncovered) == (2, 1)
    assert singkoyo.by_program == {"pkh": 1, "bpnt": 1, "prakerja": 1}
    # By kecamatan, the same families counted once.
    by_kecamatan = selectors.coverage_by_area(petugas, area="72.01", level=3)
    assert [(r.code, r.families, r.uncovered) for r in by_kecamatan] == [
        ("72.01.01", 3, 2),
        ("72.01.02", 1, 1),
    ]
    nothing = set(selectors.families_receiving_nothing(petugas, area="72.01"))
    assert ahmad not in nothing and budi in nothing
    # Wa Ode Nurma (disability) heads the only vulnerable family receiving nothing.
    vulnerable = list(selectors.families_receiving_nothing(petugas, area="72.01", vulnerable_only=True))
    assert [f.head.name for f in vulnerable] == ["Wa Ode Nurma"]


def test_double_recipients_against_the_rules(registry, programs, petugas, camat):
    ahmad = _family("Ahmad Yani")
    _approved_round(petugas, camat, programs["pkh"], "72.01.01.2001", [ahmad])
    _approved_round(petugas, camat, programs["blt-dd"], "72.01.01.2001", [ahmad])
    _approved_round(petugas, camat, programs["bpnt"], "72.01.01.2001", [ahmad])
    found = selectors.double_recipients(petugas, area="72.01")
    pairs = {frozenset({d.first.round.program.code, d.second.round.program.code}) for d in found}
    assert pairs == {frozenset({"pkh", "blt-dd"}), frozenset({"bpnt", "blt-dd"})}
    # The year filter of the coverage page applies to them too: these rounds are of 2020.
    assert selectors.double_recipients(petugas, area="72.01", year=2021) == []
    assert len(selectors.double_recipients(petugas, area="72.01", year=2020)) == 2
    from layan.conftest import client_for

    page = client_for(petugas).get("/bansos/cakupan/?tahun=2020").content.decode()
    assert "Program Keluarga Harapan (PKH) (tahap 1, 05-2020–07-2020) + BLT Dana Desa" in page


def test_coverage_filters_say_what_is_wrong(registry, petugas):
    from layan.conftest import client_for

    page = client_for(petugas).get("/bansos/cakupan/?tahun=abc&wilayah=zz").content.decode()
    assert "Masukkan keseluruhan angka bilangan." in page  # Django's Indonesian for a whole number
    assert "Kode wilayah zz tidak sah" in page


def test_asn_peduli_package_reaches_a_family_that_received_nothing(
    registry, programs, petugas, people, units
):
    admin = _admin()
    target = selectors.families_receiving_nothing(petugas, area="72.01", vulnerable_only=True).first()
    donation = services.asn_donation_record(
        actor=admin, employee=people["head"], month=date(2020, 5, 1), amount=Decimal(100000)
    )
    assert donation.unit == units["kec_toili"]
    package = services.asn_package_create(
        actor=admin, unit=units["kec_toili"], contents="Beras 10 kg, minyak", value=Decimal(150000)
    )
    when = timezone.now()
    services.asn_package_hand_over(
        actor=petugas,
        package=package,
        family=target,
        handed_at=when,
        evidence=[services.EvidenceInput(upload=photo_file(), taken_at=when)],
    )
    assert AsnPackage.objects.get().status == AsnPackage.Status.HANDED_OVER
    assert target not in set(selectors.families_receiving_nothing(petugas, area="72.01"))


def _admin():
    from layan.conftest import assign, make_user

    user = make_user("admin.sistem")
    assign(user, "admin_sistem", region="72.01")
    return user


def test_enrolment_of_an_unknown_family_member_is_refused(registry, programs, petugas):
    rnd = blt_dd_2020_round(petugas, programs)
    services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Ahmad Yani"))
    with pytest.raises(ValidationError):
        services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Ahmad Yani"))
    with pytest.raises(ValidationError):  # lives in another desa
        services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Andi Lamato"))
    assert Enrolment.objects.count() == 1
    assert Family.objects.count() == 4 and Unit.objects.exists() is False
    assert datetime(2020, 1, 1, tzinfo=UTC)


def test_a_submitted_list_is_waiting_in_the_approvers_notifications_not_the_kepala_desas(
    registry, programs, petugas, camat
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from layan.conftest import assign, make_user
    from layan.core.models import Notification

    bupati = make_user("bupati.banggai")
    assign(bupati, "pimpinan", region="72.01")
    other_camat = make_user("camat.batui")
    assign(other_camat, "camat", region="72.01.02")
    kades = make_user("kades.singkoyo")
    assign(kades, "kepala_desa", region="72.01.01.2001")
    rnd = blt_dd_2020_round(petugas, programs)
    services.enrolment_add(actor=petugas, rnd=rnd, family=_family("Ahmad Yani"))
    services.round_submit(
        actor=petugas,
        rnd=rnd,
        meeting_date=date(2024, 1, 8),
        meeting_record="BA/01",
        meeting_signed_by="Kades",
    )
    waiting = Notification.objects.filter(url=f"/bansos/putaran/{rnd.pk}/")
    assert set(waiting.values_list("user__username", flat=True)) == {"camat.toili", "bupati.banggai"}
    assert "menunggu pengesahan (batas 15-01-2024)" in waiting.first().title
    # The kepala desa signs the village meeting's list; legalising it is for the camat or the bupati.
    with pytest.raises((PermissionDenied, Http404)):
        services.round_approve(actor=kades, rnd=rnd)
    from django.utils import translation

    with translation.override("en"):  # each reader reads it in their own language
        assert waiting.first().title_shown.startswith("The list BLT-DD stage 1")
    services.round_approve(actor=camat, rnd=rnd)
    assert not waiting.filter(read_at__isnull=True).exists()  # legalised: nobody is still asked
