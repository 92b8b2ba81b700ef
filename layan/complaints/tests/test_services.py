import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from layan.complaints import selectors, services, sla
from layan.complaints.models import (
    Case,
    CaseEvent,
    CaseFollower,
    Category,
    Clock,
    InboundMessage,
    SlaRule,
    State,
)
from layan.complaints.tasks import run_sla_sweep
from layan.complaints.tests.conftest import photo, submit
from layan.core.models import AuditEvent, DayOff, Notification

WITA = ZoneInfo("Asia/Makassar")


def at(*args):
    return datetime(*args, tzinfo=WITA)


@pytest.fixture
def clock(monkeypatch):
    """Set the services' clock to a fixed moment (returns a setter)."""

    def set_now(moment):
        monkeypatch.setattr(services, "_now", lambda: moment)

    return set_now


def test_default_categories_and_sla_are_seeded(db):
    codes = list(Category.objects.values_list("code", flat=True))
    assert len(codes) == 16 and {"jalan", "covid", "adminduk", "lainnya"} <= set(codes)
    rule = SlaRule.in_force(date(2024, 1, 1)).get()
    assert (rule.verify_days, rule.answer_days, rule.auto_close_days, rule.resolve_days) == (3, 5, 10, 60)


def test_submit_creates_a_case_with_an_unguessable_code_and_protected_contact(new_case):
    assert re.fullmatch(r"LYN-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}", new_case.code)
    assert new_case.state == State.BARU and new_case.clock == Clock.VERIFY
    assert new_case.due_at == new_case.verify_due
    assert new_case.events.get().kind == CaseEvent.Kind.CREATED
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reporter_email, reporter_name FROM complaints_case WHERE id = %s", [new_case.pk]
        )
        email, name = cursor.fetchone()
    assert "rina@example.id" not in email and "Rina" not in name
    audit = AuditEvent.objects.get(action="complaints.case_submit")
    assert "rina" not in str(audit.changes)


def test_codes_differ_and_use_no_ambiguous_letters(regions):
    codes = {Case(received_at=at(2024, 1, 2, 9)).code for _ in range(300)}
    assert len(codes) == 300
    assert not any(set(code[4:]) & set("01OIL") for code in codes)


def test_verify_due_skips_idul_fitri_and_cuti_bersama(regions, jalan, clock):
    clock(at(2024, 4, 5, 10, 0))  # Friday before Lebaran: 8-15 April are holidays and cuti bersama
    case = submit(category=jalan)
    assert case.verify_due == at(2024, 4, 18, 23, 59, 59)


def test_a_regional_day_off_added_by_the_admin_moves_the_deadline(regions, jalan, clock):
    DayOff.objects.create(
        date=date(2024, 6, 4), name="HUT Kabupaten Banggai", kind=DayOff.Kind.REGIONAL, region_prefix="72.01"
    )
    from layan.core import calendar

    calendar.invalidate()
    clock(at(2024, 6, 3, 9, 0))  # Monday
    case = submit(category=jalan)
    assert case.verify_due == at(2024, 6, 7, 23, 59, 59)  # Tue off: Wed, Thu, Fri


def test_more_specific_dated_sla_rule_wins(regions, jalan):
    SlaRule.objects.create(kind="", category=jalan, valid_from=date(2020, 1, 1), verify_days=1, answer_days=2)
    assert sla.sla_for(kind="pengaduan", category_id=jalan.pk, on=date(2024, 1, 1)).verify == 1
    assert sla.sla_for(kind="pengaduan", category_id=None, on=date(2024, 1, 1)).verify == 3
    overlapping = SlaRule(kind="", category=jalan, valid_from=date(2021, 1, 1))
    with pytest.raises(ValidationError):
        overlapping.full_clean()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "asdfgh jkl qwerty zxcvbn mnbvcx lkjhgf"}, "description"),
        ({"description": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaa aaaa"}, "description"),
        ({"region_code": "72.01.01"}, "region_code"),
        ({"region_code": "31.71.01.1001"}, "region_code"),
        ({"region_code": ""}, "region_code"),
        ({"reporter_email": "bukan-surel"}, "reporter_email"),
        ({"reporter_phone": "12"}, "reporter_phone"),
        ({"occurred_on": date.today() + timedelta(days=3)}, "occurred_on"),
        ({"latitude": -0.9}, "latitude"),
        ({"kind": "pidana"}, "kind"),
        ({"client_key": "bukan-uuid"}, "client_key"),
    ],
)
def test_incomplete_or_garbage_reports_are_refused_with_a_message(regions, overrides, field):
    with pytest.raises(ValidationError) as error:
        submit(**overrides)
    assert field in error.value.message_dict
    assert all(error.value.message_dict[field])
    assert not Case.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused(regions):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        submit(attachments=[fake])
    assert "attachments" in error.value.message_dict
    assert not Case.objects.exists()


