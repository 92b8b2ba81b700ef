"""Foundation benchmark (``make bench`` = ``python -m bench.run``).

Builds, in a temporary database, a kabupaten (Banggai, 7,000 employees in ~200 units in realistic
proportions: teachers, health workers, OPD staff, kecamatan and kelurahan offices) and then the rest of its
province (Sulawesi Tengah, 70,000 employees), and measures what every page of personal data pays for:

- the scoped employee list (first page + count) for a camat, a kepala unit (unit subtree), the kabupaten's
  BKPSDM and a province-wide admin — through ``layan.org.selectors.employees_visible_to``, the real selector;
- a name search inside that list;
- the region prefix query (everything under a kabupaten / the province);
- ``load_demo`` on an empty database (first run) and again (the idempotent re-run).

Runs on a temporary SQLite file always, and on PostgreSQL too when DATABASE_URL points to one (a temporary
database is created there and dropped afterwards). Each backend runs in its own process because Django's
settings are read once per process. Results: bench/results/foundation.json and a table on stdout.
Numbers are for the issue note; no test asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
KABUPATEN = "72.01"
PROVINCE = "72"
KABUPATEN_EMPLOYEES = 7_000
PROVINCE_EMPLOYEES = 70_000
REPEATS = 7

# Share of a kabupaten's employees by kind of unit (BKN statistics: teachers are about half of regional
# ASN, health workers a fifth; the rest is spread over the OPD, kecamatan and kelurahan offices).
SHARES = {
    "upt_pendidikan": 0.45,
    "puskesmas": 0.12,
    "rsud": 0.07,
    "opd": 0.26,
    "kecamatan": 0.07,
    "kelurahan": 0.03,
}
OPD = [
    ("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", "dinas"),
    ("DINKES", "Dinas Kesehatan", "dinas"),
    ("DINSOS", "Dinas Sosial", "dinas"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "dinas"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "dinas"),
    ("DISHUB", "Dinas Perhubungan", "dinas"),
    ("DLH", "Dinas Lingkungan Hidup", "dinas"),
    ("DISNAKER", "Dinas Tenaga Kerja dan Transmigrasi", "dinas"),
    ("DPPKB", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "dinas"),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "dinas"),
    ("DISKOPUKM", "Dinas Koperasi dan UKM", "dinas"),
    ("DPMPTSP", "Dinas Penanaman Modal dan PTSP", "dinas"),
    ("DISPAR", "Dinas Pariwisata", "dinas"),
    ("DISPORA", "Dinas Pemuda dan Olahraga", "dinas"),
    ("DISTAN", "Dinas Pertanian", "dinas"),
    ("DISKAN", "Dinas Kelautan dan Perikanan", "dinas"),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", "dinas"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "dinas"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "badan"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan"),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan"),
    ("BAPENDA", "Badan Pendapatan Daerah", "badan"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan"),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "badan"),
]
BAGIAN = ["Pemerintahan", "Hukum", "Organisasi", "Perekonomian", "Kesra", "Umum", "Protokol", "Pengadaan"]
# Big OPD get bidang as their own units (so a kepala unit's subtree is more than one unit).
BIDANG_OF = [
    "DISDIKBUD",
    "DINKES",
    "DPUPR",
    "DINSOS",
    "BKPSDM",
    "BPKAD",
    "DISTAN",
    "DPMD",
    "DISDUKCAPIL",
    "BAPPEDA",
]
EXTRA_POSITIONS = {
    "Guru Ahli Pertama": ("fungsional", 8),
    "Guru Ahli Muda": ("fungsional", 10),
    "Kepala UPT": ("struktural", 9),
}


# --- parent: one child process per backend ------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--kabupaten", type=int, default=KABUPATEN_EMPLOYEES)
    parser.add_argument("--province", type=int, default=PROVINCE_EMPLOYEES)
    parser.add_argument(
        "--results", type=Path, default=RESULTS / "foundation.json", help="where to write the JSON"
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.out), args.kabupaten, args.province)
        return

    backends = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        backends.append("postgresql")
    report = {
        "benchmark": "foundation",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            # Other load on the machine inflates every number: recorded so results can be compared fairly.
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "sizes": {"kabupaten_employees": args.kabupaten, "province_employees": args.province},
        "backends": {},
    }
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix=f"layan-bench-{backend}-") as tmp:
            out = Path(tmp) / "result.json"
            env = dict(os.environ, LAYAN_MODE="test", LAYAN_VAR_DIR=tmp)
            command = [
                sys.executable,
                "-m",
                "bench.run",
                "--child",
                backend,
                "--out",
                str(out),
                "--kabupaten",
                str(args.kabupaten),
                "--province",
                str(args.province),
            ]
            print(f"== {backend}", flush=True)
            subprocess.run(command, cwd=ROOT, env=env, check=True)
            report["backends"][backend] = json.loads(out.read_text())
    target = args.results.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print_table(report)
    print(f"\nResults written to {target}")


def print_table(report: dict) -> None:
    print()
    header = (
        f"{'backend':<11} {'data set':<10} {'measurement':<60} {'rows':>7} {'median ms':>10} {'max ms':>9}"
    )
    print(header)
    print("-" * len(header))
    for backend, result in report["backends"].items():
        for row in result["measurements"]:
            print(
                f"{backend:<11} {row['data_set']:<10} {row['name']:<60} {row['rows']:>7} "
                f"{row['median_ms']:>10.2f} {row['max_ms']:>9.2f}"
            )
        for name, seconds in result["timings_s"].items():
            print(f"{backend:<11} {'':<10} {name:<60} {'':>7} {seconds * 1000:>10.0f}")


# --- child: one backend -------------------------------------------------------------------------------------


def _postgres_database(base_url: str) -> tuple[str, str, Callable[[], None]]:
    """A fresh database on the server DATABASE_URL names; returns (url, name, drop)."""
    import psycopg

    name = f"layan_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base_url.rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, name, drop


def child(backend: str, out: Path, kabupaten_size: int, province_size: int) -> None:
    drop = None
    tmp = Path(os.environ["LAYAN_VAR_DIR"])
    if backend == "postgresql":
        base = os.environ["DATABASE_URL"].split("?")[0]
        url, _name, drop = _postgres_database(base)
        os.environ["DATABASE_URL"] = url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        result = run_backend(kabupaten_size, province_size)
        result["timings_s"].update(measure_load_demo())
    finally:
        if drop is not None:
            drop()
    result["database"] = backend
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(name: str, data_set: str, fn) -> dict:
    """Median and max of REPEATS runs after one warm-up; ``fn`` returns the number of rows it read."""
    rows = fn()
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "name": name,
        "data_set": data_set,
        "rows": rows,
        "median_ms": round(statistics.median(samples), 3),
        "max_ms": round(max(samples), 3),
        "min_ms": round(min(samples), 3),
    }


def run_backend(kabupaten_size: int, province_size: int) -> dict:
    from django.core.management import call_command

    from layan.core.demo import PeopleFactory
    from layan.regions.services import regions_load_bundled

    timings: dict[str, float] = {}
    timings["migrate"] = timed(lambda: call_command("migrate", verbosity=0))
    timings["regions_load_bundled(prefix=72)"] = timed(
        lambda: regions_load_bundled(actor=None, prefix=PROVINCE)
    )
    positions = ensure_positions()
    measurements: list[dict] = []

    started = time.perf_counter()
    factory = PeopleFactory(2026)
    generate_kabupaten(KABUPATEN, kabupaten_size, positions, factory)
    timings[f"generate kabupaten ({kabupaten_size} employees)"] = time.perf_counter() - started
    actors = make_actors()
    measurements += measure_queries(actors, "kabupaten")

    from layan.regions.models import Region

    others = list(
        Region.objects.filter(level=2, code__startswith=f"{PROVINCE}.")
        .exclude(code=KABUPATEN)
        .order_by("code")
        .values_list("code", flat=True)
    )
    each = max(1, (province_size - kabupaten_size) // max(1, len(others)))
    started = time.perf_counter()
    for code in others:
        generate_kabupaten(code, each, positions, factory)
    timings[f"generate rest of province ({each * len(others)} employees)"] = time.perf_counter() - started
    measurements += measure_queries(actors, "province")

    from layan.org.models import Employee, Unit

    return {
        "counts": {
            "units": Unit.objects.count(),
            "employees": Employee.objects.count(),
            "regions": Region.objects.count(),
        },
        "measurements": measurements,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }


def ensure_positions() -> dict:
    from layan.core.demo import POSITIONS
    from layan.org.models import Position

    wanted = {**POSITIONS, **EXTRA_POSITIONS}
    Position.objects.bulk_create(
        [Position(name=name, kind=kind, kelas_jabatan=kelas) for name, (kind, kelas) in wanted.items()],
        ignore_conflicts=True,
    )
    return {p.name: p for p in Position.objects.all()}


def kabupaten_units(code: str, total: int) -> list:
    """~200 units for a kabupaten, staffed so that the kinds of unit hold SHARES of ``total``."""
    from layan.core.demo import UnitSpec
    from layan.regions.models import Region

    kecamatan = list(Region.objects.filter(level=3, code__startswith=f"{code}.").order_by("code"))
    kelurahan = [
        r
        for r in Region.objects.filter(level=4, code__startswith=f"{code}.").order_by("code")
        if r.code[9] == "1"
    ][:50]
    p = code.replace(".", "")
    general = ("Pengelola Data", "Pengadministrasi Umum", "Pengelola Keuangan", "Pengemudi", "Pramu Bakti")
    health = (
        "Dokter Ahli Pertama",
        "Perawat Ahli Pertama",
        "Perawat Terampil",
        "Bidan Terampil",
        "Apoteker Ahli Pertama",
        "Pengadministrasi Umum",
    )
    teachers = ("Guru Ahli Pertama", "Guru Ahli Pertama", "Guru Ahli Muda", "Pengadministrasi Umum")
    setda = f"{p}-SETDA"

    def spec(suffix, name, kind, region, parent, head, middle, staff, positions=general, reports=setda):
        return UnitSpec(
            f"{p}-{suffix}",
            name,
            kind,
            region,
            parent and f"{p}-{parent}",
            head,
            middle,
            max(1, staff),
            positions,
            reports,
        )

    groups: dict[str, list] = {k: [] for k in SHARES}
    units = [
        spec(
            "SETDA",
            "Sekretariat Daerah",
            "setda",
            code,
            None,
            "Sekretaris Daerah",
            ("Kepala Subbagian",),
            0,
            reports=None,
        )
    ]
    groups["opd"].append(units[0])
    for bagian in BAGIAN:
        units.append(
            spec(
                f"SETDA-{bagian[:4].upper()}",
                f"Bagian {bagian}",
                "bagian",
                code,
                "SETDA",
                "Kepala Bagian",
                ("Kepala Subbagian", "Kepala Subbagian"),
                0,
            )
        )
        groups["opd"].append(units[-1])
    for suffix, name, kind in [
        ("SETWAN", "Sekretariat DPRD", "setwan"),
        ("INSP", "Inspektorat", "inspektorat"),
    ]:
        units.append(
            spec(
                suffix,
                name,
                kind,
                code,
                None,
                "Sekretaris DPRD" if kind == "setwan" else "Inspektur",
                ("Kepala Bagian", "Kepala Bagian"),
                0,
            )
        )
        groups["opd"].append(units[-1])
    for suffix, name, kind in OPD:
        units.append(
            spec(
                suffix,
                name,
                kind,
                code,
                None,
                "Kepala Badan" if kind == "badan" else "Kepala Dinas",
                ("Sekretaris", "Kepala Bidang", "Kepala Bidang"),
                0,
            )
        )
        groups["opd"].append(units[-1])
        if suffix in BIDANG_OF:
            for number in (1, 2, 3):
                units.append(
                    spec(
                        f"{suffix}-B{number}",
                        f"Bidang {number} {name}",
                        "bagian",
                        code,
                        suffix,
                        "Kepala Bidang",
                        ("Kepala Seksi",),
                        0,
                        reports=f"{p}-{suffix}",
                    )
                )
                groups["opd"].append(units[-1])
    for kec in kecamatan:
        short = kec.code[-2:]
        units.append(
            spec(
                f"KEC{short}",
                f"Kecamatan {kec.name}",
                "kecamatan",
                kec.code,
                None,
                "Camat",
                ("Sekretaris Camat", "Kepala Seksi", "Kepala Seksi"),
                0,
            )
        )
        groups["kecamatan"].append(units[-1])
        units.append(
            spec(
                f"PKM{short}",
                f"Puskesmas {kec.name}",
                "puskesmas",
                kec.code,
                "DINKES",
                "Kepala Puskesmas",
                ("Kepala Subbagian",),
                0,
                health,
                f"{p}-DINKES",
            )
        )
        groups["puskesmas"].append(units[-1])
        units.append(
            spec(
                f"UPTP{short}",
                f"UPT Pendidikan {kec.name}",
                "upt",
                kec.code,
                "DISDIKBUD",
                "Kepala UPT",
                ("Kepala Subbagian",),
                0,
                teachers,
                f"{p}-DISDIKBUD",
            )
        )
        groups["upt_pendidikan"].append(units[-1])
    for kel in kelurahan:
        office = next(u for u in units if u.kind == "kecamatan" and u.region == kel.code[:8])
        units.append(
            spec(
                f"KEL{kel.code[-7:].replace('.', '')}",
                f"Kelurahan {kel.name}",
                "kelurahan",
                kel.code,
                office.code.split("-", 1)[1],
                "Lurah",
                ("Sekretaris Kelurahan",),
                0,
                reports=office.code,
            )
        )
        groups["kelurahan"].append(units[-1])
    units.append(
        spec(
            "RSUD",
            "RSUD",
            "rsud",
            code,
            "DINKES",
            "Direktur RSUD",
            ("Kepala Bidang", "Kepala Bidang", "Kepala Bidang"),
            0,
            health,
            f"{p}-DINKES",
        )
    )
    groups["rsud"].append(units[-1])
    # Staff counts: each group's share, minus its heads and middle managers, spread evenly over its units.
    staffed = {}
    for group, members in groups.items():
        if not members:
            continue
        managers = sum(1 + len(u.middle) for u in members)
        staff = max(len(members), round(total * SHARES[group]) - managers)
        for index, unit in enumerate(members):
            staffed[unit.code] = staff // len(members) + (1 if index < staff % len(members) else 0)
    return [_with_staff(u, staffed[u.code]) for u in units]


def _with_staff(unit, staff: int):
    from dataclasses import replace

    return replace(unit, staff=staff)


def generate_kabupaten(code: str, total: int, positions: dict, factory) -> None:
    """Units (bulk, with materialised paths) and employees (bulk, NIK encrypted + keyed hash).

    One ``PeopleFactory`` serves the whole province so that NIP and NIK stay unique across kabupaten."""
    from django.db import transaction

    from layan.core.demo import build_people
    from layan.org.models import Employee, Unit
    from layan.regions.models import Region

    specs = kabupaten_units(code, total)
    kecamatan = list(
        Region.objects.filter(level=3, code__startswith=f"{code}.").values_list("code", flat=True)
    )
    factory.kecamatan_codes = sorted(kecamatan)
    factory.capital = min(kecamatan)
    plan = build_people(specs, factory)
    with transaction.atomic():
        units: dict[str, Unit] = {}
        for depth in range(4):  # parents before children: a child's path needs its parent's id
            level = [s for s in specs if _depth(s, specs) == depth]
            created = Unit.objects.bulk_create(
                [
                    Unit(
                        code=s.code,
                        name=s.name,
                        kind=s.kind,
                        region_id=s.region,
                        parent=units.get(s.parent) if s.parent else None,
                    )
                    for s in level
                ]
            )
            if any(u.pk is None for u in created):
                by_code = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in level])}
                created = [by_code[s.code] for s in level]
            for unit in created:
                unit.path = f"{unit.parent.path if unit.parent_id else '/'}{unit.pk}/"
                units[unit.code] = unit
            Unit.objects.bulk_update(created, ["path"])
        # Supervisors come first (tiers: heads, heads reporting to a head, middle managers, staff), so each
        # row is inserted with its supervisor's id: no second pass over 70,000 rows.
        by_key = {p.key: p for p in plan.people}
        tiers: dict[int, list] = {}
        for person in plan.people:
            depth, current = 0, person
            while current.supervisor:
                depth += 1
                current = by_key[current.supervisor]
            tiers.setdefault(depth, []).append(person)
        ids: dict[str, int] = {}
        for depth in sorted(tiers):
            rows = [
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
                    position=positions.get(p.position) if p.position else None,
                    supervisor_id=ids[p.supervisor] if p.supervisor else None,
                    employment_start=p.employment_start,
                )
                for p in tiers[depth]
            ]
            Employee.objects.bulk_create(rows, batch_size=1000)
            if any(row.pk is None for row in rows):  # a backend without RETURNING: read the ids back
                from layan.core.personal_data import keyed_hash

                found = dict(
                    Employee.objects.filter(
                        nik_hash__in=[keyed_hash(p.key) for p in tiers[depth]]
                    ).values_list("nik_hash", "id")
                )
                ids.update({p.key: found[keyed_hash(p.key)] for p in tiers[depth]})
            else:
                ids.update({p.key: row.pk for p, row in zip(tiers[depth], rows, strict=True)})


def _depth(spec, specs) -> int:
    by_code = {s.code: s for s in specs}
    depth, current = 0, spec
    while current.parent:
        depth += 1
        current = by_code[current.parent]
    return depth


def make_actors() -> dict:
    from datetime import date

    from layan.core.models import RoleAssignment, User
    from layan.org.models import Unit

    def actor(username, role, *, region="", unit=None):
        user = User.objects.create(username=username, full_name=username)
        RoleAssignment.objects.create(
            user=user, role=role, scope_region=region, scope_unit=unit, valid_from=date(2020, 1, 1)
        )
        return user

    return {
        "camat (72.01.04)": actor("bench.camat", "camat", region=f"{KABUPATEN}.04"),
        "kepala unit (Dinkes subtree)": actor(
            "bench.kadinkes", "kepala_unit", unit=Unit.objects.get(code="7201-DINKES")
        ),
        "admin BKPSDM (72.01)": actor("bench.bkpsdm", "admin_bkpsdm", region=KABUPATEN),
        "admin sistem (province 72)": actor("bench.provinsi", "admin_sistem", region=PROVINCE),
    }


def measure_queries(actors: dict, data_set: str) -> list[dict]:
    from django.core.paginator import Paginator

    from layan.core.listing import search_q
    from layan.org.selectors import employees_visible_to
    from layan.regions.selectors import regions_under

    rows = []
    for label, user in actors.items():
        for attr in [a for a in vars(user) if a.startswith("_layan_assignments_")]:
            delattr(user, attr)  # per request in the app: the first request of a user pays for its roles

        def first_page(user=user):
            page = Paginator(employees_visible_to(user), 25).page(1)
            list(page.object_list)
            return page.paginator.count

        def search(user=user):
            qs = employees_visible_to(user).filter(search_q("sari", ["name", "nip"]))
            page = Paginator(qs, 25).page(1)
            list(page.object_list)
            return page.paginator.count

        rows.append(measure(f"employee list p.1 + count: {label}", data_set, first_page))
        rows.append(measure(f"employee search 'sari': {label}", data_set, search))

    def kabupaten_regions():
        return len(list(regions_under(KABUPATEN)))

    def province_villages():
        return regions_under(PROVINCE, level=4).count()

    rows.append(measure("regions under 72.01 (list)", data_set, kabupaten_regions))
    rows.append(measure("desa/kelurahan under 72 (count)", data_set, province_villages))
    return rows


def measure_load_demo() -> dict[str, float]:
    """``load_demo`` on an empty schema and again; the big data set is removed first."""
    from django.core.management import call_command

    from layan.core.demo import demo_load

    call_command("flush", interactive=False, verbosity=0)
    first = timed(demo_load)
    second = timed(demo_load)
    return {"load_demo (empty database)": round(first, 3), "load_demo again (no change)": round(second, 3)}


if __name__ == "__main__":
    main()
