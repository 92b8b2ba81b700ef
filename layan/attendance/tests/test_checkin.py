"""Check-in rules: the geofence, the signals, the device time, idempotent re-sends, bad input."""

from __future__ import annotations

import uuid
from datetime import date, time
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from layan.attendance import services
from layan.attendance.models import (
    BoundDevice,
    CheckIn,
    CheckInPolicy,
    LeaveRequest,
    LeaveType,
    Roster,
    RosterEntry,
    ScheduleAssignment,
    WorkFromHomeProfile,
    WorkMode,
    WorkSchedule,
    WorkScheduleDay,
)
from layan.attendance.tests.conftest import OFFICE_LAT, checkin_kwargs, selfie_file, wita
from layan.conftest import client_for

MONDAY = date(2024, 3, 4)


@pytest.fixture
def morning(clock):
    return clock.set(wita(2024, 3, 4, 7, 20))


def record(people, **overrides):
    kwargs = checkin_kwargs(**overrides)
    kwargs.setdefault("device_time", kwargs.pop("device_time", None) or services.timezone.now())
    return services.checkin_record(actor=people["staff"].user, **kwargs)


def rostered_at_home(people) -> None:
    """The staff member is rostered WFH on MONDAY in a published roster, home registered at -1.5/122.5."""
    roster = Roster.objects.create(
        unit=people["staff"].unit, start=MONDAY, end=MONDAY, status=Roster.Status.PUBLISHED
    )
    RosterEntry.objects.create(roster=roster, employee=people["staff"], date=MONDAY, mode=WorkMode.WFH)
    WorkFromHomeProfile.objects.create(
        employee=people["staff"],
        home_latitude=Decimal("-1.500000"),
        home_longitude=Decimal("122.500000"),
        home_radius_m=200,
    )


@pytest.mark.django_db
def test_checkin_inside_the_office_geofence_is_accepted(people, office, morning):
    result = record(people, latitude=Decimal("-1.400300"))  # ~33 m from the office point
    checkin = result.checkin
    assert result.created
    assert checkin.status == CheckIn.Status.ACCEPTED
    assert checkin.mode == WorkMode.WFO
    assert 30 <= checkin.distance_m <= 36
    assert checkin.allowed_radius_m == 100
    assert checkin.local_date == MONDAY
    assert checkin.signals == []


@pytest.mark.django_db
def test_wfo_checkin_outside_the_geofence_is_refused_with_distance_and_radius(people, office, morning):
    checkin = record(people, latitude=Decimal("-1.410000")).checkin  # ~1.1 km south
    assert checkin.status == CheckIn.Status.REFUSED
    message = checkin.signals[0]["message"]
    assert checkin.signals[0]["code"] == "outside_geofence"
    assert "1.112 m" in message and "100 m" in message and "Kantor Camat Toili" in message


@pytest.mark.django_db
def test_gps_drift_within_the_allowance_is_not_refused(people, office, morning):
    # 120 m away with 40 m accuracy: inside radius + min(accuracy, 30 m drift allowance).
    checkin = record(people, latitude=OFFICE_LAT - Decimal("0.001080"), accuracy_m=40).checkin
    assert checkin.status == CheckIn.Status.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"mock_location": True}, "mock_location"),
        ({"accuracy_m": 250}, "poor_accuracy"),
        ({"fix_age_s": 300}, "stale_fix"),
    ],
)
def test_doubtful_checkins_are_accepted_but_flagged_with_the_reason(people, office, morning, overrides, code):
    checkin = record(people, **overrides).checkin
    assert checkin.status == CheckIn.Status.FLAGGED
    assert checkin.review == CheckIn.Review.PENDING
    assert code in [s["code"] for s in checkin.signals]


@pytest.mark.django_db
def test_a_phone_bound_to_another_employee_is_flagged(people, office, morning):
    BoundDevice.objects.create(employee=people["head"], device_id="phone-of-head")
    checkin = record(people, device_id="phone-of-head").checkin
    assert checkin.status == CheckIn.Status.FLAGGED
    assert [s["code"] for s in checkin.signals] == ["device_other_employee"]


