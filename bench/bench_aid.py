"""Aid benchmark: import throughput, duplicate finding (Splink/DuckDB) and its accuracy, coverage page.

    .venv/bin/python -m bench.bench_aid [--residents 300000] [--xlsx-rows 50000] [--skip-linkage]

In a temporary SQLite database (LAYAN_MODE=test, a temporary LAYAN_VAR_DIR):
1. generates a kabupaten population (Banggai's real kecamatan/desa codes; ~3.5 people per family) where
   ~10% of the records are second registrations of a person with realistic corruption: NIK typos (the
   serial kept) and adjacent-digit swaps, missing NIK, name variants (Muhammad/Moh./M., titles, spacing)
   and typos, day/month swaps, address variants, missing KK;
2. imports it from CSV through ``manage.py import_residents`` (rows/s), and a slice from xlsx;
3. runs ``manage.py find_duplicates`` in a child process: wall time and peak memory (its max RSS);
4. exports the pairs (``manage.py export_duplicates``) and scores them against the generator's truth:
   pairwise precision, recall and F1, beside the exact-NIK-only baseline;
5. times the kabupaten coverage query (per desa and per kecamatan) after enrolling ~30% of families.

Results: bench/results/aid.json and a summary on stdout. No test asserts a timing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HEADER = [
    "id_sumber",
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "alamat",
    "rt",
    "rw",
    "kode_desa",
    "pekerjaan",
    "telepon",
    "hubungan_keluarga",
    "lansia",
    "disabilitas",
]
MUHAMMAD = ["Muhammad", "Muhamad", "Moh.", "M.", "Mochammad", "Mohammad"]
TITLES = ["H.", "Hj.", "Drs.", "Ir."]
SUFFIXES = [", S.Pd.", ", S.E.", ", S.H.", ", A.Md."]
STREETS = [
    "Merdeka",
    "Kelapa",
    "Pantai",
    "Sudirman",
    "Pahlawan",
    "Trans Sulawesi",
    "Mangga",
    "Cengkeh",
    "Kakao",
    "Nelayan",
    "Masjid",
    "Pasar",
    "Sawah",
    "Bukit",
    "Veteran",
]
OCCUPATIONS = [
    "Petani",
    "Nelayan",
    "Pedagang",
    "Buruh harian lepas",
    "Ibu rumah tangga",
    "Pelajar",
    "Wiraswasta",
    "Tidak bekerja",
    "Guru honorer",
    "Sopir",
]


# --- generator ----------------------------------------------------------------------------------------


def _names(rng: random.Random):
    from faker import Faker

    fake = Faker("id_ID")
    fake.seed_instance(rng.randrange(1 << 30))
    male = sorted({fake.first_name_male() for _ in range(3000)})
    female = sorted({fake.first_name_female() for _ in range(3000)})
    last = sorted({fake.last_name() for _ in range(3000)})
    places = sorted({fake.city_name() for _ in range(200)})
    return male, female, last, places


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + rng.choice("aiueonrstkml") + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def _nik_typo(rng: random.Random, nik: str) -> str:
    """One digit changed in the first 12 (the serial kept), or two adjacent digits swapped."""
    if rng.random() < 0.6:
        i = rng.randrange(6, 12)
        return nik[:i] + str((int(nik[i]) + rng.randrange(1, 9)) % 10) + nik[i + 1 :]
    i = rng.randrange(0, 11)
    return nik[:i] + nik[i + 1] + nik[i] + nik[i + 2 :]


def generate(n_records: int, desa_codes: list[str], seed: int = 42):
    """Rows for the CSV and the truth: person id per source id."""
    rng = random.Random(seed)
    male, female, last, places = _names(rng)
    n_people = int(n_records / 1.1)
    people = []
    serials: dict[tuple[str, str], int] = {}
    kk_serial = 0
    today = date(2024, 1, 1)
    while len(people) < n_people:
        desa = rng.choice(desa_codes)
        kec = desa[:8].replace(".", "")
        kk_serial += 1
        issued = f"{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}{rng.randrange(5, 24):02d}"
        kk = f"{kec}{issued}{kk_serial % 10000:04d}"
        address = f"Jl. {rng.choice(STREETS)} No. {rng.randrange(1, 200)}"
        rt, rw = f"{rng.randrange(1, 15):03d}", f"{rng.randrange(1, 6):03d}"
        family_name = rng.choice(last)
        size = max(1, min(8, int(rng.gauss(3.5, 1.5))))
        head_birth = today - timedelta(days=rng.randrange(22 * 365, 75 * 365))
        for member in range(size):
            if member == 0:
                sex, birth, relation = "L" if rng.random() < 0.85 else "P", head_birth, "kepala keluarga"
            elif member == 1:
                sex, relation = "P", "istri"
                birth = head_birth + timedelta(days=rng.randrange(-3000, 3000))
            else:
                sex, relation = rng.choice("LP"), "anak"
                birth = head_birth + timedelta(days=rng.randrange(20 * 365, 40 * 365))
                if birth > today:
                    birth = today - timedelta(days=rng.randrange(1, 3650))
            first = rng.choice(male if sex == "L" else female)
            if sex == "L" and rng.random() < 0.12:
                first = "Muhammad " + first
            name = f"{first} {family_name}" if rng.random() < 0.7 else first
            day = birth.day + (40 if sex == "P" else 0)
            key = (kec, birth.isoformat())
            serials[key] = serials.get(key, 0) + 1
            nik = f"{kec}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serials[key]:04d}"
            age = (today - birth).days // 365
            people.append(
                {
                    "nik": nik,
                    "no_kk": kk,
                    "nama": name,
                    "jenis_kelamin": sex,
                    "tempat_lahir": rng.choice(places),
                    "tanggal_lahir": birth.isoformat(),
                    "alamat": address,
                    "rt": rt,
                    "rw": rw,
                    "kode_desa": desa,
                    "pekerjaan": rng.choice(OCCUPATIONS),
                    "telepon": f"08{rng.randrange(10**9, 10**10)}",
                    "hubungan_keluarga": relation,
                    "lansia": "1" if age >= 60 else "0",
                    "disabilitas": "1" if rng.random() < 0.02 else "0",
                }
            )
            if len(people) >= n_people:
                break
    rows, truth = [], {}
    for pid, person in enumerate(people):
        sid = f"R{pid:07d}"
        rows.append({"id_sumber": sid, **person})
        truth[sid] = pid
    n_dups = n_records - len(people)
    for k, pid in enumerate(rng.sample(range(len(people)), n_dups)):
        dup = dict(people[pid])
        r = rng.random
        if r() < 0.25:
            dup["nik"] = ""
        elif r() < 0.35:
            dup["nik"] = _nik_typo(rng, dup["nik"])
        if r() < 0.3:
            words = dup["nama"].split()
            if words[0] == "Muhammad":
                words[0] = rng.choice(MUHAMMAD)
            elif r() < 0.5:
                words.insert(0, rng.choice(TITLES))
            else:
                words[-1] = words[-1] + rng.choice(SUFFIXES)
            dup["nama"] = "  ".join(words) if r() < 0.2 else " ".join(words)
        if r() < 0.3:
            dup["nama"] = _typo(rng, dup["nama"])
        if r() < 0.15:
            y, m, d = dup["tanggal_lahir"].split("-")
            if int(d) <= 12:
                dup["tanggal_lahir"] = f"{y}-{d}-{m}"
        if r() < 0.4:
            dup["alamat"] = dup["alamat"].replace("Jl.", "Jalan").replace("No. ", "")
        if r() < 0.2:
            dup["no_kk"] = ""
        if r() < 0.5:
            dup["tanggal_lahir"] = "-".join(reversed(dup["tanggal_lahir"].split("-")))  # DD-MM-YYYY
        sid = f"D{k:07d}"
        rows.append({"id_sumber": sid, **dup})
        truth[sid] = pid
    rng.shuffle(rows)
    return rows, truth


def truth_pairs(truth: dict[str, int]) -> set[frozenset]:
    by_person: dict[int, list[str]] = {}
    for sid, pid in truth.items():
        by_person.setdefault(pid, []).append(sid)
    pairs = set()
    for ids in by_person.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add(frozenset({a, b}))
    return pairs


def scores(found: set[frozenset], truth: set[frozenset]) -> dict:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(found),
        "true_positives": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


# --- run ----------------------------------------------------------------------------------------------


LAST_CPU: dict[str, float] = {}


def manage(env, *args) -> tuple[float, float, str]:
    """Run manage.py in a child process: (wall seconds, this child's peak RSS in MB, stdout). The child's
    CPU time (user + system) is left in LAST_CPU["seconds"]: on a shared, loaded machine wall time
    overstates what the work costs. ``wait4`` gives this child's own usage (RUSAGE_CHILDREN would give
    the largest of all children so far)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=err
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise subprocess.CalledProcessError(child.returncode, args, out.read(), err.read())
        LAST_CPU["seconds"] = usage.ru_utime + usage.ru_stime
        return seconds, usage.ru_maxrss / 1024, out.read().decode().strip()


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def uptime() -> str:
    """``uptime``'s line: the machine is shared, and its load is part of every figure."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return f"load average: {', '.join(str(x) for x in load_average())}"


def blocking_counts() -> list[dict]:
    """Splink's own count of the comparisons each blocking rule adds (marginal and cumulative)."""
    import duckdb
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from layan.aid.linkage import model_settings, registry_table

    connection = duckdb.connect(":memory:")
    connection.execute("SET threads TO 2")
    frame = DuckDBAPI(connection=connection).register(registry_table(), table_name="residents")
    rules = model_settings(incremental=False)["blocking_rules_to_generate_predictions"]
    records = count_comparisons_from_blocking_rules(
        frame, blocking_rules=rules, link_type="dedupe_only", record_sample_proportion=1.0
    )
    result = []
    for rule, record in zip(rules, records, strict=True):
        data = record if isinstance(record, dict) else vars(record)
        result.append(
            {
                "rule": rule["blocking_rule"],
                "marginal": data.get("marginal_comparison_count", data.get("row_count")),
                "cumulative": data.get("cumulative_comparison_count", data.get("cumulative_rows")),
            }
        )
    connection.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=300_000)
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    parser.add_argument("--skip-linkage", action="store_true")
    parser.add_argument("--skip-coverage", action="store_true")
    parser.add_argument(
        "--blocking", action="store_true", help="print the comparisons each blocking rule generates"
    )
    parser.add_argument(
        "--workdir",
        help="keep the generated data and imported database here; a second run with the same workdir "
        "skips generation and import and starts again from the imported database (linkage tuning)",
    )
    parser.add_argument("--out", default=str(RESULTS / "aid.json"))
    args = parser.parse_args()
    report: dict = {
        "residents": args.residents,
        "machine": {"cpus": os.cpu_count(), "uptime_at_start": uptime()},
    }
    with tempfile.TemporaryDirectory(prefix="layan-bench-aid-") as tmp_dir:
        work = Path(args.workdir or tmp_dir)
        work.mkdir(parents=True, exist_ok=True)
        database = work / "bench.sqlite3"
        pristine = work / "imported.sqlite3"
        truth_path = work / "truth.json"
        reuse = bool(args.workdir) and pristine.exists() and truth_path.exists()
        if reuse:
            shutil.copyfile(pristine, database)
        env = dict(
            os.environ,
            LAYAN_MODE="test",
            LAYAN_VAR_DIR=str(work),
            DATABASE_URL=f"sqlite:///{database}",
            DJANGO_SETTINGS_MODULE="layan.settings",
        )
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        if reuse:
            saved = json.loads(truth_path.read_text())
            truth, nik_of = saved["truth"], saved["nik"]
            report.update(saved["report"])
            report["reused_import_from"] = str(work)
        else:
            truth, nik_of = generate_and_import(args, env, work, report)
            if args.workdir:
                truth_path.write_text(json.dumps({"truth": truth, "nik": nik_of, "report": report}))
                shutil.copyfile(database, pristine)

        truth_set = truth_pairs(truth)
        nik_groups: dict[str, list[str]] = {}
        for sid, nik in nik_of.items():
            if nik:
                nik_groups.setdefault(nik, []).append(sid)
        baseline = {
            frozenset({a, b}) for ids in nik_groups.values() for i, a in enumerate(ids) for b in ids[i + 1 :]
        }
        report["exact_nik_baseline"] = scores(baseline, truth_set)
        print("exact NIK baseline:", report["exact_nik_baseline"], flush=True)

        if args.blocking:
            report["blocking"] = blocking_counts()
            for item in report["blocking"]:
                print(f"{item['marginal']:>12,} {item['cumulative']:>12,}  {item['rule']}", flush=True)

        if not args.skip_linkage:
            seconds, peak, out = manage(env, "find_duplicates")
            report["find_duplicates"] = {
                "seconds": round(seconds, 1),
                "cpu_seconds": round(LAST_CPU["seconds"], 1),
                "peak_mb": round(peak),
                "load_average": load_average(),
                "output": out,
            }
            print("find_duplicates:", report["find_duplicates"], flush=True)
            pairs_path = work / "pairs.csv"
            manage(env, "export_duplicates", str(pairs_path))
            held, suspected = set(), set()
            with open(pairs_path, newline="") as handle:
                for item in csv.DictReader(handle):
                    pair = frozenset({item["id_sumber_1"], item["id_sumber_2"]})
                    # The xlsx slice re-imported rows under new source ids: score on the CSV's ids only.
                    if not all(p in truth for p in pair) or len(pair) < 2:
                        continue
                    (held if item["status"] in {"flagged", "confirmed", "attached"} else suspected).add(pair)
            report["linkage_flagged"] = scores(held, truth_set)
            report["linkage_flagged_and_queued"] = scores(held | suspected, truth_set)
            print("linkage (flagged):", report["linkage_flagged"], flush=True)
            print("linkage (+queued):", report["linkage_flagged_and_queued"], flush=True)

        if not args.skip_coverage:
            report["coverage"] = coverage_timing()
            print("coverage:", report["coverage"], flush=True)
    report["machine"]["uptime_at_end"] = uptime()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = Path(args.out)
    if out.exists():  # notes are written by people: a new run keeps them
        previous = json.loads(out.read_text())
        for key in ("notes", "earlier_runs"):
            if key in previous:
                report[key] = previous[key]
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"written {args.out}")


