"""``manage.py import_residents FILE [--source NAME]``: import a resident list and print the counts."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layan.aid.services import resident_import_create, resident_import_run
from layan.core.uploads import read_table_bytes


class Command(BaseCommand):
    help = "Import residents from a CSV or xlsx file (columns as in the aid module's import page)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="impor", help="Name of the data source (e.g. 'DTKS 2020').")
        parser.add_argument(
            "--link", action="store_true", help="Link the new residents against the registry."
        )

    def handle(self, *args, file, source, link, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"File not found: {file}")
        data = path.read_bytes()
        try:
            table = read_table_bytes(data)  # read once: checked by create, written by run
            record = resident_import_create(
                actor=None, data=data, file_name=path.name, source=source, table=table
            )
            counts = resident_import_run(resident_import=record, table=table)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"read {counts.read}, imported {counts.imported}, "
            f"attached to an existing person {counts.attached}, "
            f"rejected {counts.rejected}, unchanged {counts.unchanged}, flagged for review {counts.flagged}"
        )
        if counts.rejected:
            self.stdout.write(f"rejected rows are kept with their reasons in import #{record.pk}")
        if link and counts.new_resident_ids:
            from layan.aid.linkage import find_duplicates

            result = find_duplicates(new_ids=set(counts.new_resident_ids))
            self.stdout.write(f"linked: flagged {result.counts.flagged}, queued {result.counts.queued}")
