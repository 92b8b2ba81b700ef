"""The first worksheet of an .xlsx file as rows of cell values, read with expat.

openpyxl's read-only mode builds a cell object per cell and was 70% of an xlsx import (~30 us a cell).
This reads the same XML with the C parser and five small callbacks a cell, and gives the values
openpyxl's ``iter_rows(values_only=True)`` gives: text, int or float, bool, ``datetime`` for a number
styled as a date (openpyxl's own date-format test and conversion), the error text (``#N/A``), ``None``
for an empty cell; rows padded with ``None`` to the widest row. Anything it does not expect raises
``XlsxError``, and the caller falls back to openpyxl (``layan.core.uploads``). Documents with a DTD or
entity declarations are refused (an xlsx has none; entity expansion is the classic XML bomb).
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from io import BytesIO
from typing import IO
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_COLUMN_RE = re.compile(r"[A-Z]+")
_CELL, _VALUE, _ROW, _PHONETIC = 1, 2, 3, 4
_ELEMENTS = {"c": _CELL, "v": _VALUE, "t": _VALUE, "row": _ROW, "rPh": _PHONETIC, "phoneticPr": _PHONETIC}


class XlsxError(ValueError):
    """The file is not a workbook this reader understands (openpyxl is then asked)."""


def _parse(data: bytes | IO[bytes], start, end=None, text=None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def refuse(*_args):
        raise XlsxError("DTD or entity declaration")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    if isinstance(data, bytes):
        parser.Parse(data, True)
    else:
        parser.ParseFile(data)


def _local(name: str) -> str:
    return name[name.rfind(" ") + 1 :]


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{id: (type, target path in the archive)} of a part's relationships."""
    folder, file_name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", file_name + ".rels")
    found: dict[str, tuple[str, str]] = {}
    if rels_path not in archive.NameToInfo:
        return found

    def start(name, attrs):
        if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs["Target"]
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            found[attrs["Id"]] = (attrs.get("Type", "").rsplit("/", 1)[-1], path)

    _parse(archive.read(rels_path), start)
    return found


def _workbook_part(archive: zipfile.ZipFile) -> str:
    for rel_type, path in _relationships(archive, "").values():
        if rel_type == "officeDocument":
            return path
    raise XlsxError("no workbook")


def _first_sheet(archive: zipfile.ZipFile, workbook: str) -> tuple[str, bool]:
    """The first worksheet's part and whether dates count from 1904."""
    sheets: list[str] = []
    flags = {"1904": False}

    def start(name, attrs):
        local = _local(name)
        if local == "sheet":
            sheets.append(attrs.get(f"{_REL} id") or "")
        elif local == "workbookPr":
            flags["1904"] = attrs.get("date1904", "0") in ("1", "true")

    _parse(archive.read(workbook), start)
    rels = _relationships(archive, workbook)
    for rel_id in sheets:
        rel_type, path = rels.get(rel_id, ("", ""))
        if rel_type == "worksheet":  # chartsheets and dialog sheets are not worksheets (openpyxl agrees)
            return path, flags["1904"]
    raise XlsxError("no worksheet")


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    strings: list[str] = []
    if path is None:
        return strings
    state = {"in_text": False, "skip": 0, "parts": []}

    def start(name, _attrs):
        local = _local(name)
        if local == "t" and not state["skip"]:
            state["in_text"] = True
        elif local in ("rPh", "phoneticPr"):  # phonetic guides are not part of the value
            state["skip"] += 1

    def end(name):
        local = _local(name)
        if local == "t":
            state["in_text"] = False
        elif local == "si":
            strings.append("".join(state["parts"]))
            state["parts"] = []
        elif local in ("rPh", "phoneticPr"):
            state["skip"] -= 1

    def text(value):
        if state["in_text"]:
            state["parts"].append(value)

    with archive.open(path) as stream:
        _parse(stream, start, end, text)
    return strings


