"""The demo kabupaten (Kabupaten Banggai, 72.01, WITA): regions, ~40 units, ~600 employees, one account per
role. ``manage.py load_demo`` runs ``demo_load``; ``bench/run.py`` reuses the generators at scale.

Everything is generated from fixed seeds, before the database is touched, so two runs produce exactly the
same people; the load then writes only what is missing (keyed by unit code, position name + kelas, the
NIK's keyed hash and the username). A second run therefore changes nothing and duplicates nothing.

Identifiers are valid and mutually consistent (DOMAIN.md "Identifiers"): a NIP embeds the birth date, a
TMT CPNS at least 18 years later and the sex digit; a NIK embeds a Banggai kecamatan, the birth day (+40
for women), month and year.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from faker import Faker

SEED = 7201
DEMO_ROLES_FROM = date(2025, 1, 1)
REGION_PREFIX = "72.01"

# Kecamatan of Kabupaten Banggai (Kepmendagri 2025) with an approximate town-centre location.
KECAMATAN: dict[str, tuple[str, float, float]] = {
    "72.01.01": ("Batui", -1.2689, 122.5486),
    "72.01.02": ("Bunta", -0.9290, 122.1949),
    "72.01.03": ("Kintom", -1.0936, 122.6970),
    "72.01.04": ("Luwuk", -0.9496, 122.7897),
    "72.01.05": ("Lamala", -0.9689, 123.0433),
    "72.01.06": ("Balantak", -0.8850, 123.2260),
    "72.01.07": ("Pagimana", -0.7402, 122.5541),
    "72.01.08": ("Bualemo", -0.8830, 122.3660),
    "72.01.09": ("Toili", -1.4300, 122.3040),
    "72.01.10": ("Masama", -0.8836, 122.9892),
    "72.01.11": ("Luwuk Timur", -0.9020, 122.9230),
    "72.01.12": ("Toili Barat", -1.4100, 122.1500),
    "72.01.13": ("Nuhon", -0.9200, 121.9900),
    "72.01.14": ("Moilong", -1.4530, 122.2300),
    "72.01.15": ("Batui Selatan", -1.3400, 122.4800),
    "72.01.16": ("Lobu", -0.8420, 122.2700),
    "72.01.17": ("Simpang Raya", -0.9400, 121.8900),
    "72.01.18": ("Balantak Selatan", -0.9500, 123.1700),
    "72.01.19": ("Balantak Utara", -0.8200, 123.2600),
    "72.01.20": ("Luwuk Selatan", -0.9700, 122.7750),
    "72.01.21": ("Luwuk Utara", -0.9320, 122.7460),
    "72.01.22": ("Mantoh", -0.9370, 122.8520),
    "72.01.23": ("Nambo", -1.1870, 122.6130),
    "72.01.24": ("Toili Jaya", -1.4800, 122.3700),
}
LUWUK = "72.01.04"

# Positions: (name, kind, kelas jabatan). Kelas follow the usual Perbup pattern: JPT pratama 13–15,
# administrator 11–12, pengawas 8–9, fungsional by level, pelaksana 1–7.
POSITIONS: dict[str, tuple[str, int]] = {
    "Sekretaris Daerah": ("struktural", 15),
    "Kepala Dinas": ("struktural", 14),
    "Kepala Badan": ("struktural", 14),
    "Inspektur": ("struktural", 14),
    "Sekretaris DPRD": ("struktural", 14),
    "Direktur RSUD": ("struktural", 13),
    "Sekretaris": ("struktural", 12),
    "Kepala Bagian": ("struktural", 11),
    "Kepala Bidang": ("struktural", 11),
    "Inspektur Pembantu": ("struktural", 11),
    "Camat": ("struktural", 11),
    "Sekretaris Camat": ("struktural", 9),
    "Kepala Subbagian": ("struktural", 9),
    "Kepala Subbidang": ("struktural", 9),
    "Kepala Seksi": ("struktural", 9),
    "Lurah": ("struktural", 9),
    "Kepala Puskesmas": ("struktural", 9),
    "Sekretaris Kelurahan": ("struktural", 8),
    "Auditor Ahli Muda": ("fungsional", 10),
    "Auditor Ahli Pertama": ("fungsional", 8),
    "Dokter Ahli Pertama": ("fungsional", 9),
    "Analis Kepegawaian Ahli Pertama": ("fungsional", 8),
    "Pranata Komputer Ahli Pertama": ("fungsional", 8),
    "Perencana Ahli Pertama": ("fungsional", 8),
    "Pekerja Sosial Ahli Pertama": ("fungsional", 8),
    "Apoteker Ahli Pertama": ("fungsional", 8),
    "Perawat Ahli Pertama": ("fungsional", 8),
    "Perawat Terampil": ("fungsional", 6),
    "Bidan Terampil": ("fungsional", 6),
    "Pengelola Keuangan": ("pelaksana", 7),
    "Pengelola Data": ("pelaksana", 7),
    "Pengadministrasi Umum": ("pelaksana", 5),
    "Pengemudi": ("pelaksana", 3),
    "Petugas Keamanan": ("pelaksana", 2),
    "Pramu Bakti": ("pelaksana", 1),
}

_GENERAL_STAFF = [
    "Pengelola Data",
    "Pengelola Keuangan",
    "Pengadministrasi Umum",
    "Pengadministrasi Umum",
    "Pengemudi",
    "Petugas Keamanan",
    "Pramu Bakti",
]
_PUSKESMAS_STAFF = [
    "Dokter Ahli Pertama",
    "Perawat Ahli Pertama",
    "Perawat Terampil",
    "Perawat Terampil",
    "Bidan Terampil",
    "Bidan Terampil",
    "Apoteker Ahli Pertama",
    "Pengadministrasi Umum",
]


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str  # layan.org.models.Unit.Kind value
    region: str
    parent: str | None
    head: str | None  # position name of the head (None: perangkat desa, no kelas jabatan)
    middle: tuple[str | None, ...]  # positions of the middle managers, who report to the head
    staff: int
    staff_positions: tuple[str, ...] = tuple(_GENERAL_STAFF)
    head_reports_to: str | None = None  # unit code whose head supervises this unit's head
    non_asn_only: bool = False


def _dinas(
    code,
    name,
    kind="dinas",
    middle=("Sekretaris", "Kepala Bidang", "Kepala Bidang", "Kepala Bidang"),
    staff=16,
    specialists=(),
):
    head = "Kepala Badan" if kind == "badan" else "Kepala Dinas"
    return UnitSpec(
        code,
        name,
        kind,
        REGION_PREFIX,
        None,
        head,
        middle,
        staff,
        tuple(specialists) * 2 + tuple(_GENERAL_STAFF),
        "SETDA",
    )


UNITS: list[UnitSpec] = [
    UnitSpec(
        "SETDA",
        "Sekretariat Daerah",
        "setda",
        REGION_PREFIX,
        None,
        "Sekretaris Daerah",
        ("Kepala Subbagian", "Kepala Subbagian"),
        8,
    ),
    UnitSpec(
        "SETDA-PEM",
        "Bagian Pemerintahan",
        "bagian",
        REGION_PREFIX,
        "SETDA",
        "Kepala Bagian",
        ("Kepala Subbagian", "Kepala Subbagian"),
        8,
        head_reports_to="SETDA",
    ),
    UnitSpec(
        "SETDA-HUK",
        "Bagian Hukum",
        "bagian",
        REGION_PREFIX,
        "SETDA",
        "Kepala Bagian",
        ("Kepala Subbagian", "Kepala Subbagian"),
        8,
        head_reports_to="SETDA",
    ),
    UnitSpec(
        "SETDA-ORG",
        "Bagian Organisasi",
        "bagian",
        REGION_PREFIX,
        "SETDA",
        "Kepala Bagian",
        ("Kepala Subbagian", "Kepala Subbagian"),
        8,
        head_reports_to="SETDA",
    ),
    UnitSpec(
        "SETWAN",
        "Sekretariat DPRD",
        "setwan",
        REGION_PREFIX,
        None,
        "Sekretaris DPRD",
        ("Kepala Bagian", "Kepala Bagian", "Kepala Bagian"),
        12,
        head_reports_to="SETDA",
    ),
    UnitSpec(
        "INSPEKTORAT",
        "Inspektorat Daerah",
        "inspektorat",
        REGION_PREFIX,
        None,
        "Inspektur",
        ("Inspektur Pembantu", "Inspektur Pembantu", "Inspektur Pembantu"),
        14,
        ("Auditor Ahli Muda", "Auditor Ahli Pertama", "Auditor Ahli Pertama", "Pengadministrasi Umum"),
        "SETDA",
    ),
    _dinas(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "badan",
        middle=("Sekretaris", "Kepala Subbagian"),
        staff=8,
        specialists=["Analis Kepegawaian Ahli Pertama"],
    ),
    UnitSpec(
        "BKPSDM-MUTASI",
        "Bidang Mutasi dan Promosi",
        "bagian",
        REGION_PREFIX,
        "BKPSDM",
        "Kepala Bidang",
        ("Kepala Subbidang",),
        6,
        ("Analis Kepegawaian Ahli Pertama", "Pengelola Data"),
        "BKPSDM",
    ),
    UnitSpec(
        "BKPSDM-BANGKOM",
        "Bidang Pengembangan Kompetensi",
        "bagian",
        REGION_PREFIX,
        "BKPSDM",
        "Kepala Bidang",
        ("Kepala Subbidang",),
        6,
        ("Analis Kepegawaian Ahli Pertama", "Pengelola Data"),
        "BKPSDM",
    ),
    _dinas("DINKES", "Dinas Kesehatan", specialists=["Apoteker Ahli Pertama", "Perawat Ahli Pertama"]),
    _dinas("DINSOS", "Dinas Sosial", specialists=["Pekerja Sosial Ahli Pertama"]),
    _dinas(
        "DISKOMINFO",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian",
        specialists=["Pranata Komputer Ahli Pertama"],
    ),
    _dinas("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    _dinas("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", staff=20),
    _dinas("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", staff=18),
    _dinas("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", staff=14),
    _dinas(
        "BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan", specialists=["Perencana Ahli Pertama"]
    ),
    _dinas("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan", staff=18),
    _dinas("BPBD", "Badan Penanggulangan Bencana Daerah", "badan", staff=12),
    _dinas("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", staff=12),
]
# Ten kecamatan offices (of 24): the Luwuk area and the larger towns along the coast.
_KEC_OFFICES = [
    "72.01.04",
    "72.01.20",
    "72.01.21",
    "72.01.11",
    "72.01.03",
    "72.01.01",
    "72.01.09",
    "72.01.07",
    "72.01.02",
    "72.01.06",
]
for _code in _KEC_OFFICES:
    _name = KECAMATAN[_code][0]
    UNITS.append(
        UnitSpec(
            f"KEC-{_name.upper().replace(' ', '-')}",
            f"Kecamatan {_name}",
            "kecamatan",
            _code,
            None,
            "Camat",
            ("Sekretaris Camat", "Kepala Seksi", "Kepala Seksi", "Kepala Seksi"),
            10,
            head_reports_to="SETDA",
        )
    )
UNITS += [
    UnitSpec(
        "KEL-LUWUK",
        "Kelurahan Luwuk",
        "kelurahan",
        "72.01.04.1009",
        "KEC-LUWUK",
        "Lurah",
        ("Sekretaris Kelurahan",),
        5,
        head_reports_to="KEC-LUWUK",
    ),
    UnitSpec(
        "KEL-KILONGAN",
        "Kelurahan Kilongan",
        "kelurahan",
        "72.01.21.1010",
        "KEC-LUWUK-UTARA",
        "Lurah",
        ("Sekretaris Kelurahan",),
        5,
        head_reports_to="KEC-LUWUK-UTARA",
    ),
    # Perangkat desa are not ASN and hold no kelas jabatan (they get no TPP): no position.
    UnitSpec(
        "DESA-NONONG",
        "Desa Nonong",
        "desa",
        "72.01.01.2002",
        "KEC-BATUI",
        None,
        (None,),
        4,
        (),
        "KEC-BATUI",
        non_asn_only=True,
    ),
    UnitSpec(
        "DESA-SINGKOYO",
        "Desa Singkoyo",
        "desa",
        "72.01.09.2014",
        "KEC-TOILI",
        None,
        (None,),
        4,
        (),
        "KEC-TOILI",
        non_asn_only=True,
    ),
]
for _code, _name in [
    ("72.01.04", "Luwuk"),
    ("72.01.20", "Simpong"),
    ("72.01.01", "Batui"),
    ("72.01.09", "Toili I"),
    ("72.01.07", "Pagimana"),
]:
    UNITS.append(
        UnitSpec(
            f"PKM-{_name.upper().replace(' ', '-')}",
            f"Puskesmas {_name}",
            "puskesmas",
            _code,
            "DINKES",
            "Kepala Puskesmas",
            ("Kepala Subbagian",),
            12,
            tuple(_PUSKESMAS_STAFF),
            "DINKES",
        )
    )
UNITS.append(
    UnitSpec(
        "RSUD-LUWUK",
        "RSUD Luwuk",
        "rsud",
        REGION_PREFIX,
        "DINKES",
        "Direktur RSUD",
        ("Kepala Bidang", "Kepala Bidang", "Kepala Bidang"),
        25,
        tuple(_PUSKESMAS_STAFF),
        "DINKES",
    )
)


def unit_location(spec: UnitSpec, rng: random.Random) -> tuple[Decimal, Decimal]:
    """A plausible office position: in the kecamatan's town (Luwuk for kabupaten-level offices)."""
    kecamatan = spec.region[:8] if len(spec.region) >= 8 else LUWUK
    _name, lat, lon = KECAMATAN[kecamatan]
    spread = 0.012 if kecamatan == LUWUK else 0.006
    return (
        Decimal(f"{lat + rng.uniform(-spread, spread):.6f}"),
        Decimal(f"{lon + rng.uniform(-spread, spread):.6f}"),
    )


