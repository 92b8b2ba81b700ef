"""English is available everywhere: every msgid the code and templates of each app use has an English
translation in one of the catalogs, no translation loses or invents a placeholder, and no two apps translate
the same msgid differently (Django merges the catalogs: one app's wording would show on the other's pages)."""

import pytest

from layan.core import i18n_catalog


@pytest.mark.parametrize("app", sorted(i18n_catalog.sources()))
def test_every_string_has_an_english_translation(app):
    assert [i18n_catalog.readable(s) for s in i18n_catalog.untranslated(app)] == []


def test_translations_keep_their_placeholders():
    assert [i18n_catalog.readable(s) for s in i18n_catalog.placeholder_mismatches()] == []


def test_no_two_apps_translate_the_same_msgid_differently():
    """A word meaning two things (a role's scope, aid's coverage) needs a context (``pgettext``,
    ``{% translate "..." context "..." %}``) and a ``msgctxt`` entry; one meaning, one English wording."""
    clashes = {i18n_catalog.readable(k): v for k, v in i18n_catalog.clashes().items()}
    assert clashes == {}


def test_the_collector_sees_python_template_and_block_strings(tmp_path):
    (tmp_path / "views.py").write_text(
        'from x import gettext as _\nmsg = _("Simpan " "data")\nlabel = other("x")\n'
    )
    (tmp_path / "page.html").write_text(
        '{% translate "Batal" %}{% blocktranslate trimmed with n=count %}\n  {{ n }} laporan\n'
        "{% endblocktranslate %}"
    )
    assert i18n_catalog.collect_strings(tmp_path) == {"Simpan data", "Batal", "%(n)s laporan"}


def test_the_collector_keeps_the_context_of_pgettext_and_template_strings(tmp_path):
    (tmp_path / "views.py").write_text(
        "from django.utils.translation import pgettext, pgettext_lazy, npgettext\n"
        'a = pgettext("role scope", "Cakupan")\n'
        'b = pgettext_lazy("plural", "Pegawai")\n'
        'c = npgettext("count", "%(n)s baris", "%(n)s baris", n)\n'
        "d = pgettext(context_variable, 'Tidak dikumpulkan')\n"
    )
    (tmp_path / "page.html").write_text(
        '{% translate "Hapus" context "delete" %}{% translate "Ke" context "period number" as ke %}'
        '{% blocktranslate context "count" with n=total %}{{ n }} pegawai{% endblocktranslate %}'
    )
    key = i18n_catalog.key
    assert i18n_catalog.collect_strings(tmp_path) == {
        key("Cakupan", "role scope"),
        key("Pegawai", "plural"),
        key("%(n)s baris", "count"),
        key("Hapus", "delete"),
        key("Ke", "period number"),
        key("%(n)s pegawai", "count"),
    }
    assert i18n_catalog.readable(key("Cakupan", "role scope")) == "'Cakupan' [context 'role scope']"


def test_a_string_with_a_context_needs_an_entry_with_that_context():
    translated = i18n_catalog.translated_msgids()
    assert "Cakupan" in translated  # aid's coverage
    assert i18n_catalog.key("Cakupan", "role scope") in translated  # accounts' scope of a role
    assert i18n_catalog.key("Cakupan", "no such context") not in translated
