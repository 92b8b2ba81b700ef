"""Uploads checked by content, not by name: images through Pillow, videos and tables by their bytes."""

from __future__ import annotations

import csv
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# ISO base media brands a phone camera writes: MP4, 3GP (older Android) and QuickTime (iPhone).
MP4_BRANDS = {
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V ", b"M4VP",
    b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"qt  ", b"MSNV", b"mmp4",
}  # fmt: skip
DEFAULT_MAX_VIDEO_BYTES = 20 * 1024 * 1024


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


def validate_video_upload(upload, *, max_bytes: int | None = None) -> str:
    """Accept a short MP4 (or a phone's 3GP/QuickTime) or WebM video under the size limit, recognised by its
    first bytes (the ``ftyp`` box or the EBML header with the ``webm`` doc type), never by its name or the
    browser's content type. Returns ``"mp4"`` or ``"webm"``; anything else is refused with a clear message."""
    max_bytes = max_bytes or getattr(settings, "LAYAN_MAX_VIDEO_BYTES", DEFAULT_MAX_VIDEO_BYTES)
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
    finally:
        upload.seek(position)
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"\x42\x82" in head and b"webm" in head:
        return "webm"
    raise ValidationError(_("Berkas bukan video yang sah (MP4 atau WebM)."), code="not_video")


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
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