@dataclass
class PersonSpec:
    key: str  # the NIK: the natural key of a person
    name: str
    sex: str
    birth_date: date
    birth_place: str
    kind: str  # pns / pppk / non_asn
    nip: str | None
    employment_start: date
    unit: str  # unit code
    position: str | None
    tier: str  # head / middle / staff
    supervisor: str | None = None  # NIK of the supervisor
    phone: str = ""
    email: str = ""


_BIRTH_PLACES = [
    "Luwuk",
    "Luwuk",
    "Luwuk",
    "Batui",
    "Toili",
    "Pagimana",
    "Bunta",
    "Kintom",
    "Balantak",
    "Palu",
    "Poso",
    "Ampana",
    "Banggai",
    "Gorontalo",
    "Manado",
    "Makassar",
    "Kendari",
]
# Family names common in Banggai and Sulawesi, mixed with Faker's id_ID names.
_LOCAL_FAMILY = [
    "Lamato",
    "Laibo",
    "Tompoh",
    "Sabuna",
    "Lapalu",
    "Djalumang",
    "Mahmud",
    "Saleh",
    "Tanjung",
    "Pakaja",
    "Labatjo",
    "Ladjuni",
    "Rauf",
    "Lasimpala",
    "Tompunu",
    "Paudi",
    "Bidja",
    "Taha",
]
_MOBILE_PREFIXES = ["11", "12", "13", "21", "22", "52", "53", "77", "78"]  # E.164, as org.services stores
_HEAD_DEGREES = [
    ", S.H., M.H.",
    ", S.E., M.M.",
    ", S.Sos., M.Si.",
    ", S.STP., M.Si.",
    ", S.T., M.T.",
    ", S.Pd., M.Pd.",
    ", S.Kom., M.Kom.",
]
_STAFF_DEGREES = ["", "", "", ", S.E.", ", S.Sos.", ", S.Kom.", ", A.Md.", ", S.H.", ", S.AP."]


