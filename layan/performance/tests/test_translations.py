"""Every text of the performance module has an English translation (Bahasa Indonesia is the msgid), and the
English pages show it."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from layan.conftest import client_for

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd0-9]*|%%")
PO = Path(__file__).resolve().parents[1] / "locale/en/LC_MESSAGES/django.po"


@pytest.fixture
def compiled_catalog():
    """The .mo is built by ``make translations`` (not in git): build it here when missing or stale."""
    mo = PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < PO.stat().st_mtime:
        polib.pofile(str(PO)).save_as_mofile(str(mo))
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


def test_every_performance_string_has_an_english_translation():
    po = polib.pofile(str(PO))
    assert len(po) > 300
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    # Placeholders survive translation (a missing %(name)s would raise at run time).
    for entry in po.translated_entries():
        translated = entry.msgstr or entry.msgstr_plural.get(1, "")
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(translated)), (
            entry.msgid
        )


def test_the_plan_page_in_english(people, compiled_catalog):
    client = client_for(people["staff"].user)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("performance:my_skp") + "?tahun=2021").content.decode()
    assert "Draft the 2021 plan" in page