def test_photo_is_kept_with_a_random_name(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = submit(attachments=[photo("rumah-rina-lamadi.jpg")])
    attachment = case.attachments.get()
    assert attachment.content_type == "image/jpeg" and "rina" not in attachment.file.name


def test_submit_is_idempotent_on_the_client_key(regions):
    key = uuid.uuid4()
    first = submit(client_key=key)
    second = submit(client_key=str(key))
    assert first.pk == second.pk and Case.objects.count() == 1


def test_flood_from_one_address_or_contact_is_rate_limited(regions, settings):
    settings.LAYAN_COMPLAINTS_PER_IP_HOUR = 2
    submit(ip="10.1.1.1", reporter_email="a@example.id")
    submit(ip="10.1.1.1", reporter_email="b@example.id")
    with pytest.raises(services.RateLimited):
        submit(ip="10.1.1.1", reporter_email="c@example.id")
    settings.LAYAN_COMPLAINTS_PER_IP_HOUR = 100
    settings.LAYAN_COMPLAINTS_PER_CONTACT_DAY = 1
    with pytest.raises(services.RateLimited):
        submit(ip="10.2.2.2", reporter_email="A@example.id")
    assert Case.objects.count() == 2


# --- who may make each transition -------------------------------------------------------------------------


def test_only_the_verifier_verifies_and_routes(
    new_case, verifier, officer, head, other_officer, jalan, dinas_pu
):
    for actor in (officer, head, other_officer):
        with pytest.raises(PermissionDenied):
            services.case_verify(actor=actor, case=new_case, category=jalan)
        with pytest.raises(PermissionDenied):
            services.case_route(actor=actor, case=new_case, unit=dinas_pu)
    case = services.case_verify(actor=verifier, case=new_case, category=jalan)
    assert case.state == State.DIVERIFIKASI and case.resolve_due is not None
    case = services.case_route(actor=verifier, case=case, unit=dinas_pu)
    assert (
        case.state == State.DIDISPOSISIKAN and case.clock == Clock.ANSWER and case.due_at == case.answer_due
    )


def test_the_unit_handles_only_its_own_cases(routed_case, officer, head, other_officer, verifier):
    with pytest.raises(PermissionDenied):
        services.case_reply(actor=other_officer, case=routed_case, body="Sudah kami cek di lapangan ya.")
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=other_officer, case=routed_case, officer=officer)
    with pytest.raises(ValidationError):
        services.case_assign(actor=head, case=routed_case, officer=other_officer)
    case = services.case_assign(actor=head, case=routed_case, officer=officer)
    assert case.state == State.DIPROSES and case.assigned_officer == officer
    with pytest.raises(PermissionDenied):  # units do not reject; the verifier does
        services.case_reject(actor=head, case=case, reason="Bukan urusan dinas kami sama sekali.")


def test_first_public_reply_stops_the_answer_clock_and_notes_stay_internal(routed_case, officer):
    services.case_reply(actor=officer, case=routed_case, body="Catatan: perlu alat berat.", public=False)
    routed_case.refresh_from_db()
    assert routed_case.first_answer_at is None and routed_case.clock == Clock.ANSWER
    services.case_reply(actor=officer, case=routed_case, body="Tim kami menjadwalkan penambalan minggu ini.")
    routed_case.refresh_from_db()
    assert routed_case.first_answer_at is not None
    assert routed_case.state == State.DIPROSES and routed_case.clock == Clock.RESOLVE
    public = [e.kind for e in routed_case.events.filter(is_public=True)]
    assert "note" not in public and "reply" in public


def test_waiting_for_the_reporter_pauses_the_clock(regions, jalan, verifier, officer, dinas_pu, clock):
    clock(at(2024, 4, 3, 9, 0))  # Wednesday; 8-15 April are Lebaran holidays and cuti bersama
    case = submit(category=jalan)
    case = services.case_route(actor=verifier, case=case, unit=dinas_pu)
    assert case.answer_due == at(2024, 4, 18, 23, 59, 59)  # 4, 5, 16, 17, 18
    clock(at(2024, 4, 4, 10, 0))
    case = services.case_request_info(actor=officer, case=case, question="Mohon kirim foto titik lubangnya.")
    assert case.state == State.MENUNGGU_PELAPOR and case.due_at is None
    assert not selectors.overdue(Case.objects.all(), now=at(2024, 4, 30, 9, 0)).exists()
    clock(at(2024, 4, 17, 8, 0))
    services.case_citizen_reply(case=case, body="Ini fotonya pak, di depan SD.")
    case.refresh_from_db()
    assert case.state == State.DIDISPOSISIKAN and case.paused_at is None
    assert case.paused_working_days == 3  # 5, 16, 17 April
    assert case.answer_due == at(2024, 4, 23, 23, 59, 59)  # 18 Apr + 3 working days: 19, 22, 23
    assert case.due_at == case.answer_due