class PeopleFactory:
    """Deterministic people with consistent NIP/NIK. One instance yields unique identifiers."""

    def __init__(
        self,
        seed: int = SEED,
        *,
        today: date | None = None,
        kecamatan_codes: list[str] | None = None,
        capital: str = LUWUK,
    ):
        self.rng = random.Random(seed)
        # Where people were first registered (the NIK's region part): mostly where they work, otherwise
        # anywhere in the kabupaten; kabupaten-level offices count as the capital's kecamatan.
        self.kecamatan_codes = sorted(kecamatan_codes or KECAMATAN)
        self.capital = capital
        self.faker = Faker("id_ID")
        self.faker.seed_instance(seed)
        # The latest TMT a generated appointment may carry: in the past whatever day the demo is loaded.
        self.today = today or date(2026, 1, 1)
        self._niks: set[str] = set()
        self._nips: set[str] = set()
        self._serial = 0

    def _name(self, sex: str, position: str | None, tier: str) -> str:
        first = self.faker.first_name_male() if sex == "L" else self.faker.first_name_female()
        last = (
            self.rng.choice(_LOCAL_FAMILY)
            if self.rng.random() < 0.4
            else (self.faker.last_name_male() if sex == "L" else self.faker.last_name_female())
        )
        name = f"{first} {last}"
        if position and position.startswith("Dokter"):
            return f"dr. {name}"
        if position and position.startswith(("Perawat", "Bidan")):
            return name + self.rng.choice(
                [", A.Md.Kep.", ", S.Kep., Ns."] if position[0] == "P" else [", A.Md.Keb."]
            )
        if tier == "head":
            return name + self.rng.choice(_HEAD_DEGREES)
        if tier == "middle":
            return name + self.rng.choice(_HEAD_DEGREES[:4] + [", S.E.", ", S.Sos."])
        return name + self.rng.choice(_STAFF_DEGREES)

    def _birth(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(last_year, 12, 31) - start).days + 1))

    def nik(self, kecamatan: str, birth: date, sex: str) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        while True:
            value = (
                f"{kecamatan.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
                f"{self.rng.randint(1, 4999):04d}"
            )
            if value not in self._niks:
                self._niks.add(value)
                return value

    def _serial_for(self, prefix: str) -> str:
        while True:
            self._serial = self._serial % 999 + 1
            value = f"{prefix}{self._serial:03d}"
            if value not in self._nips:
                self._nips.add(value)
                return value

    def nip(self, birth: date, tmt: date, sex: str) -> str:
        """PNS: YYYYMMDD birth + YYYYMM TMT CPNS + sex digit + serial."""
        return self._serial_for(f"{birth:%Y%m%d}{tmt:%Y%m}{1 if sex == 'L' else 2}")

    def person(
        self,
        *,
        unit: UnitSpec,
        position: str | None,
        tier: str,
        kind: str | None = None,
        home_kecamatan: str | None = None,
    ) -> PersonSpec:
        rng = self.rng
        sex = "L" if rng.random() < (0.62 if tier != "staff" else 0.48) else "P"
        if position and position.startswith("Bidan"):
            sex = "P"
        if kind is None:
            roll = rng.random()
            if unit.non_asn_only:
                kind = "non_asn"
            elif tier != "staff":
                kind = "pns"
            elif unit.kind in {"puskesmas", "rsud"}:
                kind = "pns" if roll < 0.62 else "pppk" if roll < 0.9 else "non_asn"
            else:
                kind = "pns" if roll < 0.8 else "pppk" if roll < 0.92 else "non_asn"
        ranges = {"head": (1970, 1979), "middle": (1972, 1988), "staff": (1971, 2001)}
        birth = self._birth(*ranges[tier])
        latest_tmt = date(min(self.today.year - 1, 2025), 3, 1)
        if kind == "pns":
            age = rng.randint(20, 29) if tier == "staff" else rng.randint(22, 27)
            tmt = date(min(birth.year + age, latest_tmt.year), rng.choice([1, 3, 4, 12]), 1)
            tmt = min(tmt, latest_tmt)
            if tmt.year - birth.year < 19:  # born too late for this TMT: re-roll the birth year
                birth = birth.replace(year=tmt.year - 22, day=min(birth.day, 28))
            nip = self.nip(birth, tmt, sex)
            start = tmt
        elif kind == "pppk":
            tmt = date(rng.choice([2022, 2023, 2024, 2025]), rng.choice([1, 3, 4, 10]), 1)
            tmt = min(tmt, latest_tmt)
            nip = self._serial_for(f"{birth:%Y%m%d}{tmt:%Y%m}{1 if sex == 'L' else 2}")
            start = tmt
        else:
            nip = None
            start = date(rng.randint(2012, 2024), rng.randint(1, 12), 1)
        if home_kecamatan is None:
            local = unit.region[:8] if len(unit.region) >= 8 else self.capital
            home_kecamatan = local if rng.random() < 0.7 else rng.choice(self.kecamatan_codes)
        return PersonSpec(
            key=self.nik(home_kecamatan, birth, sex),
            name=self._name(sex, position, tier),
            sex=sex,
            birth_date=birth,
            birth_place=rng.choice(_BIRTH_PLACES),
            kind=kind,
            nip=nip,
            employment_start=start,
            unit=unit.code,
            position=position,
            tier=tier,
            phone=f"+628{rng.choice(_MOBILE_PREFIXES)}{rng.randint(10**7, 10**8 - 1)}",
        )


