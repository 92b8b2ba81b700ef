"""Every text of the aid module has an English translation (Bahasa Indonesia is the msgid)."""

from pathlib import Path

import polib


def test_every_aid_string_has_an_english_translation():
    po = polib.pofile(str(Path(__file__).resolve().parents[1] / "locale/en/LC_MESSAGES/django.po"))
    assert len(po) > 300
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    # Placeholders survive translation (a missing %(name)s would raise at run time).
    for entry in po.translated_entries():
        for placeholder in ("%(n)s", "%(name)s", "%(code)s", "%(value)s", "%(id)s"):
            if placeholder in entry.msgid:
                translated = entry.msgstr or entry.msgstr_plural.get(1, "")
                assert placeholder in translated, entry.msgid
