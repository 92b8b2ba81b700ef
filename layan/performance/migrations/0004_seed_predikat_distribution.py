"""Default bounds on the share of employee predikat per organisation rating (PermenPAN-RB 6/2022, the
distribution curves of its appendix); a kabupaten may replace them from a later valid_from date."""

from datetime import date
from decimal import Decimal

from django.db import migrations

BASIS = "PermenPAN-RB 6/2022 (kurva distribusi predikat kinerja pegawai); default Layan"
# org rating -> [(predikats counted together, min %, max %, min count)]
RULES = {
    "istimewa": [("sangat_baik", None, 70, 0)],
    "baik": [("baik", None, 70, 0), ("butuh_perbaikan,kurang", None, None, 1)],
    "butuh_perbaikan": [("butuh_perbaikan", 60, None, 0), ("sangat_baik", None, 10, 0)],
    "kurang": [("kurang", 60, None, 0), ("butuh_perbaikan", 10, None, 0), ("sangat_baik", None, 10, 0)],
    "sangat_kurang": [
        ("sangat_kurang", 60, None, 0),
        ("butuh_perbaikan,kurang", 10, None, 0),
        ("sangat_baik", None, 0, 0),
    ],
}


def _dec(value):
    return None if value is None else Decimal(value)


def seed(apps, schema_editor):
    rule = apps.get_model("performance", "PredikatDistributionRule")
    for org_rating, rows in RULES.items():
        for predikats, low, high, count in rows:
            rule.objects.get_or_create(
                org_rating=org_rating,
                predikats=predikats,
                valid_from=date(2022, 1, 1),
                defaults={
                    "min_percent": _dec(low),
                    "max_percent": _dec(high),
                    "min_count": count,
                    "legal_basis": BASIS,
                },
            )


def unseed(apps, schema_editor):
    apps.get_model("performance", "PredikatDistributionRule").objects.filter(
        valid_from=date(2022, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("performance", "0003_plans_and_evaluation")]
    operations = [migrations.RunPython(seed, unseed)]