def generate_and_import(args, env, work: Path, report: dict) -> tuple[dict[str, int], dict[str, str]]:
    from django.core.management import call_command

    from layan.regions.models import Region
    from layan.regions.services import regions_load_bundled

    call_command("migrate", verbosity=0)
    regions_load_bundled(actor=None, prefix="72.01")
    desa = list(Region.objects.filter(code__startswith="72.01.", level=4).values_list("code", flat=True))
    started = time.perf_counter()
    rows, truth = generate(args.residents, desa)
    report["generate_s"] = round(time.perf_counter() - started, 1)
    csv_path = work / "residents.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    report["records"] = len(rows)
    report["desa"] = len(desa)
    report["families"] = len({r["no_kk"] for r in rows if r["no_kk"]})

    seconds, peak, out = manage(env, "import_residents", str(csv_path), "--source", "DTKS")
    report["import_csv"] = {
        "seconds": round(seconds, 1),
        "rows_per_s": round(len(rows) / seconds),
        "cpu_seconds": round(LAST_CPU["seconds"], 1),
        "rows_per_cpu_s": round(len(rows) / LAST_CPU["seconds"]),
        "peak_mb": round(peak),
        "load_average": load_average(),
        "output": out,
    }
    print("import csv:", report["import_csv"], flush=True)

    # xlsx: a slice, under another source name, into the same registry (most rows attach).
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    xlsx_rows = min(args.xlsx_rows, len(rows))
    for row in rows[:xlsx_rows]:
        sheet.append([row[h] for h in HEADER])
    xlsx_path = work / "residents.xlsx"
    workbook.save(xlsx_path)
    seconds, peak, out = manage(env, "import_residents", str(xlsx_path), "--source", "Desa")
    report["import_xlsx"] = {
        "rows": xlsx_rows,
        "seconds": round(seconds, 1),
        "rows_per_s": round(xlsx_rows / seconds),
        "cpu_seconds": round(LAST_CPU["seconds"], 1),
        "rows_per_cpu_s": round(xlsx_rows / LAST_CPU["seconds"]),
        "load_average": load_average(),
        "output": out,
    }
    print("import xlsx:", report["import_xlsx"], flush=True)
    return truth, {row["id_sumber"]: row["nik"] for row in rows}


