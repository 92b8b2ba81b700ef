"""English is available everywhere: every msgid the code and templates of each app use has an English
translation in one of the catalogs, and no translation loses or invents a placeholder."""

import pytest

from layan.core import i18n_catalog


@pytest.mark.parametrize("app", sorted(i18n_catalog.sources()))
def test_every_string_has_an_english_translation(app):
    assert i18n_catalog.untranslated(app) == []


def test_translations_keep_their_placeholders():
    assert i18n_catalog.placeholder_mismatches() == []


def test_the_collector_sees_python_template_and_block_strings(tmp_path):
    (tmp_path / "views.py").write_text(
        'from x import gettext as _\nmsg = _("Simpan " "data")\nlabel = other("x")\n'
    )
    (tmp_path / "page.html").write_text(
        '{% translate "Batal" %}{% blocktranslate trimmed with n=count %}\n  {{ n }} laporan\n'
        "{% endblocktranslate %}"
    )
    assert i18n_catalog.collect_strings(tmp_path) == {"Simpan data", "Batal", "%(n)s laporan"}
