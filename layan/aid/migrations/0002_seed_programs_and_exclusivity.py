"""Seed the national programs and their exclusivity rules as dated data (DOMAIN.md "Social aid").

- BLT-DD 2020 (Permendes 6/2020) excludes families on PKH, BPNT/Kartu Sembako, Kartu Prakerja, and by
  the "no double APBN aid" rule BST; valid from April 2020 to the end of 2021.
- PKH + BPNT together is allowed (no end date).
- From 2022 a BLT-DD recipient gets one kind of aid only (Permendes 7/2021).
"""

from datetime import date

from django.db import migrations

PROGRAMS = [
    # code, name, target, source, benefit, amount, goods, stages
    ("pkh", "Program Keluarga Harapan (PKH)", "family", "pusat", "cash", None, "", 4),
    ("bpnt", "BPNT / Kartu Sembako", "family", "pusat", "goods", None, "paket sembako", 12),
    ("bst", "Bantuan Sosial Tunai (BST)", "family", "pusat", "cash", 300000, "", 6),
    ("blt-dd", "BLT Dana Desa", "family", "desa", "cash", 600000, "", 3),
    ("prakerja", "Kartu Prakerja", "person", "pusat", "cash", 600000, "", 4),
    ("beras", "Bantuan beras 10 kg", "family", "pusat", "goods", None, "beras 10 kg", 1),
    ("asn-peduli", "ASN Peduli", "family", "asn", "goods", None, "paket sembako ASN Peduli", 1),
]
_PKH_AMOUNT = 0  # PKH amounts vary per component (children, elderly...): recorded per distribution

BLT_DD_2020 = "Permendes PDTT 6/2020; Surat Menkeu S-350/MK.07/2020 (tidak ganda bantuan APBN)"
BLT_DD_2022 = "Permendes PDTT 7/2021 (BLT-DD 2022: satu jenis bantuan)"
PKH_BPNT = "Permensos 1/2018 dan Permensos 20/2019 (PKH dan BPNT dapat diterima bersamaan)"


def seed(apps, schema_editor):
    Program = apps.get_model("aid", "Program")
    Rule = apps.get_model("aid", "ExclusivityRule")
    programs = {}
    for code, name, target, source, benefit, amount, goods, stages in PROGRAMS:
        if code == "pkh":
            amount = _PKH_AMOUNT
        programs[code], _created = Program.objects.get_or_create(
            code=code,
            defaults={"name": name, "target": target, "source": source, "benefit": benefit,
                      "amount_per_period": amount, "goods": goods, "stages": stages},
        )
    for other in ("pkh", "bpnt", "prakerja", "bst"):
        Rule.objects.get_or_create(
            program=programs["blt-dd"], kind="excludes", other_program=programs[other],
            valid_from=date(2020, 4, 1), defaults={"valid_to": date(2021, 12, 31), "legal_basis": BLT_DD_2020},
        )
    Rule.objects.get_or_create(program=programs["pkh"], kind="allows", other_program=programs["bpnt"],
                               valid_from=date(2018, 1, 1), defaults={"legal_basis": PKH_BPNT})
    Rule.objects.get_or_create(program=programs["blt-dd"], kind="one_only", other_program=None,
                               valid_from=date(2022, 1, 1), defaults={"legal_basis": BLT_DD_2022})


def unseed(apps, schema_editor):
    apps.get_model("aid", "ExclusivityRule").objects.filter(set_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("aid", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