@dataclass
class DemoPlan:
    units: list[UnitSpec]
    people: list[PersonSpec]
    heads: dict[str, str] = field(default_factory=dict)  # unit code -> NIK of the head
    middles: dict[str, list[str]] = field(default_factory=dict)
    staff: dict[str, list[str]] = field(default_factory=dict)


def build_people(units: list[UnitSpec], factory: PeopleFactory, *, staff_scale: float = 1.0) -> DemoPlan:
    """The people of ``units`` with a supervisor chain: head → middle managers → staff (round robin);
    a unit's head reports to the head of ``head_reports_to``."""
    plan = DemoPlan(units=units, people=[])
    for unit in units:
        head = factory.person(unit=unit, position=unit.head, tier="head")
        plan.people.append(head)
        plan.heads[unit.code] = head.key
        middles = []
        for position in unit.middle:
            person = factory.person(unit=unit, position=position, tier="middle")
            person.supervisor = head.key
            plan.people.append(person)
            middles.append(person.key)
        plan.middles[unit.code] = middles
        count = max(1, round(unit.staff * staff_scale))
        staff = []
        for index in range(count):
            positions = unit.staff_positions
            position = positions[index % len(positions)] if positions else None
            person = factory.person(unit=unit, position=position, tier="staff")
            person.supervisor = middles[index % len(middles)] if middles else head.key
            plan.people.append(person)
            staff.append(person.key)
        plan.staff[unit.code] = staff
    for unit in units:
        if unit.head_reports_to and unit.head_reports_to in plan.heads:
            head = next(p for p in plan.people if p.key == plan.heads[unit.code])
            head.supervisor = plan.heads[unit.head_reports_to]
    return plan


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: str  # layan.core.roles.Role value; "pegawai"/"atasan" are derived (no assignment)
    full_name: str = ""
    scope_region: str = ""
    scope_unit: str = ""  # unit code
    employee: tuple[str, str, int] | None = None  # (unit code, tier, index) of the linked employee


