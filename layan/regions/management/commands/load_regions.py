"""``load_regions [--prefix X | --all]``: load the bundled Kepmendagri 2025 list and 2025 population."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layan.regions.services import regions_load_bundled


class Command(BaseCommand):
    help = (
        "Muat daftar wilayah bawaan (Kepmendagri 2025): semua provinsi, kabupaten/kota dan kecamatan, "
        "desa/kelurahan di bawah --prefix, dan jumlah penduduk. Aman dijalankan berulang."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--prefix",
            default=settings.LAYAN_REGION_CODE,
            help="Desa/kelurahan hanya di bawah kode ini (bawaan: LAYAN_REGION_CODE, %(default)s)",
        )
        group.add_argument("--all", action="store_true", help="Semua desa/kelurahan di Indonesia (83.762)")

    def handle(self, *args, **options):
        prefix = None if options["all"] else options["prefix"]
        try:
            counts = regions_load_bundled(prefix=prefix)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Wilayah: dibaca {counts['read']}, baru {counts['created']}, diubah {counts['updated']}, "
            f"tetap {counts['unchanged']}, ditolak {counts['rejected']}; penduduk diubah "
            f"{counts['population_updated']}; {counts['seconds']} detik"
        )