@pytest.mark.django_db
def test_first_device_is_bound_and_a_new_one_is_flagged(people, office, clock):
    clock.set(wita(2024, 3, 4, 7, 20))
    record(people, device_id="phone-a")
    assert BoundDevice.objects.get(employee=people["staff"]).device_id == "phone-a"
    clock.set(wita(2024, 3, 4, 16, 5))
    checkin = record(people, kind="out", device_id="phone-b").checkin
    assert "new_device" in [s["code"] for s in checkin.signals]


@pytest.mark.django_db
def test_impossible_travel_since_the_last_fix_is_flagged(people, office, clock):
    clock.set(wita(2024, 3, 4, 7, 20))
    record(people)
    clock.set(wita(2024, 3, 4, 16, 1))
    # 16:01 about 111 km away: fine (≈13 km/h). Then 5 minutes later back at the office: impossible.
    far = record(people, kind="out", latitude=OFFICE_LAT + 1, device_id="device-staf-1").checkin
    assert "impossible_travel" not in [s["code"] for s in far.signals]
    clock.set(wita(2024, 3, 4, 16, 6))
    back = record(people, kind="out").checkin
    assert "impossible_travel" in [s["code"] for s in back.signals]


@pytest.mark.django_db
def test_wfh_checkin_uses_the_registered_home_radius(people, office, morning, bkpsdm):
    rostered_at_home(people)
    at_home = record(people, latitude=Decimal("-1.500500"), longitude=Decimal("122.500000")).checkin
    assert at_home.mode == WorkMode.WFH and at_home.status == CheckIn.Status.ACCEPTED
    assert at_home.place == "Rumah"


@pytest.mark.django_db
def test_wfh_outside_the_home_radius_is_flagged_not_refused(people, office, morning):
    rostered_at_home(people)
    checkin = record(people).checkin  # at the office, 15 km from home
    assert checkin.status == CheckIn.Status.FLAGGED
    assert [s["code"] for s in checkin.signals] == ["outside_home"]


@pytest.mark.django_db
def test_offline_checkin_keeps_the_plausible_device_time(people, office, clock):
    clock.set(wita(2024, 3, 4, 9, 40))  # the signal came back at 09:40
    taken = wita(2024, 3, 4, 7, 25)
    checkin = record(people, device_time=taken).checkin
    assert checkin.recorded_at == taken
    assert checkin.received_at == wita(2024, 3, 4, 9, 40)
    assert checkin.device_time_accepted
    assert checkin.status == CheckIn.Status.ACCEPTED


@pytest.mark.django_db
def test_device_time_in_the_future_is_not_trusted(people, office, morning):
    checkin = record(people, device_time=wita(2024, 3, 4, 9, 0)).checkin
    assert not checkin.device_time_accepted
    assert checkin.recorded_at == wita(2024, 3, 4, 7, 20)
    assert "device_time_implausible" in [s["code"] for s in checkin.signals]


@pytest.mark.django_db
def test_the_same_uuid_sent_twice_is_one_record(people, office, morning):
    client_uuid = uuid.uuid4()
    first = record(people, client_uuid=client_uuid)
    again = record(people, client_uuid=client_uuid, selfie=selfie_file(2))
    assert first.created and not again.created
    assert again.checkin.pk == first.checkin.pk
    assert CheckIn.objects.filter(employee=people["staff"]).count() == 1


@pytest.mark.django_db
def test_a_concurrent_resend_that_loses_the_race_returns_the_winner(people, office, morning):
    client_uuid = uuid.uuid4()
    winner = record(people, client_uuid=client_uuid).checkin
    # The second request read the employee's records before the winner committed (no re-send, no double
    # tap seen): its INSERT hits the unique constraint and it must answer with the winner's record, not an
    # error or a second row.
    with mock.patch.object(services, "_nearby_checkins", return_value=[]):
        again = record(people, client_uuid=client_uuid)
    assert not again.created and again.checkin.pk == winner.pk
    assert CheckIn.objects.filter(employee=people["staff"]).count() == 1


