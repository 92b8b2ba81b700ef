"""Give a role from the command line: the first admin sistem of a fresh installation has nobody to grant
it through the web. Audited as done by "sistem"."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from layan.accounts import selectors, services


class Command(BaseCommand):
    help = "Beri peran: grant_role <NIP/nama pengguna> <peran> (--region KODE | --unit KODE_UNIT)"

    def add_arguments(self, parser):
        parser.add_argument("user")
        parser.add_argument("role")
        parser.add_argument("--region", default="")
        parser.add_argument("--unit", default="", help="Kode unit kerja")
        parser.add_argument("--valid-from", type=date.fromisoformat, default=None)
        parser.add_argument("--valid-to", type=date.fromisoformat, default=None)

    def handle(self, *args, **options):
        from layan.org.models import Unit

        user = selectors.user_by_login(options["user"])
        if user is None:
            raise CommandError(f"Pengguna {options['user']!r} tidak ditemukan.")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Unit {options['unit']!r} tidak ditemukan.")
        try:
            assignment = services.role_assign(
                actor=None,
                user=user,
                role=options["role"],
                scope_region=options["region"],
                scope_unit=unit,
                valid_from=options["valid_from"],
                valid_to=options["valid_to"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{assignment}"))
