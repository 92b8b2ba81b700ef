"""Messages kept in the database are written in one language and read in the reader's."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from layan.core.identifiers import parse_nik
from layan.core.stored_text import from_error, message, shown


def test_a_stored_message_is_read_in_the_language_of_the_reader():
    with translation.override("id"):
        try:
            parse_nik("7299011203900003", region_exists=lambda code: False)
        except ValidationError as exc:
            stored = from_error(exc)
    kept = json.loads(json.dumps(stored))  # as it comes back from a JSON column
    with translation.override("en"):
        assert shown(kept) == "Region code 72.99.01 in the NIK is unknown."
    with translation.override("id"):
        assert shown(kept) == "Kode wilayah 72.99.01 dalam NIK tidak dikenal."


def test_a_message_inside_a_message_and_a_list_of_them_are_translated_too():
    inner = from_error(pytest.raises(ValidationError, parse_nik, "12").value)
    outer = message("NIK tidak sah: %(reason)s", reason=inner[0])
    with translation.override("en"):
        assert shown(outer).endswith("A NIK must be 16 digits.")
        assert shown([inner[0], inner[0]]) == "A NIK must be 16 digits. A NIK must be 16 digits."


def test_text_stored_before_messages_were_kept_this_way_is_shown_as_it_is():
    with translation.override("en"):
        assert shown("Teks lama dari impor sebelumnya.") == "Teks lama dari impor sebelumnya."
        assert shown({"code": "old", "message": "Alasan lama."}) == "Alasan lama."


def test_a_form_error_raised_from_a_wording_reads_in_the_active_language():
    with translation.override("id"):
        exc = pytest.raises(ValidationError, parse_nik, "12").value
    with translation.override("en"):
        assert exc.messages == ["A NIK must be 16 digits."]


def test_a_decimal_in_a_stored_message_is_written_the_readers_way():
    stored = message("skor %(score).2f", score=0.9671)
    with translation.override("id"):
        assert shown(stored) == "skor 0,97"
    with translation.override("en"):
        assert shown(stored) == "skor 0.97"
