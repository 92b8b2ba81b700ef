"""Handovers recorded on a phone without signal: the same client UUID sent twice is one record, the phone's
clock is believed only when plausible, and a short video is evidence only when its bytes are a video."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from layan.aid import services
from layan.aid.models import Distribution, Evidence, Resident, Round
from layan.aid.tests.conftest import blt_dd_2020_round, photo_file
from layan.core.uploads import validate_video_upload

# The first bytes of what phones record: an MP4 ``ftyp`` box, and a WebM EBML header (doc type "webm").
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free"
WEBM_HEAD = (
    bytes.fromhex("1a45dfa3") + b"\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm\x42\x87\x81\x04"
)


def mp4_file(payload: bytes = b"clip-1", name="serah.mp4"):
    return SimpleUploadedFile(name, MP4_HEAD + payload * 50, content_type="video/mp4")


@pytest.fixture
def approved(registry, programs, petugas, camat):
    """A legalised BLT-DD list of Singkoyo with two families."""
    rnd = blt_dd_2020_round(petugas, programs)
    for name in ("Ahmad Yani", "Budi Santoso"):
        services.enrolment_add(actor=petugas, rnd=rnd, family=Resident.objects.get(name=name).family)
    services.round_submit(
        actor=petugas,
        rnd=rnd,
        meeting_date=date(2024, 1, 8),
        meeting_record="BA/01",
        meeting_signed_by="Kades",
    )
    rnd = services.round_approve(actor=camat, rnd=rnd)
    # Legalised yesterday: the officers went out with the frozen list this morning.
    Round.objects.filter(pk=rnd.pk).update(approved_at=timezone.now() - timedelta(days=1))
    rnd.refresh_from_db()
    return rnd


def _record(actor, enrolment, when, *, uuid=None, kind="photo", upload=None):
    upload = upload or (photo_file() if kind == "photo" else mp4_file())
    return services.distribution_record(
        actor=actor,
        enrolment=enrolment,
        handed_at=when,
        client_uuid=uuid,
        evidence=[services.EvidenceInput(upload=upload, taken_at=when, kind=kind)],
    )


def test_the_same_offline_handover_sent_twice_is_one_record(approved, operator_desa):
    enrolment = approved.enrolments.order_by("id").first()
    when = timezone.now() - timedelta(hours=3)
    token = "3f0c1d2e-0000-4000-8000-00000000abcd"
    first = _record(operator_desa, enrolment, when, uuid=token)
    again = _record(operator_desa, enrolment, when, uuid=token)  # the queue re-sends after a lost answer
    assert first.was_created and not again.was_created and again.pk == first.pk
    assert Distribution.objects.count() == 1 and Evidence.objects.count() == 1
    # Another UUID for the same recipient is a second handover: refused, not stored.
    with pytest.raises(ValidationError) as info:
        _record(operator_desa, enrolment, when, uuid="3f0c1d2e-0000-4000-8000-00000000abce")
    assert "sudah dicatat" in info.value.messages[0]
    assert Distribution.objects.count() == 1


def test_device_time_is_kept_when_plausible_and_replaced_when_not(approved, operator_desa):
    first, second = approved.enrolments.order_by("id")
    # Recorded offline three hours ago: the handover time is the phone's, the receive time is now.
    three_hours_ago = timezone.now() - timedelta(hours=3)
    offline = _record(operator_desa, first, three_hours_ago)
    assert offline.device_time_accepted and offline.handed_at == three_hours_ago
    assert offline.device_time == three_hours_ago
    assert offline.received_at - offline.device_time >= timedelta(hours=3)
    # A phone whose clock says next week: kept for the record, but the handover counts from its arrival.
    next_week = timezone.now() + timedelta(days=7)
    wrong = _record(operator_desa, second, next_week)
    assert not wrong.device_time_accepted and wrong.device_time == next_week
    assert wrong.handed_at == wrong.received_at
    assert wrong.evidence.get().taken_at <= timezone.now()


def test_device_time_before_the_list_was_legalised_is_not_believed(approved, operator_desa):
    enrolment = approved.enrolments.order_by("id").first()
    before_freeze = approved.approved_at - timedelta(hours=2)  # the phone's clock is a day behind
    distribution = _record(operator_desa, enrolment, before_freeze)
    assert not distribution.device_time_accepted and distribution.handed_at == distribution.received_at


def test_plausibility_bounds():
    now = timezone.now()
    assert services.device_time_plausible(now - timedelta(days=13), now)
    assert not services.device_time_plausible(now - timedelta(days=15), now)
    assert services.device_time_plausible(now + timedelta(minutes=5), now)  # a clock a little fast
    assert not services.device_time_plausible(now + timedelta(minutes=30), now)


def test_a_short_video_is_evidence_and_its_reuse_is_found(approved, operator_desa):
    first, second = approved.enrolments.order_by("id")
    when = timezone.now() - timedelta(minutes=2)
    video = _record(operator_desa, first, when, kind="video").evidence.get()
    assert video.kind == Evidence.Kind.VIDEO and video.phash == "" and len(video.sha256) == 64
    assert video.reused_from is None
    reused = _record(operator_desa, second, when, kind="video").evidence.get()
    assert reused.reused_from == video  # the same clip for another family


def test_video_is_checked_by_its_bytes_not_its_name(approved, operator_desa):
    enrolment = approved.enrolments.order_by("id").first()
    when = timezone.now()
    disguised = SimpleUploadedFile("serah.mp4", photo_file().read(), content_type="video/mp4")
    with pytest.raises(ValidationError) as info:
        _record(operator_desa, enrolment, when, kind="video", upload=disguised)
    assert "bukan video" in info.value.messages[0]
    assert Distribution.objects.count() == 0  # nothing half-stored
    assert validate_video_upload(mp4_file(name="rekaman.bin")) == "mp4"
    assert validate_video_upload(SimpleUploadedFile("x", WEBM_HEAD + b"\x00" * 100)) == "webm"
    matroska = WEBM_HEAD.replace(b"\x84webm", b"\x88matroska")
    with pytest.raises(ValidationError):
        validate_video_upload(SimpleUploadedFile("x.webm", matroska + b"\x00" * 100))


def test_a_video_too_large_is_refused(settings):
    settings.LAYAN_MAX_VIDEO_BYTES = 1024
    with pytest.raises(ValidationError) as info:
        validate_video_upload(mp4_file(payload=b"x" * 100))
    assert "terlalu besar" in info.value.messages[0]


def recorded_video(tmp_path, seconds: int, container: str = "mp4") -> SimpleUploadedFile:
    """A real video file, encoded by FFmpeg (through OpenCV) as a phone's camera would: one frame a second."""
    import cv2
    import numpy

    path = tmp_path / f"rekaman.{container}"
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter_fourcc(*("mp4v" if container == "mp4" else "VP80")), 1, (64, 48)
    )
    for second in range(seconds):
        writer.write(numpy.full((48, 64, 3), second * 7 % 255, dtype=numpy.uint8))
    writer.release()
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=f"video/{container}")


