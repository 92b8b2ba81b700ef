"""``manage.py export_duplicates FILE.csv``: every pair of source ids held or suspected to be one person."""

import csv

from django.core.management.base import BaseCommand

from layan.aid.selectors import duplicate_source_pairs


class Command(BaseCommand):
    help = "Write id_sumber_1,id_sumber_2,score,status for flagged, queued, confirmed and attached pairs."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        written = 0
        with open(file, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id_sumber_1", "id_sumber_2", "score", "status"])
            for row in duplicate_source_pairs():
                writer.writerow(row)
                written += 1
        self.stdout.write(f"{written} pairs written to {file}")
