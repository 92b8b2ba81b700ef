"""``manage.py import_employees FILE``: import employees from xlsx/CSV and print the counts."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layan.core.models import User
from layan.core.uploads import read_table_bytes
from layan.org.imports import Status, import_employees


class Command(BaseCommand):
    help = "Impor pegawai dari berkas xlsx/CSV (kolom seperti templat impor) dan cetak jumlahnya."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .xlsx atau .csv")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="impor atas nama pengguna ini (cakupannya berlaku); kosong = sistem",
        )
        parser.add_argument("--report", default="", help="simpan baris bermasalah ke berkas .xlsx ini")

    def handle(self, *args, file: str, username: str, report: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        actor = None
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"Pengguna {username} tidak ditemukan.")
        try:
            headers, rows = read_table_bytes(path.read_bytes())
            result = import_employees(actor=actor, headers=headers, rows=rows)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Dibuat: {result.count(Status.CREATED)}, diperbarui: {result.count(Status.UPDATED)}, "
            f"tidak berubah: {result.count(Status.UNCHANGED)}, ditolak: {result.count(Status.REJECTED)}"
        )
        for outcome in result.problems:
            self.stdout.write(f"  baris {outcome.number} ({outcome.status}): {'; '.join(outcome.reasons)}")
        if report and result.problems:
            Path(report).write_bytes(result.report_xlsx())
            self.stdout.write(f"Laporan baris bermasalah: {report}")
