"""``manage.py load_demo``: the demo kabupaten (Banggai) with one account per role, then each module's
demo data (``layan.<app>.demo.load_demo``). Idempotent."""

from importlib import import_module

from django.core.management.base import BaseCommand, CommandError

from layan.core.demo import DemoRefused, demo_load

LOGIN_URL = "http://127.0.0.1:8000/akun/masuk/"
# Modules whose demo data stands on the foundation's units, employees and regions, in this order.
MODULE_DEMOS = ["layan.attendance.demo", "layan.performance.demo", "layan.complaints.demo", "layan.aid.demo"]


class Command(BaseCommand):
    help = "Muat data demo Kabupaten Banggai (idempoten; ditolak dalam mode produksi)."

    def handle(self, *args, **options):
        from layan.accounts.validators import DEMO_PASSWORD

        try:
            result = demo_load()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        if result.changed:
            made = ", ".join(f"{name} {count}" for name, count in result.created.items() if count)
            self.stdout.write(f"Data demo dimuat dalam {result.seconds} dtk: {made}.")
        else:
            self.stdout.write(f"Data demo sudah lengkap; tidak ada yang diubah ({result.seconds} dtk).")
        for module_name in MODULE_DEMOS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError:
                continue
            module.load_demo(stdout=self.stdout)
        header = ("nama pengguna", "peran", "cakupan", "NIP", "rahasia TOTP (2FA)", "kode kini")
        rows = [(a.username, a.role, a.scope, a.nip, a.totp_secret, a.totp_now) for a in result.accounts]
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        self.stdout.write("")
        self.stdout.write(f"Kata sandi semua akun demo: {DEMO_PASSWORD}")
        self.stdout.write(
            "Akun dengan rahasia TOTP meminta kode 2FA: tambahkan rahasianya ke aplikasi "
            "autentikator (atau pakai 'kode kini', berlaku 30 detik)."
        )
        self.stdout.write(f"Masuk di {LOGIN_URL}")
