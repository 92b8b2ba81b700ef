"""The performance pages in English (completeness of the catalog: layan/core/tests/test_translations.py)."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

from layan.conftest import client_for

PO = Path(__file__).resolve().parents[1] / "locale/en/LC_MESSAGES/django.po"


@pytest.fixture
def compiled_catalog():
    """The .mo comes from ``make translations`` (not in git): build it, drop catalogs loaded before."""
    from django.utils.translation import trans_real

    polib.pofile(str(PO)).save_as_mofile(str(PO.with_suffix(".mo")))
    trans_real._translations = {}
    trans_real._default = None


def test_the_plan_page_in_english(people, compiled_catalog):
    client = client_for(people["staff"].user)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("performance:my_skp") + "?tahun=2021").content.decode()
    assert "Draft the 2021 plan" in page
