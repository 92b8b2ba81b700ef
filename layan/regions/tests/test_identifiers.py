"""Property tests of the region-code validator the import and the API rely on."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from layan.core.identifiers import region_level, validate_region_code
from layan.regions.services import parent_code

two = st.integers(0, 99).map(lambda n: f"{n:02d}")
four = st.integers(0, 9999).map(lambda n: f"{n:04d}")
valid_codes = st.one_of(
    two,
    st.tuples(two, two).map(".".join),
    st.tuples(two, two, two).map(".".join),
    st.tuples(two, two, two, four).map(".".join),
)
SHAPE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


@given(valid_codes)
def test_every_well_formed_code_is_accepted_with_its_level_and_parent(code):
    assert validate_region_code(code) == code
    level = region_level(code)
    assert 1 <= level <= 4
    parent = parent_code(code)
    assert (parent is None) == (level == 1)
    if parent is not None:
        assert code.startswith(parent + ".") and region_level(parent) == level - 1


@given(st.text(alphabet="0123456789. -x\n", max_size=16))
def test_anything_else_is_refused_with_an_indonesian_message(text):
    if SHAPE.fullmatch(text):
        assert validate_region_code(text) == text
        return
    with pytest.raises(ValidationError) as error:
        validate_region_code(text)
    assert "tidak sah" in error.value.messages[0]


@pytest.mark.parametrize(
    "code", ["72.1", "72.01.1", "72.01.01.201", "720", "72..01", "72.01.", " 72", "72.01.01.20011"]
)
def test_near_misses_are_refused(code):
    with pytest.raises(ValidationError):
        validate_region_code(code)
