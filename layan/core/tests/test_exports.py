"""Exports a spreadsheet program opens without running what residents or officers typed."""

import io

from openpyxl import load_workbook

from layan.core.exports import csv_text, xlsx_bytes
from layan.core.uploads import read_table_bytes

EVIL = '=HYPERLINK("http://evil.example","klik")'


def test_text_that_looks_like_a_formula_stays_text_in_xlsx():
    data = xlsx_bytes(["nama", "telepon"], [[EVIL, "+6281234567890"], ["Ahmad", "0812"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == EVIL and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "+6281234567890"


def test_text_that_looks_like_a_formula_is_quoted_in_csv_and_comes_back_whole_on_import():
    text = csv_text(["nama", "telepon", "catatan"], [[EVIL, "+6281234567890", "-"], ["Ma'ruf", "0812", "ok"]])
    assert "'=HYPERLINK" in text and "'+6281234567890" in text
    headers, rows = read_table_bytes(text.encode())
    assert headers == ["nama", "telepon", "catatan"]
    assert rows == [[EVIL, "+6281234567890", "-"], ["Ma'ruf", "0812", "ok"]]