ACCOUNTS: list[AccountSpec] = [
    AccountSpec(
        "admin.sistem", "admin_sistem", scope_region=REGION_PREFIX, employee=("DISKOMINFO", "staff", 0)
    ),
    AccountSpec(
        "admin.bkpsdm", "admin_bkpsdm", scope_region=REGION_PREFIX, employee=("BKPSDM-MUTASI", "staff", 0)
    ),
    AccountSpec("bupati", "pimpinan", full_name="Bupati Banggai (demo)", scope_region=REGION_PREFIX),
    AccountSpec("kepala.unit", "kepala_unit", scope_unit="DINKES", employee=("DINKES", "head", 0)),
    AccountSpec("camat.luwuk", "camat", scope_region="72.01.04", employee=("KEC-LUWUK", "head", 0)),
    AccountSpec("lurah.luwuk", "lurah", scope_region="72.01.04.1009", employee=("KEL-LUWUK", "head", 0)),
    AccountSpec(
        "kades.nonong", "kepala_desa", scope_region="72.01.01.2002", employee=("DESA-NONONG", "head", 0)
    ),
    AccountSpec(
        "operator.pengaduan",
        "operator_pengaduan",
        scope_region=REGION_PREFIX,
        employee=("DISKOMINFO", "staff", 2),
    ),
    AccountSpec(
        "petugas.bansos", "petugas_bansos", scope_region=REGION_PREFIX, employee=("DINSOS", "staff", 0)
    ),
    AccountSpec(
        "operator.desa", "operator_desa", scope_region="72.01.01.2002", employee=("DESA-NONONG", "staff", 0)
    ),
    AccountSpec(
        "nakes.luwuk", "tenaga_kesehatan", scope_region="72.01.04", employee=("PKM-LUWUK", "staff", 1)
    ),
    # Derived roles: an ordinary employee, and the Kepala Bidang who supervises them.
    AccountSpec("pegawai", "pegawai", employee=("DISKOMINFO", "staff", 1)),
    AccountSpec("atasan", "atasan", employee=("DISKOMINFO", "middle", 1)),
]