@pytest.mark.parametrize("container", ["mp4", "webm"])
def test_a_video_longer_than_the_limit_is_refused_with_its_length(tmp_path, settings, container):
    assert validate_video_upload(recorded_video(tmp_path, 5, container)) == container
    with pytest.raises(ValidationError) as info:
        validate_video_upload(recorded_video(tmp_path, 75, container))
    assert info.value.messages == [
        "Video terlalu panjang (75 detik, maksimal 60 detik); rekam video pendek saja."
    ]
    settings.LAYAN_MAX_VIDEO_SECONDS = 120
    assert validate_video_upload(recorded_video(tmp_path, 75, container)) == container


def test_a_handover_with_a_long_video_is_refused_and_nothing_is_kept(approved, operator_desa, tmp_path):
    enrolment = approved.enrolments.order_by("id").first()
    with pytest.raises(ValidationError):
        _record(operator_desa, enrolment, timezone.now(), kind="video", upload=recorded_video(tmp_path, 75))
    assert Distribution.objects.count() == 0 and Evidence.objects.count() == 0


def test_cash_amount_defaults_to_the_program_value(approved, operator_desa):
    enrolment = approved.enrolments.order_by("id").first()
    distribution = _record(operator_desa, enrolment, timezone.now())
    assert distribution.amount == Decimal(600000)


def test_a_person_confirmed_to_be_on_the_list_twice_is_handed_aid_once(approved, operator_desa, petugas):
    from layan.aid.models import DuplicatePair

    ahmad, budi = (Resident.objects.get(name=n) for n in ("Ahmad Yani", "Budi Santoso"))
    first, second = sorted((ahmad, budi), key=lambda r: r.pk)
    pair = DuplicatePair.objects.create(
        resident_a=first,
        resident_b=second,
        score=0.97,
        status=DuplicatePair.Status.QUEUED,
        reason=DuplicatePair.Reason.LINKAGE,
    )
    services.duplicate_decide(actor=petugas, pair=pair, same_person=True, note="Satu orang, dua KK")
    by_family = {e.family.head.name: e for e in approved.enrolments.select_related("family__head")}
    _record(operator_desa, by_family["Ahmad Yani"], timezone.now())
    with pytest.raises(ValidationError) as info:
        _record(operator_desa, by_family["Budi Santoso"], timezone.now())
    assert info.value.messages == [
        "Ahmad Yani sudah menerima bantuan pada daftar ini dan telah dipastikan orang yang sama dengan "
        "penerima ini: penyerahan kedua tidak dicatat."
    ]
    assert Distribution.objects.count() == 1 and Evidence.objects.count() == 1


def test_a_pair_judged_different_people_does_not_stop_the_second_handover(approved, operator_desa, petugas):
    from layan.aid.models import DuplicatePair

    first, second = sorted(
        (Resident.objects.get(name=n) for n in ("Ahmad Yani", "Budi Santoso")), key=lambda r: r.pk
    )
    pair = DuplicatePair.objects.create(
        resident_a=first, resident_b=second, score=0.9, status="queued", reason=DuplicatePair.Reason.LINKAGE
    )
    services.duplicate_decide(actor=petugas, pair=pair, same_person=False)
    for enrolment in approved.enrolments.all():
        _record(operator_desa, enrolment, timezone.now(), upload=photo_file(seed=enrolment.pk + 10))
    assert Distribution.objects.count() == 2