def _date_styles(archive: zipfile.ZipFile, path: str | None) -> dict[int, bool]:
    """{style index: True for a date, False for a duration} for the styles that are dates or times."""
    if path is None:
        return {}
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    depth = {"cellXfs": False}

    def start(name, attrs):
        local = _local(name)
        if local == "numFmt":
            custom[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            depth["cellXfs"] = True
        elif local == "xf" and depth["cellXfs"]:
            xf_formats.append(int(attrs.get("numFmtId", "0")))

    def end(name):
        if _local(name) == "cellXfs":
            depth["cellXfs"] = False

    _parse(archive.read(path), start, end)
    styles = {}
    for index, format_id in enumerate(xf_formats):
        code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id, "")
        if code and is_date_format(code):
            styles[index] = is_timedelta_format(code)
    return styles


@functools.lru_cache(maxsize=4096)
def _column_of(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA."""
    if not _COLUMN_RE.fullmatch(letters):
        raise XlsxError(f"cell reference {letters!r}")
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _column_index(reference: str) -> int:
    return _column_of(reference.rstrip("0123456789"))


def read_first_sheet(data: bytes) -> list[list]:
    """Rows of the first worksheet (see the module's docstring); raises ``XlsxError`` or the zip/XML
    errors for anything else."""
    archive = zipfile.ZipFile(BytesIO(data))
    workbook = _workbook_part(archive)
    sheet, mac_1904 = _first_sheet(archive, workbook)
    related = {rel_type: path for rel_type, path in _relationships(archive, workbook).values()}
    strings = _shared_strings(archive, related.get("sharedStrings"))
    date_styles = _date_styles(archive, related.get("styles"))
    epoch = CALENDAR_MAC_1904 if mac_1904 else CALENDAR_WINDOWS_1900

    rows: list[list] = []
    row: list = []
    parts: list[str] = []
    kind, style, column = "n", 0, 0
    capture = False
    phonetic = 0  # inside a phonetic guide (<rPh>): its text is not the value
    codes: dict[str, int] = {}  # expat interns names: one dict lookup per element

    def code_of(name: str) -> int:
        code = codes[name] = _ELEMENTS.get(_local(name), 0)
        return code

    def start(name, attrs):
        nonlocal kind, style, column, capture, phonetic
        code = codes.get(name)
        if code is None:
            code = code_of(name)
        if code == _CELL:
            reference = attrs.get("r")
            column = _column_index(reference) if reference else len(row)
            kind = attrs.get("t", "n")
            style = int(attrs.get("s", "0"))
            parts.clear()
        elif code == _VALUE:  # <v>, or <t> of an inline string
            capture = not phonetic
        elif code == _ROW:
            reference = attrs.get("r")
            if reference is not None:
                while len(rows) < int(reference) - 1:  # rows without cells still count as rows
                    rows.append([])
            row.clear()
        elif code == _PHONETIC:
            phonetic += 1

    def end(name):
        nonlocal capture, phonetic
        code = codes.get(name)
        if code is None:
            code = code_of(name)
        if code == _VALUE:
            capture = False
        elif code == _CELL:
            value = _value("".join(parts), kind, style) if parts else None
            if column == len(row):
                row.append(value)
            elif column > len(row):
                row.extend([None] * (column - len(row)))
                row.append(value)
            else:
                raise XlsxError("cells out of order")
        elif code == _ROW:
            rows.append(list(row))
        elif code == _PHONETIC:
            phonetic -= 1

    def text(value):
        if capture:
            parts.append(value)

    def _value(raw: str, kind: str, style: int):
        if kind == "n":
            number = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            duration = date_styles.get(style)
            if duration is None:
                return number
            try:
                return from_excel(number, epoch, timedelta=duration)
            except (OverflowError, ValueError):
                return "#VALUE!"  # as openpyxl reads a date out of range
        if kind == "s":
            return strings[int(raw)]
        if kind in ("inlineStr", "str", "e"):
            return raw
        if kind == "b":
            return raw in ("1", "true")
        if kind == "d":
            return from_ISO8601(raw)
        raise XlsxError(f"cell type {kind!r}")

    with archive.open(sheet) as stream:
        _parse(stream, start, end, text)
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        if len(r) < width:
            r.extend([None] * (width - len(r)))
    return rows