# Cuti bersama 2026 (SKB 3 Menteri, September 2025). The calendar adds only those the ``holidays``
# package does not already know, so an upgrade of the package never doubles a day.
CUTI_BERSAMA_2026 = [
    (date(2026, 2, 16), "Cuti Bersama Tahun Baru Imlek"),
    (date(2026, 3, 18), "Cuti Bersama Hari Suci Nyepi"),
    (date(2026, 3, 20), "Cuti Bersama Hari Raya Idul Fitri"),
    (date(2026, 3, 23), "Cuti Bersama Hari Raya Idul Fitri"),
    (date(2026, 3, 24), "Cuti Bersama Hari Raya Idul Fitri"),
    (date(2026, 5, 15), "Cuti Bersama Kenaikan Yesus Kristus"),
    (date(2026, 5, 28), "Cuti Bersama Hari Raya Idul Adha"),
    (date(2026, 12, 24), "Cuti Bersama Hari Raya Natal"),
]


def demo_plan() -> DemoPlan:
    return build_people(UNITS, PeopleFactory(SEED))


def account_employee_key(plan: DemoPlan, spec: AccountSpec) -> str | None:
    if spec.employee is None:
        return None
    unit, tier, index = spec.employee
    if tier == "head":
        return plan.heads[unit]
    if tier == "middle":
        return plan.middles[unit][index]
    return plan.staff[unit][index]


# --- loading ------------------------------------------------------------------------------------------------


class DemoRefused(Exception):
    """The demo must never run against a production database (fictional people, a known password)."""


@dataclass
class LoadedAccount:
    username: str
    role: str
    scope: str
    nip: str
    totp_secret: str  # base32, for an authenticator app; empty when the role needs no second factor
    totp_now: str


@dataclass
class DemoResult:
    created: dict[str, int]
    accounts: list[LoadedAccount]
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _ensure_positions() -> dict[str, object]:
    from layan.org import services as org_services
    from layan.org.models import Position

    existing = {(p.name, p.kelas_jabatan): p for p in Position.objects.all()}
    positions, created = {}, 0
    for name, (kind, kelas) in POSITIONS.items():
        position = existing.get((name, kelas))
        if position is None:
            position = org_services.position_create(actor=None, name=name, kind=kind, kelas_jabatan=kelas)
            created += 1
        positions[name] = position
    return {"positions": positions, "created": created}


