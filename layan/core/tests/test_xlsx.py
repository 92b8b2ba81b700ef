"""Spreadsheet uploads: the fast xlsx reader gives what openpyxl gives, and a file it does not expect
still reads (through openpyxl) or is refused with the usual message."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from layan.core.uploads import read_table_bytes
from layan.core.xlsx import XlsxError, read_first_sheet


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _openpyxl_rows(data: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = [list(values) for values in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def _trimmed(rows: list[list]) -> list[list]:
    """Non-empty rows without trailing empty cells (how wide openpyxl pads a row is not a value)."""
    result = []
    for row in rows:
        width = max((i + 1 for i, v in enumerate(row) if v is not None), default=0)
        if width:
            result.append(row[:width])
    return result


def _varied_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id_sumber", "nik", "tanggal_lahir", "rt", "nilai", "aktif", None, "alamat"])
    sheet.append(["S1", "7201010505600001", date(1975, 9, 9), 1, 3.5, True, None, "  Jl. Kakao  "])
    sheet.append(["S2", 7201010505600002, datetime(2001, 1, 2, 3, 4), -1, 1e20, False, "x", "Dusun & RT <2>"])
    sheet["A5"] = "after an empty row"
    sheet["C5"] = 45000
    sheet["C5"].number_format = "dd/mm/yyyy"  # a number shown as a date: read as the date
    sheet["D5"] = "=1+1"
    sheet["E6"] = time(10, 30)
    sheet["F6"] = timedelta(hours=30)
    sheet["B7"] = CellRichText(["Wa ", TextBlock(InlineFont(b=True), "Ode"), " Nurma"])
    workbook.create_sheet("Lain").append(["not", "this", "sheet"])
    return _workbook_bytes(workbook)


def test_fast_reader_gives_the_values_openpyxl_gives():
    data = _varied_workbook()
    assert _trimmed(read_first_sheet(data)) == _trimmed(_openpyxl_rows(data))
    headers, rows = read_table_bytes(data)
    assert headers[:3] == ["id_sumber", "nik", "tanggal_lahir"]
    assert rows[0][:6] == ["S1", "7201010505600001", "1975-09-09", "1", "3.5", "True"]
    assert rows[1][1] == "7201010505600002"  # a NIK typed as a number keeps its digits
    assert rows[1][7] == "Dusun & RT <2>"


def test_write_only_workbook_with_inline_strings_reads_the_same():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["nama", "tanggal_lahir"])
    sheet.append(["Muhammad Rizki", date(1990, 3, 12)])
    data = _workbook_bytes(workbook)
    assert read_first_sheet(data) == _openpyxl_rows(data)


def test_a_workbook_with_a_dtd_is_not_read_by_the_fast_reader_and_a_broken_file_is_refused():
    data = _varied_workbook()
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + content  # the sheet has no XML declaration
            target.writestr(item, content)
    with pytest.raises(XlsxError):
        read_first_sheet(buffer.getvalue())
    with pytest.raises(ValidationError) as info:
        read_table_bytes(b"PK\x03\x04 not really a zip file")
    assert "Berkas Excel rusak" in " ".join(info.value.messages)