@pytest.mark.django_db
def test_a_double_tap_is_a_conflict_not_a_second_record(people, office, morning):
    record(people)
    with pytest.raises(services.CheckInConflict, match="sudah tercatat pukul 07:20"):
        record(people, kind="in")
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": Decimal("91")}, "latitude"),
        ({"longitude": Decimal("-181")}, "longitude"),
        ({"accuracy_m": 5000}, "accuracy_m"),
        ({"fix_age_s": 3600}, "fix_age_s"),
        ({"device_id": ""}, "device_id"),
        ({"selfie": None}, "selfie"),
    ],
)
def test_bad_input_is_rejected_with_the_field_named_and_nothing_saved(
    people, office, morning, overrides, field
):
    with pytest.raises(ValidationError) as excinfo:
        record(people, **overrides)
    assert field in excinfo.value.message_dict
    assert CheckIn.objects.count() == 0


@pytest.mark.django_db
def test_checkin_outside_the_window_is_rejected(people, office, clock):
    clock.set(wita(2024, 3, 4, 6, 10))  # window opens 06:30 (60 min before 07:30)
    with pytest.raises(ValidationError, match="06:30"):
        record(people)


@pytest.mark.django_db
def test_selfie_analysis_flags_a_reused_and_a_faceless_selfie(
    people, office, clock, django_capture_on_commit_callbacks
):
    clock.set(wita(2024, 3, 4, 7, 20))
    with django_capture_on_commit_callbacks(execute=True):
        first = record(people, selfie=selfie_file(7)).checkin
    first.refresh_from_db()
    assert first.analysed_at is not None and len(first.selfie_hash) == 16
    assert first.face_found is False
    assert [s["code"] for s in first.signals] == ["no_face"]
    assert first.status == CheckIn.Status.FLAGGED

    clock.set(wita(2024, 3, 4, 16, 10))
    with django_capture_on_commit_callbacks(execute=True):
        again = record(
            people, kind="out", selfie=selfie_file(7, brightness=6)
        ).checkin  # a photo of the photo
    again.refresh_from_db()
    assert "selfie_reused" in [s["code"] for s in again.signals]


@pytest.mark.django_db
def test_an_employee_cannot_review_their_own_flagged_checkin(people, office, morning):
    checkin = record(people, mock_location=True).checkin
    with pytest.raises(ValidationError):
        services.checkin_review(actor=people["staff"].user, checkin=checkin, confirm=True)
    reviewed = services.checkin_review(
        actor=people["head"].user, checkin=checkin, confirm=False, note="Lokasi palsu"
    )
    assert reviewed.review == CheckIn.Review.REJECTED


@pytest.mark.django_db
def test_an_account_without_employee_record_cannot_check_in(outsider, office, morning):
    from django.http import Http404

    with pytest.raises(Http404):
        services.checkin_record(actor=outsider, device_time=morning, **checkin_kwargs())


@pytest.mark.django_db
def test_a_resend_after_the_background_analysis_ran_is_the_same_analysed_record(
    people, office, clock, django_capture_on_commit_callbacks
):
    clock.set(wita(2024, 3, 4, 7, 20))
    client_uuid = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = record(people, client_uuid=client_uuid, selfie=selfie_file(7)).checkin
    first.refresh_from_db()
    assert first.analysed_at is not None and first.status == CheckIn.Status.FLAGGED  # no face
    # The phone never got the answer and sends the same check-in again an hour later.
    clock.set(wita(2024, 3, 4, 8, 20))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = record(people, client_uuid=client_uuid, selfie=selfie_file(7))
    assert not again.created and again.checkin.pk == first.pk
    assert again.checkin.signals == first.signals and again.checkin.analysed_at == first.analysed_at
    assert callbacks == []  # nothing is analysed twice
    assert CheckIn.objects.filter(employee=people["staff"]).count() == 1


@pytest.mark.django_db
def test_a_resend_after_its_window_closed_still_answers_with_the_record(people, office, clock):
    clock.set(wita(2024, 3, 4, 7, 20))
    client_uuid = uuid.uuid4()
    first = record(people, client_uuid=client_uuid).checkin
    clock.set(wita(2024, 3, 6, 22, 0))  # two days later, long after the check-in window
    again = record(people, client_uuid=client_uuid, device_time=wita(2024, 3, 4, 7, 20))
    assert not again.created and again.checkin.pk == first.pk