def test_resolve_close_reopen_and_rate(routed_case, officer, head):
    case = services.case_resolve(actor=officer, case=routed_case, answer="Lubang sudah ditambal hari ini.")
    assert case.state == State.SELESAI and case.clock == Clock.AUTO_CLOSE and case.close_due
    with pytest.raises(ValidationError):
        services.case_resolve(actor=officer, case=case, answer="Lubang sudah ditambal hari ini.")
    case = services.case_reopen(actor=None, case=case, reason="Tambalannya sudah lepas lagi setelah hujan.")
    assert case.state == State.DIPROSES and case.clock == Clock.ANSWER
    case = services.case_resolve(actor=officer, case=case, answer="Sudah diaspal ulang dengan hotmix.")
    case = services.case_close(actor=None, case=case, by_citizen=True)
    assert case.state == State.DITUTUP
    case = services.case_rate(case=case, rating=5, comment="Cepat, terima kasih")
    assert case.rating == 5
    with pytest.raises(ValidationError):
        services.case_rate(case=case, rating=9)


def test_rating_is_only_possible_after_an_answer(new_case):
    with pytest.raises(ValidationError):
        services.case_rate(case=new_case, rating=4)


def test_reject_needs_a_reason_and_bukan_wewenang_says_where_to_go(new_case, verifier):
    with pytest.raises(ValidationError):
        services.case_reject(actor=verifier, case=new_case, reason="Pidana.", not_authority=True)
    with pytest.raises(ValidationError) as error:
        services.case_reject(
            actor=verifier, case=new_case, reason="Ini laporan tindak pidana pencurian.", not_authority=True
        )
    assert "redirect_to" in error.value.message_dict
    case = services.case_reject(
        actor=verifier,
        case=new_case,
        reason="Ini laporan tindak pidana pencurian.",
        not_authority=True,
        redirect_to="Polres Banggai (SPKT), Jl. Jend. Sudirman",
    )
    assert case.state == State.BUKAN_WEWENANG and case.due_at is None
    with pytest.raises(ValidationError):
        services.case_reply(actor=verifier, case=case, body="Sudah kami teruskan ke pihak kepolisian.")


def test_duplicate_moves_reporter_and_followers_to_the_original(regions, jalan, verifier):
    original = submit(category=jalan, reporter_email="pertama@example.id")
    copy = submit(category=jalan, reporter_email="kedua@example.id")
    services.case_follow(case=copy, email="tetangga@example.id")
    services.case_follow(case=copy, email="pertama@example.id")  # already the original's reporter
    with pytest.raises(ValidationError):
        services.case_mark_duplicate(actor=verifier, case=copy, original=copy)
    copy = services.case_mark_duplicate(actor=verifier, case=copy, original=original)
    assert copy.state == State.DUPLIKAT and copy.duplicate_of == original
    emails = sorted(f.email for f in CaseFollower.objects.filter(case=original))
    assert emails == ["kedua@example.id", "tetangga@example.id"]
    assert not CaseFollower.objects.filter(case=copy).exists()


# --- inbound messages ------------------------------------------------------------------------------------


def test_repeat_messages_from_one_contact_thread_onto_the_open_case(regions, verifier):
    first = services.message_receive(
        channel="whatsapp",
        external_id="wamid.1",
        sender="6281234567890",
        sender_name="Pak Yusuf",
        body="Lampu jalan di Jl. Poros Toili mati semua",
    )
    assert first.status == InboundMessage.Status.NEW
    case = services.message_convert(
        actor=verifier,
        message=first,
        region_code="72.01.01.2001",
        description="Lampu jalan di Jl. Poros Toili mati semua sejak seminggu.",
    )
    assert case.channel == "whatsapp" and case.reporter_phone == "+6281234567890"
    again = services.message_receive(
        channel="whatsapp",
        external_id="wamid.2",
        sender="+62 812-3456-7890",
        body="Pak, kapan diperbaiki lampunya?",
    )
    assert again.status == InboundMessage.Status.THREADED and again.case == case
    assert Case.objects.count() == 1
    assert case.events.filter(kind=CaseEvent.Kind.MESSAGE).count() == 1
    retry = services.message_receive(
        channel="whatsapp",
        external_id="wamid.2",
        sender="6281234567890",
        body="Pak, kapan diperbaiki lampunya?",
    )
    assert retry.pk == again.pk and InboundMessage.objects.count() == 2