def _ensure_units() -> dict[str, object]:
    from layan.org import services as org_services
    from layan.org.models import Unit

    rng = random.Random(SEED + 1)
    existing = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in UNITS])}
    units, created, locations = {}, 0, 0
    with_location = set(
        Unit.objects.filter(code__in=[s.code for s in UNITS], locations__isnull=False).values_list(
            "code", flat=True
        )
    )
    for spec in UNITS:
        latitude, longitude = unit_location(spec, rng)  # drawn every time: the sequence stays the same
        unit = existing.get(spec.code)
        if unit is None:
            unit = org_services.unit_create(
                actor=None,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                region=spec.region,
                parent=units.get(spec.parent),
            )
            created += 1
        if spec.code not in with_location:
            org_services.office_location_create(
                actor=None,
                unit=unit,
                name=f"Kantor {spec.name}",
                latitude=latitude,
                longitude=longitude,
                radius_m=100,
            )
            locations += 1
        units[spec.code] = unit
    return {"units": units, "created": created, "locations": locations}


def _ensure_employees(plan: DemoPlan, units: dict, positions: dict) -> dict[str, object]:
    """Bulk insert of the people not yet there (the demo's one large write), each with its audit event."""
    from layan.core.audit import changes_between, snapshot
    from layan.core.models import AuditEvent
    from layan.core.personal_data import keyed_hash
    from layan.org.models import Employee

    hashes = {p.key: keyed_hash(p.key) for p in plan.people}
    present = set(Employee.objects.filter(nik_hash__in=hashes.values()).values_list("nik_hash", flat=True))
    missing = [p for p in plan.people if hashes[p.key] not in present]
    new = [
        Employee(
            kind=p.kind,
            nip=p.nip,
            name=p.name,
            nik=p.key,
            sex=p.sex,
            birth_date=p.birth_date,
            birth_place=p.birth_place,
            phone=p.phone,
            unit=units[p.unit],
            position=positions[p.position] if p.position else None,
            employment_start=p.employment_start,
        )
        for p in missing
    ]
    Employee.objects.bulk_create(new, batch_size=250)
    ids = dict(Employee.objects.filter(nik_hash__in=hashes.values()).values_list("nik_hash", "id"))
    # Supervisors only for the people created now: an edit made since the last load is kept.
    chain = []
    for person, employee in zip(missing, new, strict=True):
        employee.pk = employee.pk or ids[hashes[person.key]]
        if person.supervisor:
            employee.supervisor_id = ids[hashes[person.supervisor]]
            chain.append(employee)
    Employee.objects.bulk_update(chain, ["supervisor"], batch_size=250)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_label="sistem",
                action="org.employee_create",
                object_type="org.employee",
                object_id=str(e.pk),
                object_repr=str(e)[:255],
                changes=changes_between({}, snapshot(e)),
                note="load_demo",
                subject_hash=e.nik_hash,
            )
            for e in new
        ],
        batch_size=250,
    )
    return {"ids": {key: ids[h] for key, h in hashes.items()}, "created": len(new)}


def _totp(user) -> tuple[str, str]:
    from base64 import b32encode

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        return "", ""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return b32encode(device.bin_key).decode(), f"{code:0{device.digits}d}"


def _ensure_accounts(plan: DemoPlan, units: dict, employee_ids: dict) -> dict[str, object]:
    from layan.accounts.validators import DEMO_PASSWORD
    from layan.core.audit import audit_write, snapshot
    from layan.core.models import User
    from layan.core.roles import PRIVILEGED_ROLES, Role
    from layan.org.models import Employee

    created = 0
    for spec in ACCOUNTS:
        if User.objects.filter(username=spec.username).exists():
            continue
        key = account_employee_key(plan, spec)
        employee = Employee.objects.get(pk=employee_ids[key]) if key else None
        full_name = spec.full_name or (employee.name if employee else spec.username)
        user = _account_create(username=spec.username, full_name=full_name, password=DEMO_PASSWORD)
        if employee is not None:
            before = snapshot(employee, ["user"])
            Employee.objects.filter(pk=employee.pk).update(user=user)
            employee.user = user
            audit_write(
                actor=None,
                action="org.employee_link_user",
                instance=employee,
                before=before,
                after=snapshot(employee, ["user"]),
                note="load_demo",
            )
        if spec.role not in {Role.PEGAWAI, Role.ATASAN}:
            _role_grant(
                user=user,
                role=spec.role,
                scope_region=spec.scope_region,
                scope_unit=units.get(spec.scope_unit),
            )
        if spec.role in PRIVILEGED_ROLES:
            _totp_device_create(user)
        created += 1
    return {"created": created}