@pytest.mark.django_db
def test_a_night_shift_checkout_after_midnight_belongs_to_the_night_before(people, office, clock):
    schedule = WorkSchedule.objects.create(
        unit=people["staff"].unit, name="Sif malam", kind="shift", follows_holidays=False, is_default=True
    )
    for weekday in range(7):
        WorkScheduleDay.objects.create(schedule=schedule, weekday=weekday, start=time(20, 0), end=time(8, 0))
    clock.set(wita(2024, 3, 4, 19, 55))
    assert record(people).checkin.local_date == MONDAY
    clock.set(wita(2024, 3, 5, 8, 5))
    checkout = record(people, kind="out").checkin
    assert checkout.local_date == MONDAY and checkout.status == CheckIn.Status.ACCEPTED


@pytest.mark.django_db
def test_the_second_checkin_of_a_day_is_a_conflict_even_hours_later(people, office, clock):
    clock.set(wita(2024, 3, 4, 7, 20))
    record(people)
    clock.set(wita(2024, 3, 4, 11, 0))
    with pytest.raises(services.CheckInConflict, match="04-03-2024 pukul 07:20"):
        record(people)
    # A refused attempt does not count: after one outside the geofence, the check-in still goes through.
    clock.set(wita(2024, 3, 5, 7, 10))
    assert record(people, latitude=Decimal("-1.410000")).checkin.status == CheckIn.Status.REFUSED
    clock.set(wita(2024, 3, 5, 7, 15))
    assert record(people).checkin.status == CheckIn.Status.ACCEPTED


@pytest.mark.django_db
def test_impossible_travel_is_found_against_a_record_days_earlier(people, office, clock):
    # A kabupaten that sets a top speed of 10 km/h: ~1,100 km in three days is then too fast, and the
    # check-in must still see Friday's record (its read covers every record that could matter).
    CheckInPolicy.objects.create(valid_from=date(2024, 1, 1), max_speed_kmh=10)
    clock.set(wita(2024, 3, 1, 16, 5))  # Friday, checking out ~1,100 km away
    record(people, kind="out", latitude=OFFICE_LAT + 10)
    clock.set(wita(2024, 3, 4, 7, 20))  # Monday morning at the office
    assert "impossible_travel" in [s["code"] for s in record(people).checkin.signals]
    CheckInPolicy.objects.create(valid_from=date(2024, 3, 5), max_speed_kmh=150)
    clock.set(wita(2024, 3, 5, 16, 5))  # under the usual 150 km/h, the same move is plausible
    record(people, kind="out", latitude=OFFICE_LAT + 10, client_uuid=uuid.uuid4())
    clock.set(wita(2024, 3, 8, 7, 20))
    assert "impossible_travel" not in [s["code"] for s in record(people).checkin.signals]


