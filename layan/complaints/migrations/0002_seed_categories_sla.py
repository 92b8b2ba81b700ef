"""Seed the 16 default categories (issue 5) and the default SLA (DOMAIN.md: verify 3, answer 5, auto-close
10 after the answer, resolve 60 working days). Admins edit categories, map them to units and add dated
SLA rules; this migration only adds what is missing and removes only what it added."""

from datetime import date

from django.db import migrations

CATEGORIES = [
    ("jalan", "Jalan, jembatan & drainase"),
    ("air", "Air bersih"),
    ("sampah", "Sampah & kebersihan"),
    ("pju", "Lampu penerangan jalan"),
    ("transportasi", "Transportasi & parkir"),
    ("kesehatan", "Layanan kesehatan"),
    ("covid", "COVID-19 (tes, isolasi, vaksin)"),
    ("pendidikan", "Pendidikan & sekolah"),
    ("adminduk", "KTP, KK, akta"),
    ("bansos", "Bantuan sosial"),
    ("perizinan", "Perizinan & investasi"),
    ("asn", "Kinerja & perilaku ASN"),
    ("ketertiban", "Ketertiban umum"),
    ("bencana", "Bencana & banjir"),
    ("pasar", "Pasar & harga kebutuhan pokok"),
    ("lainnya", "Lainnya"),
]
LEGAL_BASIS = "Perpres 76/2013; Permenpan-RB 46/2020 (SP4N-LAPOR!): verifikasi 3, tindak lanjut 5 hari kerja"


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    SlaRule = apps.get_model("complaints", "SlaRule")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})
    if not SlaRule.objects.filter(kind="", category__isnull=True).exists():
        SlaRule.objects.create(kind="", category=None, valid_from=date(2013, 1, 1), verify_days=3, answer_days=5,
                               auto_close_days=10, resolve_days=60, escalate_after_days=2,
                               legal_basis=LEGAL_BASIS)


def unseed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    SlaRule = apps.get_model("complaints", "SlaRule")
    SlaRule.objects.filter(kind="", category__isnull=True, legal_basis=LEGAL_BASIS).delete()
    Category.objects.filter(code__in=[c for c, _ in CATEGORIES], cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
