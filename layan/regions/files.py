"""Region and population CSV files: the bundled copies (layan/regions/data) and files given to the import.

Files are ``kode,nama`` (regions) and ``kode,nama,pria,wanita,total`` (population), UTF-8, plain or
gzip (recognised by content, not by name). Columns are found by their header, so their order is free.
Every data row is returned, blank ones included, so that a row's position gives its line in the file;
cells are returned as written (the import strips them).
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_REGIONS = DATA_DIR / "wilayah_kepmendagri_2025.csv.gz"
BUNDLED_POPULATION = DATA_DIR / "penduduk_kabkota_2025.csv"
BUNDLED_POPULATION_YEAR = 2025

REGION_COLUMNS = {"kode": ("kode", "code"), "nama": ("nama", "name")}
POPULATION_COLUMNS = {
    "kode": ("kode", "code"),
    "nama": ("nama", "name"),
    "pria": ("pria", "laki-laki", "male"),
    "wanita": ("wanita", "perempuan", "female"),
    "total": ("total", "jumlah"),
}
# The name is informative only in a population file; the code is what joins it to a region.
_OPTIONAL_POPULATION = {"nama"}


def _text(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ValidationError(_("Berkas gzip rusak."), code="bad_gzip") from exc
    if b"\x00" in data[:4096]:
        raise ValidationError(_("Berkas bukan CSV."), code="not_csv")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("Berkas bukan teks UTF-8."), code="not_text")  # pragma: no cover - cp1252 decodes


def _rows(
    data: bytes, columns: dict[str, tuple[str, ...]], optional: set[str] = frozenset()
) -> list[list[str]]:
    reader = csv.reader(io.StringIO(_text(data)))
    header = next(reader, None)
    if not header:
        raise ValidationError(_("Berkas kosong: tidak ada baris judul kolom."), code="empty")
    names = [cell.strip().lower() for cell in header]
    positions: list[int | None] = []
    for column, aliases in columns.items():
        found = next((names.index(alias) for alias in aliases if alias in names), None)
        if found is None and column not in optional:
            raise ValidationError(
                _("Kolom %(column)s tidak ada di baris judul (perlu: %(needed)s).")
                % {"column": column, "needed": ", ".join(c for c in columns if c not in optional)},
                code="missing_column",
            )
        positions.append(found)
    if positions == list(range(len(names))):
        # The usual file: exactly the wanted columns in order; cells are stripped by the import.
        return list(reader)
    return [
        [row[p] if p is not None and p < len(row) else "" for p in positions] if row else [] for row in reader
    ]


def read_region_rows(data: bytes) -> list[list[str]]:
    """``[kode, nama]`` per data row (line 2 onward)."""
    return _rows(data, REGION_COLUMNS)


def read_population_rows(data: bytes) -> list[list[str]]:
    """``[kode, nama, pria, wanita, total]`` per data row (line 2 onward)."""
    return _rows(data, POPULATION_COLUMNS, _OPTIONAL_POPULATION)