@pytest.mark.django_db
def test_a_checkin_committed_while_the_broker_is_down_is_analysed_later(
    people, office, clock, django_capture_on_commit_callbacks
):
    from layan.attendance import tasks

    clock.set(wita(2024, 3, 4, 7, 20))
    with (
        mock.patch.object(tasks.analyse_checkin_selfie, "delay", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = record(people, selfie=selfie_file(7))
    checkin = CheckIn.objects.get(pk=result.checkin.pk)  # stored and answered although nothing was queued
    assert result.created and checkin.analysed_at is None and checkin.status == CheckIn.Status.ACCEPTED
    clock.set(wita(2024, 3, 4, 7, 50))
    assert tasks.analyse_missed_selfies() == 0  # a burst's queue may still hold it: not yet
    clock.set(wita(2024, 3, 4, 8, 30))
    assert tasks.analyse_missed_selfies() == 1
    checkin.refresh_from_db()
    assert checkin.analysed_at is not None and checkin.status == CheckIn.Status.FLAGGED  # no face
    assert tasks.analyse_missed_selfies() == 0


@pytest.mark.django_db
def test_a_changed_geofence_or_schedule_counts_from_the_next_checkin(people, office, clock):
    # The check-in reads the office geofences, the unit's hours and the policy from the cache: a change
    # must still count at once.
    clock.set(wita(2024, 3, 4, 7, 20))
    assert record(people, latitude=Decimal("-1.401500")).checkin.status == CheckIn.Status.REFUSED  # ~167 m
    office.radius_m = 200
    office.save()
    assert record(people, latitude=Decimal("-1.401500")).checkin.status == CheckIn.Status.ACCEPTED

    schedule = WorkSchedule.objects.create(unit=people["staff"].unit, name="Pagi", is_default=True)
    WorkScheduleDay.objects.create(schedule=schedule, weekday=1, start=time(9, 0), end=time(17, 0))
    clock.set(wita(2024, 3, 5, 7, 20))  # Tuesday: the new hours open the check-in at 08:00
    with pytest.raises(ValidationError, match="08:00"):
        record(people)
    CheckInPolicy.objects.create(valid_from=date(2024, 1, 1), max_accuracy_m=20)
    clock.set(wita(2024, 3, 5, 8, 30))
    with pytest.raises(ValidationError, match="maksimal 20 m"):
        record(people, accuracy_m=25)


@pytest.mark.django_db
def test_a_roster_published_after_the_morning_counts_from_the_next_checkin(people, office, clock):
    # The unit's arrangements of the day (rosters, trips, schedules) are read once and kept in memory:
    # a roster published after the morning's check-ins must still decide the afternoon's.
    clock.set(wita(2024, 3, 4, 7, 20))
    assert record(people).checkin.mode == WorkMode.WFO
    rostered_at_home(people)
    clock.set(wita(2024, 3, 4, 16, 5))
    out = record(people, kind="out", latitude=Decimal("-1.500500"), longitude=Decimal("122.500000")).checkin
    assert out.mode == WorkMode.WFH and out.status == CheckIn.Status.ACCEPTED


@pytest.mark.django_db
def test_a_changed_assigned_shift_or_a_new_official_trip_counts_from_the_next_checkin(people, office, clock):
    staff = people["staff"]
    shift = WorkSchedule.objects.create(
        unit=staff.unit, name="Sif siang", kind="shift", follows_holidays=False
    )
    day = WorkScheduleDay.objects.create(schedule=shift, weekday=0, start=time(13, 0), end=time(21, 0))
    ScheduleAssignment.objects.create(employee=staff, schedule=shift, valid_from=date(2024, 1, 1))
    clock.set(wita(2024, 3, 4, 9, 0))  # the afternoon shift's check-in opens at 12:00
    with pytest.raises(ValidationError, match="12:00"):
        record(people)
    day.start = time(10, 0)  # the shift moves earlier: its window opens at 09:00
    day.save()
    assert record(people).checkin.status == CheckIn.Status.ACCEPTED

    # An official trip approved after the unit's arrangements were read: the next check-in is at the
    # trip's place, not the office.
    LeaveRequest.objects.create(
        employee=staff,
        leave_type=LeaveType.objects.get(code="DL"),
        start=date(2024, 3, 4),
        end=date(2024, 3, 4),
        reason="Rapat di provinsi",
        status="approved",
        working_days=1,
        place_latitude=Decimal("-0.900000"),
        place_longitude=Decimal("119.870000"),
    )
    clock.set(wita(2024, 3, 4, 18, 0))
    out = record(people, kind="out", latitude=Decimal("-0.900100"), longitude=Decimal("119.870000")).checkin
    assert out.mode == WorkMode.DL and out.status == CheckIn.Status.ACCEPTED


@pytest.mark.django_db
def test_the_reasons_of_a_flagged_checkin_read_in_the_readers_language(people, office, morning, settings):
    from django.utils import translation

    with translation.override("en"):  # the employee's phone is in English
        checkin = record(people, accuracy_m=250).checkin
    reason = next(s for s in checkin.signals if s["code"] == "poor_accuracy")
    assert reason["message"] == "Akurasi GPS rendah: 250 m."  # the record keeps the Indonesian sentence
    detail = f"/presensi/catatan/{checkin.pk}/"
    supervisor = client_for(people["head"].user)
    assert "Akurasi GPS rendah: 250 m." in supervisor.get(detail).content.decode()
    supervisor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = supervisor.get(detail).content.decode()
    assert "Low GPS accuracy: 250 m." in english and "Akurasi GPS rendah" not in english