def coverage_timing() -> dict:
    from layan.aid import selectors
    from layan.aid.models import Enrolment, Family, Program, Round
    from layan.core.models import RoleAssignment, User

    # The kabupaten's petugas bansos: sees the whole kabupaten without a second factor (the pages are
    # timed through the test client).
    user = User.objects.create_user(username="bench.petugas", password="x" * 20)
    RoleAssignment.objects.create(
        user=user, role="petugas_bansos", scope_region="72.01", valid_from=date(2020, 1, 1)
    )
    rng = random.Random(7)
    programs = list(Program.objects.filter(code__in=["pkh", "bpnt", "bst"]))
    rounds = {
        p.code: Round.objects.create(
            program=p,
            area_id="72.01",
            stage=1,
            period_start=date(2021, 1, 1),
            period_end=date(2021, 6, 30),
            status=Round.Status.APPROVED,
        )
        for p in programs
    }
    families = list(Family.objects.values_list("pk", "desa_id"))
    chosen = rng.sample(families, int(len(families) * 0.3))
    Enrolment.objects.bulk_create(
        [
            Enrolment(round=rounds[rng.choice(list(rounds))], family_id=pk, desa_id=desa)
            for pk, desa in chosen
        ],
        batch_size=2000,
    )
    result = {}
    for level in (4, 3):
        started = time.perf_counter()
        rows = selectors.coverage_by_area(user, area="72.01", level=level)
        result[f"level_{level}_s"] = round(time.perf_counter() - started, 2)
        result[f"level_{level}_rows"] = len(rows)
    total = selectors.coverage_totals(rows)
    result.update({"families": total.families, "covered": total.covered, "uncovered": total.uncovered})
    # The pages themselves (query, double recipients against the rules, template), as a leader opens them.
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    for name, query in (("coverage_page", "?wilayah=72.01"), ("uncovered_page", "?wilayah=72.01&rentan=on")):
        client.get(reverse("aid:" + name.removesuffix("_page")) + query)  # warm (templates, translations)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            response = client.get(reverse("aid:" + name.removesuffix("_page")) + query)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        result[f"{name}_s"] = round(sorted(timings)[1], 2)  # the median of three
    result["load_average"] = load_average()
    return result


if __name__ == "__main__":
    main()
