"""Default rules from DOMAIN.md "Work arrangements and attendance": WFO caps by zone (SE MenPAN-RB 67/2020)
and by PPKM level × sector (SE 25/2021, SE 06/2022), TL/PSW/TK brackets (Permentan 68/2012 template),
the check-in tolerances and the leave types. Admins change them later as dated rows."""

from datetime import date
from decimal import Decimal

from django.db import migrations

SE_67_2020 = "SE MenPAN-RB No. 67 Tahun 2020"
SE_25_2021 = "SE MenPAN-RB No. 25 Tahun 2021"
SE_06_2022 = "SE MenPAN-RB No. 06 Tahun 2022"
SE_67_FROM = date(2020, 9, 4)
SE_25_FROM, SE_25_TO = date(2021, 8, 10), date(2022, 2, 7)
SE_06_FROM = date(2022, 2, 8)

ZONE_CAPS = {"hijau": 100, "kuning": 75, "oranye": 50, "merah": 25}

# (level, sector, area, zone, cap)
SE_25_ROWS = [
    (1, "non_esensial", "jawa_bali", "", 75),
    (2, "non_esensial", "jawa_bali", "", 50),
    (3, "non_esensial", "jawa_bali", "", 25),
    (4, "non_esensial", "jawa_bali", "", 0),
    # Outside Java–Bali, levels 1–2 follow the zone: green 75, yellow/orange 50, red 25.
    *[(lvl, "non_esensial", "luar_jawa_bali", zone, cap) for lvl in (1, 2)
      for zone, cap in (("hijau", 75), ("kuning", 50), ("oranye", 50), ("merah", 25))],
    (1, "non_esensial", "luar_jawa_bali", "", 75),
    (2, "non_esensial", "luar_jawa_bali", "", 50),
    (3, "non_esensial", "luar_jawa_bali", "", 25),
    (4, "non_esensial", "luar_jawa_bali", "", 0),
    # Essential and critical sectors keep more staff on site (defaults; regions adjust).
    (1, "esensial", "semua", "", 100),
    (2, "esensial", "semua", "", 75),
    (3, "esensial", "semua", "", 50),
    (4, "esensial", "semua", "", 50),
    *[(lvl, "kritikal", "semua", "", 100) for lvl in (1, 2, 3, 4)],
]
SE_06_ROWS = [
    (1, "non_esensial", "semua", "", 100),
    (2, "non_esensial", "semua", "", 75),
    (3, "non_esensial", "semua", "", 50),
    (4, "non_esensial", "semua", "", 25),
    *[(lvl, sector, "semua", "", 100) for lvl in (1, 2, 3, 4) for sector in ("esensial", "kritikal")],
]

PERMENTAN_68_2012 = "Permentan No. 68 Tahun 2012 (templat bawaan)"
BRACKETS = [
    ("TL", "TL1", 1, 30, "0.50"), ("TL", "TL2", 31, 60, "1.00"), ("TL", "TL3", 61, 90, "1.50"),
    ("TL", "TL4", 91, None, "2.00"),
    ("PSW", "PSW1", 1, 30, "0.50"), ("PSW", "PSW2", 31, 60, "1.00"), ("PSW", "PSW3", 61, 90, "1.50"),
    ("PSW", "PSW4", 91, None, "2.00"),
    ("TK", "TK", 0, None, "4.00"),
]

# code, name, day status, yearly quota, carry-over max, needs evidence
LEAVE_TYPES = [
    ("CT", "Cuti tahunan", "CUTI", 12, 6, False),
    ("CB", "Cuti besar", "CUTI", None, 0, False),
    ("CS", "Cuti sakit", "SAKIT", None, 0, True),
    ("CM", "Cuti melahirkan", "CUTI", None, 0, True),
    ("CAP", "Cuti karena alasan penting", "CUTI", None, 0, True),
    ("CLTN", "Cuti di luar tanggungan negara", "CUTI", None, 0, True),
    ("IZIN", "Izin", "IZIN", None, 0, False),
    ("DL", "Dinas luar", "DL", None, 0, True),
]


def seed(apps, schema_editor):
    zone_rule = apps.get_model("attendance", "WfoZoneCapRule")
    ppkm_rule = apps.get_model("attendance", "WfoPpkmCapRule")
    bracket = apps.get_model("attendance", "AttendanceBracket")
    policy = apps.get_model("attendance", "CheckInPolicy")
    leave_type = apps.get_model("attendance", "LeaveType")
    for zone, cap in ZONE_CAPS.items():
        zone_rule.objects.get_or_create(zone=zone, valid_from=SE_67_FROM,
                                        defaults={"cap_percent": cap, "legal_basis": SE_67_2020})
    for level, sector, area, zone, cap in SE_25_ROWS:
        ppkm_rule.objects.get_or_create(level=level, sector=sector, area=area, zone=zone, valid_from=SE_25_FROM,
                                        defaults={"cap_percent": cap, "valid_to": SE_25_TO,
                                                  "legal_basis": SE_25_2021})
    for level, sector, area, zone, cap in SE_06_ROWS:
        ppkm_rule.objects.get_or_create(level=level, sector=sector, area=area, zone=zone, valid_from=SE_06_FROM,
                                        defaults={"cap_percent": cap, "legal_basis": SE_06_2022})
    for kind, code, low, high, cut in BRACKETS:
        bracket.objects.get_or_create(code=code, valid_from=date(2012, 1, 1),
                                      defaults={"kind": kind, "min_minutes": low, "max_minutes": high,
                                                "cut_percent": Decimal(cut), "legal_basis": PERMENTAN_68_2012})
    policy.objects.get_or_create(valid_from=date(2020, 1, 1), defaults={"legal_basis": "Bawaan Layan"})
    for code, name, status, quota, carry, evidence in LEAVE_TYPES:
        leave_type.objects.get_or_create(code=code, defaults={
            "name": name, "day_status": status, "yearly_quota": quota, "carry_over_max": carry,
            "needs_evidence": evidence, "legal_basis": "PP 11/2017 jo. PP 17/2020; Peraturan BKN 24/2017"})


def unseed(apps, schema_editor):
    for name in ("WfoZoneCapRule", "WfoPpkmCapRule", "AttendanceBracket", "CheckInPolicy", "LeaveType"):
        apps.get_model("attendance", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
