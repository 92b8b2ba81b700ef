"""List exports written once: any table of rows to xlsx (openpyxl) or CSV, as a download response."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, str | int | float | date):
        return value
    return str(value)


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(sheet, _cell(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(sheet, value):
    """Text that starts with "=" stays text: openpyxl would write it as a formula, and a resident named
    ``=HYPERLINK(…)`` in an imported list would become a live link in the officer's spreadsheet."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


# What a spreadsheet program reads as the start of a formula in a CSV cell (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell a spreadsheet program will not run: text that starts like a formula gets a leading
    apostrophe (``core.uploads`` takes it off again when the file is imported back)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow(["" if v is None else csv_safe(_cell(v)) for v in row])
    return buffer.getvalue()


def download(
    filename_stem: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str = "xlsx"
) -> HttpResponse:
    """An attachment response; ``fmt`` is ``xlsx`` or ``csv``."""
    stem = slugify(filename_stem) or "data"
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(csv_text(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.csv"'
        return response
    response = HttpResponse(xlsx_bytes(headers, rows, sheet_title=filename_stem), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.xlsx"'
    return response