def test_a_message_quoting_the_code_resumes_a_paused_case(routed_case, officer):
    services.case_request_info(actor=officer, case=routed_case, question="Di RT berapa tepatnya, Bu?")
    message = services.message_receive(
        channel="email",
        external_id="<x@mail>",
        sender="lain@example.id",
        subject=f"Re: [{routed_case.code}] Meminta keterangan",
        body="RT 02, depan SD persis.",
    )
    routed_case.refresh_from_db()
    assert message.case == routed_case and routed_case.state == State.DIDISPOSISIKAN


def test_message_answer_and_merge(regions, verifier, new_case, officer):
    question = services.message_receive(
        channel="email",
        external_id="<q@mail>",
        sender="warga@example.id",
        body="Jam buka Disdukcapil hari Sabtu?",
    )
    with pytest.raises(PermissionDenied):  # a unit's officer does not see the kabupaten's inbox
        services.message_answer(actor=officer, message=question, answer="Buka 08.00-12.00.")
    services.message_answer(actor=verifier, message=question, answer="Sabtu tutup, Senin–Jumat 08.00–15.00.")
    question.refresh_from_db()
    assert question.status == InboundMessage.Status.ANSWERED
    other = services.message_receive(
        channel="sms", external_id="SM1", sender="+6285298765432", body="Jalan depan SD Singkoyo rusak parah"
    )
    services.message_merge(actor=verifier, message=other, case=new_case)
    other.refresh_from_db()
    assert other.status == InboundMessage.Status.MERGED and other.case == new_case


# --- SLA sweep ---------------------------------------------------------------------------------------------


def test_sweep_escalates_to_the_unit_head_then_the_leaders_and_auto_closes(
    regions, jalan, verifier, officer, head, leader, dinas_pu, clock
):
    clock(at(2024, 7, 1, 9, 0))  # Monday, no holiday that month
    late = services.case_route(actor=verifier, case=submit(category=jalan), unit=dinas_pu)  # due Mon 8 Jul
    answered = services.case_route(
        actor=verifier, case=submit(category=jalan, reporter_email="x@example.id"), unit=dinas_pu
    )
    services.case_resolve(actor=officer, case=answered, answer="Sudah diperbaiki oleh tim lapangan.")
    paused = services.case_route(
        actor=verifier, case=submit(category=jalan, reporter_email="y@example.id"), unit=dinas_pu
    )
    services.case_request_info(actor=officer, case=paused, question="Mohon kirim foto lokasinya, Pak.")

    result = run_sla_sweep(now=at(2024, 7, 9, 8, 0))
    assert result == {"closed": 0, "escalated_unit": 1, "escalated_leaders": 0}
    late.refresh_from_db()
    assert late.escalation_level == 1
    assert (
        Notification.objects.filter(user=head).exists()
        and not Notification.objects.filter(user=leader).exists()
    )
    assert run_sla_sweep(now=at(2024, 7, 9, 9, 0))["escalated_unit"] == 0  # not twice

    # 2 more working days late (9, 10 Jul) -> the leaders
    assert run_sla_sweep(now=at(2024, 7, 10, 8, 0)) == {
        "closed": 0,
        "escalated_unit": 0,
        "escalated_leaders": 1,
    }
    # the answered case closes itself 10 working days after the answer (due 15 Jul)
    result = run_sla_sweep(now=at(2024, 7, 16, 8, 0))
    assert result == {"closed": 1, "escalated_unit": 0, "escalated_leaders": 0}
    answered.refresh_from_db()
    paused.refresh_from_db()
    assert answered.state == State.DITUTUP and paused.escalation_level == 0
    assert Notification.objects.filter(user=leader).exists()


def test_reopen_window_after_close_is_limited_for_citizens(routed_case, officer, clock):
    clock(at(2024, 3, 1, 9, 0))
    case = services.case_resolve(actor=officer, case=routed_case, answer="Lubang sudah ditambal hari ini.")
    case = services.case_close(actor=officer, case=case)
    clock(at(2024, 5, 1, 9, 0))
    with pytest.raises(ValidationError):
        services.case_reopen(actor=None, case=case, reason="Rusak lagi, tolong dicek kembali.")
    case = services.case_reopen(actor=officer, case=case, reason="Dibuka kembali atas temuan inspeksi.")
    assert case.state == State.DIPROSES