def _ensure_days_off() -> int:
    from layan.core import calendar, services
    from layan.core.models import DayOff, User

    known = calendar._national_holidays(2026)  # noqa: SLF001 - the package's own list, before our rows
    missing = [
        (d, n)
        for d, n in CUTI_BERSAMA_2026
        if d not in known and not DayOff.objects.filter(date=d, region_prefix="").exists()
    ]
    admin = User.objects.get(username="admin.sistem")
    for day, name in missing:
        services.day_off_create(
            actor=admin,
            date=day,
            name=name,
            kind=DayOff.Kind.CUTI_BERSAMA,
            legal_basis="SKB Menteri Agama, Menteri Ketenagakerjaan dan MenPAN-RB 2025",
        )
    return len(missing)


def loaded_accounts(plan: DemoPlan | None = None) -> list[LoadedAccount]:
    from layan.core.models import User

    users = {
        u.username: u
        for u in User.objects.filter(username__in=[a.username for a in ACCOUNTS]).select_related("employee")
    }
    rows = []
    for spec in ACCOUNTS:
        user = users.get(spec.username)
        if user is None:
            continue
        employee = getattr(user, "employee", None)
        secret, now = _totp(user)
        scope = spec.scope_region or spec.scope_unit or ("diri sendiri" if spec.role == "pegawai" else "tim")
        rows.append(
            LoadedAccount(
                spec.username, spec.role, scope, (employee.nip or "") if employee else "", secret, now
            )
        )
    return rows


def demo_load() -> DemoResult:
    """Load the demo kabupaten; a second call changes nothing. Refused in production."""
    import time

    from django.conf import settings
    from django.db import transaction

    from layan.regions.services import regions_load_bundled

    if settings.PRODUCTION:
        raise DemoRefused(
            "Data demo tidak boleh dimuat dalam mode produksi (LAYAN_MODE=production): "
            "isinya orang fiktif dan akunnya memakai kata sandi demo yang diketahui umum."
        )
    started = time.perf_counter()
    plan = demo_plan()
    with transaction.atomic():
        region_counts = regions_load_bundled(actor=None, prefix=REGION_PREFIX)
        positions = _ensure_positions()
        units = _ensure_units()
        employees = _ensure_employees(plan, units["units"], positions["positions"])
        accounts = _ensure_accounts(plan, units["units"], employees["ids"])
        days_off = _ensure_days_off()
    created = {
        "regions": region_counts.get("created", 0),
        "positions": positions["created"],
        "units": units["created"],
        "office_locations": units["locations"],
        "employees": employees["created"],
        "accounts": accounts["created"],
        "days_off": days_off,
    }
    return DemoResult(
        created=created, accounts=loaded_accounts(plan), seconds=round(time.perf_counter() - started, 2)
    )


def _account_create(*, username: str, full_name: str, password: str):
    """Through the accounts service (validation, audit by "sistem"), then marked as a demo account."""
    from layan.accounts.services import USER_AUDIT_FIELDS, user_create
    from layan.core.audit import audit_write, snapshot
    from layan.core.models import User

    user = user_create(actor=None, username=username, full_name=full_name, password=password)
    before = snapshot(user, USER_AUDIT_FIELDS)
    User.objects.filter(pk=user.pk).update(is_demo=True)
    user.is_demo = True
    audit_write(
        actor=None,
        action="user.mark_demo",
        instance=user,
        before=before,
        after=snapshot(user, USER_AUDIT_FIELDS),
        note="load_demo",
    )
    return user


def _role_grant(*, user, role: str, scope_region: str, scope_unit):
    from layan.accounts.services import role_assign

    return role_assign(
        actor=None,
        user=user,
        role=role,
        scope_region=scope_region,
        scope_unit=scope_unit,
        valid_from=DEMO_ROLES_FROM,
        note="load_demo",
    )


def _totp_device_create(user):
    """A confirmed authenticator whose secret ``load_demo`` prints, so the demo's privileged accounts can log
    in at once (a real account confirms its own device with a code: accounts.services.totp_device_confirm)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from layan.accounts.services import DEVICE_AUDIT_FIELDS
    from layan.core.audit import audit_write, snapshot

    device = TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
    audit_write(
        actor=None,
        action="otp.totp_demo",
        instance=device,
        after=snapshot(device, DEVICE_AUDIT_FIELDS),
        note="load_demo",
    )
    return device
