"""NIP (PNS) and NI PPPK as DOMAIN.md defines them: generated valid numbers pass, broken dates fail."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from layan.core.identifiers import parse_ni_pppk, parse_nip

TODAY = date(2026, 1, 15)


@st.composite
def valid_nips(draw):
    birth = draw(st.dates(min_value=date(1945, 1, 1), max_value=date(2005, 12, 31)))
    earliest = date(birth.year + 18, birth.month, 1)
    year = draw(st.integers(min_value=earliest.year + (1 if birth.month == 12 else 0), max_value=2025))
    month = draw(st.integers(min_value=1, max_value=12))
    if (year, month) <= (earliest.year, earliest.month):
        year += 1
    sex = draw(st.sampled_from("12"))
    serial = draw(st.integers(min_value=1, max_value=999))
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{sex}{serial:03d}", birth, sex


@given(valid_nips())
def test_generated_valid_nips_pass(case):
    number, birth, sex = case
    info = parse_nip(number, today=TODAY)
    assert info.birth_date == birth
    assert info.sex == ("L" if sex == "1" else "P")


@given(st.integers(min_value=1950, max_value=2000), st.sampled_from(["1302", "0230", "0431", "0015", "0000"]))
def test_broken_birth_dates_fail(year, month_day):
    with pytest.raises(ValidationError) as info:
        parse_nip(f"{year}{month_day}2020011001", today=TODAY)
    assert "Tanggal lahir dalam NIP" in info.value.messages[0]


@given(st.integers(min_value=1960, max_value=2000), st.integers(min_value=13, max_value=99))
def test_broken_appointment_months_fail(year, month):
    with pytest.raises(ValidationError) as info:
        parse_nip(f"{year}0101{year + 20}{month:02d}1001", today=TODAY)
    assert "TMT CPNS" in info.value.messages[0]


def test_appointment_before_eighteen_fails():
    with pytest.raises(ValidationError) as info:
        parse_nip("199006052005031001", today=TODAY)
    assert "18 tahun" in info.value.messages[0]


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2004, 12, 31)),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.sampled_from("12"),
)
def test_ni_pppk_does_not_over_check_digits_9_to_14(birth, middle, sex):
    info = parse_ni_pppk(f"{birth:%Y%m%d}{middle}{sex}001", today=TODAY)
    assert info.birth_date == birth and info.appointment is None
