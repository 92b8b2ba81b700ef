"""NIK, KK, NIP and NI PPPK rules of DOMAIN.md, with generated cases."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from layan.core.identifiers import (
    mask_identifier,
    nik_mismatches,
    parse_ni_pppk,
    parse_nik,
    parse_nip,
    validate_kk,
    validate_region_code,
)

TODAY = date(2026, 11, 23)
birth_dates = st.dates(min_value=date(1941, 1, 1), max_value=date(2025, 12, 31))


def make_nik(region6: str, birth: date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"{region6}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


@given(birth=birth_dates, sex=st.sampled_from("LP"), serial=st.integers(1, 9999))
def test_nik_embeds_birth_date_and_sex_with_plus_40_for_women(birth, sex, serial):
    info = parse_nik(make_nik("720105", birth, sex, serial), today=TODAY)
    assert info.sex == sex
    assert (info.birth_date.day, info.birth_date.month, info.birth_date.year % 100) == (
        birth.day,
        birth.month,
        birth.year % 100,
    )
    assert info.kecamatan_code == "72.01.05"


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("720105450690000", "nik_length"),  # 15 digits
        ("72010545069000031", "nik_length"),  # 17 digits
        ("7201 0532 0690 0003", "nik_date"),  # spaces are stripped; day 32 is not a date
        ("7201053206900003", "nik_date"),  # day 32
        ("7201057206900003", "nik_date"),  # day 72 = 32 for a woman
        ("7201051513900003", "nik_date"),  # month 13
        ("7201053002900003", "nik_date"),  # 30 February
        ("7201054506900000", "nik_serial"),
        ("72O1054506900003", "nik_length"),  # letter O instead of zero
    ],
)
def test_malformed_nik_is_rejected_with_a_reason(nik, code):
    with pytest.raises(ValidationError) as error:
        parse_nik(nik, today=TODAY)
    assert error.value.code == code


def test_nik_with_an_unknown_region_is_rejected_when_regions_are_checked():
    with pytest.raises(ValidationError) as error:
        parse_nik("9901054506900003", today=TODAY, region_exists=lambda code: code.startswith("72"))
    assert error.value.code == "nik_region"


def test_nik_mismatch_with_the_record_is_flagged_not_rejected():
    info = parse_nik("7201054506900003", today=TODAY)  # woman born 5 June 1990
    assert nik_mismatches(info, sex="P", birth_date=date(1990, 6, 5)) == []
    problems = nik_mismatches(info, sex="L", birth_date=date(1990, 5, 6))
    assert len(problems) == 2


@given(
    birth=st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 12, 31)),
    years_after=st.integers(18, 40),
    month=st.integers(1, 12),
    sex=st.sampled_from("12"),
    serial=st.integers(1, 999),
)
def test_valid_nip_passes_and_gives_birth_date_and_sex(birth, years_after, month, sex, serial):
    appointment = date(birth.year + years_after, month, 1)
    if appointment <= date(birth.year + 18, birth.month, 1) or appointment > TODAY:
        return
    nip = f"{birth:%Y%m%d}{appointment:%Y%m}{sex}{serial:03d}"
    info = parse_nip(nip, today=TODAY)
    assert info.birth_date == birth
    assert info.sex == ("L" if sex == "1" else "P")


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19900605201503200", "nip_length"),
        ("199006312015032001", "nip_birth"),  # 31 June
        ("199006052015132001", "nip_appointment"),  # month 13
        ("199006052030032001", "nip_appointment"),  # in the future
        ("199006052005032001", "nip_age"),  # appointed at 14
        ("199006052015033001", "nip_sex"),
        ("199006052015031000", "nip_serial"),
    ],
)
def test_malformed_nip_is_rejected_with_a_reason(nip, code):
    with pytest.raises(ValidationError) as error:
        parse_nip(nip, today=TODAY)
    assert error.value.code == code


def test_ni_pppk_checks_birth_date_and_gender_but_not_digits_9_to_14():
    assert parse_ni_pppk("198803122021992001", today=TODAY).sex == "P"
    with pytest.raises(ValidationError):
        parse_ni_pppk("198813122021992001", today=TODAY)
    with pytest.raises(ValidationError):
        parse_ni_pppk("198803122021997001", today=TODAY)


def test_kk_must_be_16_digits_with_a_known_region():
    validate_kk("7201050101200001")
    with pytest.raises(ValidationError):
        validate_kk("72010501012000")
    with pytest.raises(ValidationError):
        validate_kk("9901050101200001", region_exists=lambda code: False)


@given(st.from_regex(r"\A\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?\Z"))
def test_region_codes_of_every_level_are_accepted(code):
    assert validate_region_code(code) == code


@pytest.mark.parametrize("code", ["7", "72.1", "72.01.5", "72.01.05.201", "72-01", "", "72.01.05.2001.1"])
def test_malformed_region_codes_are_rejected(code):
    with pytest.raises(ValidationError):
        validate_region_code(code)


def test_masking_keeps_the_first_and_last_four_digits():
    assert mask_identifier("7201054506900003") == "7201********0003"
    assert mask_identifier("") == ""


def test_future_birth_in_nip_is_rejected():
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationError):
        parse_nip(f"{tomorrow:%Y%m%d}201503" + "2001", today=TODAY)
