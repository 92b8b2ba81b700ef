"""``import_regions FILE [--prefix X] [--population FILE]``: upsert a Kemendagri list (CSV ``kode,nama``,
plain or gzip) and optionally population counts (CSV ``kode,nama,pria,wanita,total``)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layan.regions import files
from layan.regions.services import ImportResult, regions_import

SHOWN_REJECTIONS = 50


def _read(path: str, reader):
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Berkas {path} tidak dapat dibaca: {exc.strerror or exc}") from exc
    try:
        return reader(data)
    except ValidationError as exc:
        raise CommandError(f"{path}: {' '.join(exc.messages)}") from exc


def report(command: BaseCommand, result: ImportResult, verbosity: int) -> None:
    out = command.stdout
    out.write(
        f"Wilayah: dibaca {result.read}, baru {result.created}, diubah {result.updated}, "
        f"tetap {result.unchanged}, ditolak {len(result.rejected)}, dilewati {result.skipped}"
    )
    if result.population_read:
        out.write(
            f"Penduduk: dibaca {result.population_read}, diubah {result.population_updated}, "
            f"tetap {result.population_unchanged}, ditolak {len(result.population_rejected)}"
        )
    limit = None if verbosity >= 2 else SHOWN_REJECTIONS
    for title, rejected in (("wilayah", result.rejected), ("penduduk", result.population_rejected)):
        for row in rejected[:limit]:
            command.stderr.write(
                f"Ditolak ({title}) baris {row.line} [{row.code}] {row.name}: {' '.join(row.reasons)}"
            )
        if limit is not None and len(rejected) > limit:
            command.stderr.write(f"… dan {len(rejected) - limit} baris {title} lain ditolak (pakai -v 2).")


class Command(BaseCommand):
    help = "Impor daftar wilayah Kemendagri (CSV kode,nama; .gz boleh) dan, bila ada, jumlah penduduk."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV kode,nama (boleh .csv.gz)")
        parser.add_argument(
            "--prefix", default="", help="Desa/kelurahan hanya di bawah kode ini (mis. 72.01)"
        )
        parser.add_argument("--population", help="CSV kode,nama,pria,wanita,total")
        parser.add_argument("--population-year", type=int, help="Tahun data penduduk (mis. 2025)")

    def handle(self, *args, **options):
        rows = _read(options["file"], files.read_region_rows)
        population = (
            _read(options["population"], files.read_population_rows) if options["population"] else None
        )
        try:
            result = regions_import(
                actor=None,
                rows=rows,
                population_rows=population,
                prefix=options["prefix"] or None,
                population_year=options["population_year"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        report(self, result, options["verbosity"])
