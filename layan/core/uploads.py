"""Uploads checked by content, not by name: images through Pillow, videos and tables by their bytes."""

from __future__ import annotations

import csv
import io
import struct
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from layan.core.exports import FORMULA_STARTS

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# ISO base media brands a phone camera writes: MP4, 3GP (older Android) and QuickTime (iPhone).
MP4_BRANDS = {
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V ", b"M4VP",
    b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"qt  ", b"MSNV", b"mmp4",
}  # fmt: skip


def _size_mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):.0f}"


def validate_image_upload(upload, *, max_bytes: int | None = None) -> str:
    """Accept a real JPEG/PNG/WebP under the size limit and return its format; else a clear message."""
    max_bytes = max_bytes or settings.LAYAN_MAX_IMAGE_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("Foto terlalu besar (maksimal %(mb)s MB).") % {"mb": _size_mb(max_bytes)}, code="too_large"
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("Berkas bukan gambar yang sah (JPEG, PNG atau WebP)."), code="not_image"
        ) from exc
    finally:
        upload.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("Format gambar %(fmt)s tidak diterima; gunakan JPEG, PNG atau WebP.") % {"fmt": image_format},
            code="image_format",
        )
    return image_format


def validate_video_upload(upload, *, max_bytes: int | None = None, max_seconds: int | None = None) -> str:
    """Accept a short MP4 (or a phone's 3GP/QuickTime) or WebM video under the size and length limits,
    recognised by its first bytes (the ``ftyp`` box or the EBML header with the ``webm`` doc type), never by
    its name or the browser's content type. Returns ``"mp4"`` or ``"webm"``; anything else is refused with a
    clear message."""
    max_bytes = max_bytes or settings.LAYAN_MAX_VIDEO_BYTES
    max_seconds = max_seconds or settings.LAYAN_MAX_VIDEO_SECONDS
    if upload.size > max_bytes:
        raise ValidationError(
            _("Video terlalu besar (maksimal %(mb)s MB); rekam video pendek saja.")
            % {"mb": _size_mb(max_bytes)},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(64)
        if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
            kind, seconds = "mp4", _mp4_seconds(upload)
        elif head[:4] == b"\x1a\x45\xdf\xa3" and b"\x42\x82" in head and b"webm" in head:
            upload.seek(0)
            kind, seconds = "webm", _webm_seconds(upload.read(_WEBM_HEAD_BYTES))
        else:
            raise ValidationError(_("Berkas bukan video yang sah (MP4 atau WebM)."), code="not_video")
    finally:
        upload.seek(position)
    if seconds is not None and seconds > max_seconds:
        raise ValidationError(
            _("Video terlalu panjang (%(s)s detik, maksimal %(max)s detik); rekam video pendek saja.")
            % {"s": round(seconds), "max": max_seconds},
            code="too_long",
        )
    return kind


def _mp4_seconds(upload) -> float | None:
    """The length an MP4 states in its movie header (``moov/mvhd``), found by walking the boxes: a phone
    often writes ``moov`` after the media data, so the file is skipped through, not read. None when the
    file states no length (it is then limited by its size only)."""
    upload.seek(0, io.SEEK_END)
    end = upload.tell()

    def boxes(start: int, stop: int):
        offset = start
        while offset + 8 <= stop:
            upload.seek(offset)
            size, kind = struct.unpack(">I4s", upload.read(8))
            header = 8
            if size == 1:
                size, header = struct.unpack(">Q", upload.read(8))[0], 16
            elif size == 0:
                size = stop - offset
            if size < header:
                return
            yield kind, offset + header, offset + size
            offset += size

    for kind, start, stop in boxes(0, end):
        if kind != b"moov":
            continue
        for inner, body, _stop in boxes(start, stop):
            if inner != b"mvhd":
                continue
            upload.seek(body)
            version = upload.read(4)[0]
            if version == 1:
                timescale, duration = struct.unpack(">IQ", upload.read(28)[16:28])
            else:
                timescale, duration = struct.unpack(">II", upload.read(16)[8:16])
            return duration / timescale if timescale else None
    return None


# A WebM states its length in the Segment's Info element, within the first kilobytes.
_WEBM_HEAD_BYTES = 64 * 1024
_EBML_SEGMENT, _EBML_INFO, _EBML_TIMESCALE, _EBML_DURATION = 0x18538067, 0x1549A966, 0x2AD7B1, 0x4489


def _ebml_number(data: bytes, offset: int, *, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length number at ``offset``: (value, offset after it)."""
    first = data[offset]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or offset + length > len(data):
        raise ValueError("not an EBML number")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[offset + 1 : offset + length]:
        value = (value << 8) | byte
    return value, offset + length


def _webm_seconds(data: bytes) -> float | None:
    """The Duration of a WebM's Segment Info, in seconds; None when it states none (a browser's live
    recording often does not), or when the header cannot be read."""
    offset, scale, duration = 0, 1_000_000, None
    try:
        while offset < len(data):
            element, offset = _ebml_number(data, offset, keep_marker=True)
            size, offset = _ebml_number(data, offset, keep_marker=False)
            if element in (_EBML_SEGMENT, _EBML_INFO):
                continue  # step into it
            body = data[offset : offset + size]
            if element == _EBML_TIMESCALE:
                scale = int.from_bytes(body, "big")
            elif element == _EBML_DURATION and len(body) in (4, 8):
                duration = struct.unpack(">f" if len(body) == 4 else ">d", body)[0]
            offset += size
    except (ValueError, IndexError, struct.error):
        pass
    return duration * scale / 1e9 if duration is not None else None


def stored_content_type(head: bytes) -> str:
    """The content type of an upload kept after the checks above, from its first bytes (never its name),
    for serving it back: JPEG, PNG, WebP, MP4/QuickTime, WebM or PDF."""
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    if head[:5] == b"%PDF-":
        return "application/pdf"
    return "application/octet-stream"


def stored_file_response(field_file, *, cache: str = "private, max-age=300") -> FileResponse:
    """A kept upload (a photo, a video, a PDF) served back by a view that has checked who may see it,
    typed by its first bytes. Uploads are never given a public media URL."""
    with field_file.open("rb") as handle:
        head = handle.read(16)
    response = FileResponse(field_file.open("rb"), content_type=stored_content_type(head))
    response["Cache-Control"] = cache
    return response


def read_table_upload(upload, *, max_bytes: int | None = None) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of an uploaded xlsx or CSV file, recognised by content. Cells come back as text."""
    max_bytes = max_bytes or settings.LAYAN_MAX_IMPORT_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (maksimal %(mb)s MB).") % {"mb": _size_mb(max_bytes)}, code="too_large"
        )
    data = upload.read()
    upload.seek(0)
    return read_table_bytes(data)


def read_table_bytes(data: bytes) -> tuple[list[str], list[list[str]]]:
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)  # xlsx is a zip file
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ValidationError(_("Berkas kosong: tidak ada baris judul kolom."), code="empty")
    headers = [h.strip().lower() for h in rows[0]]
    return headers, rows[1:]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from xml.parsers.expat import ExpatError

    from openpyxl import load_workbook

    from layan.core.xlsx import XlsxError, read_first_sheet

    try:  # the same values as openpyxl below, four times faster (layan.core.xlsx)
        return [[_cell_text(v) for v in values] for values in read_first_sheet(data)]
    except (XlsxError, ExpatError, zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError):
        pass  # unusual or broken: openpyxl reads it, or says what is wrong
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(_("Berkas Excel rusak atau bukan .xlsx."), code="bad_xlsx") from exc
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(v) for v in values])
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise ValidationError(_("Berkas bukan CSV atau Excel (.xlsx)."), code="not_table")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    if any(f"'{start}" in text for start in FORMULA_STARTS):
        # Our own exports quote text that starts like a formula (core.exports.csv_safe): take it off.
        rows = [[_unquoted(cell) for cell in row] for row in rows]
    return rows


def _unquoted(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:2] and cell[1] in FORMULA_STARTS else cell
