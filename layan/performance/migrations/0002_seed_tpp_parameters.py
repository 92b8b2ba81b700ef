"""Default TPP parameters (DOMAIN.md "Performance and TPP"); each kabupaten replaces them by its Perbup."""

from datetime import date
from decimal import Decimal

from django.db import migrations

# Illustrative basic TPP per kelas jabatan (Rp): the reference amount × a regional index, rising with the
# kelas. A kabupaten enters its own Perbup table from its valid_from date.
BASIC_TPP = {
    1: 1_250_000, 2: 1_400_000, 3: 1_600_000, 4: 1_800_000, 5: 2_000_000, 6: 2_300_000, 7: 2_600_000,
    8: 3_000_000, 9: 3_500_000, 10: 4_200_000, 11: 5_000_000, 12: 6_500_000, 13: 8_000_000,
    14: 10_500_000, 15: 14_000_000, 16: 19_000_000, 17: 25_000_000,
}
BASIS = "Default Layan (Kepmendagri 900-4700/2020; sesuaikan dengan Perbup)"


def seed(apps, schema_editor):
    rate = apps.get_model("performance", "TppBasicRate")
    parameter = apps.get_model("performance", "TppParameter")
    for kelas, amount in BASIC_TPP.items():
        rate.objects.get_or_create(
            kelas_jabatan=kelas, valid_from=date(2020, 1, 1), defaults={"amount": amount, "legal_basis": BASIS}
        )
    parameter.objects.get_or_create(
        valid_from=date(2020, 1, 1),
        defaults={
            # Kepahiang's 60/40 split; Jawa Timur uses 40/60 (a parameter, not a constant).
            "weight_performance": Decimal("60"),
            "weight_discipline": Decimal("40"),
            "missing_report_cut": Decimal("1"),
            "discipline_cut_cap": Decimal("100"),
            "legal_basis": "PP 12/2019 ps. 58; Kepmendagri 900-4700/2020; default Layan",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("performance", "TppBasicRate").objects.filter(valid_from=date(2020, 1, 1)).delete()
    apps.get_model("performance", "TppParameter").objects.filter(valid_from=date(2020, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
