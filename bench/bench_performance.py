"""Performance benchmark: the monthly TPP run for a kabupaten's 7,000 employees and its xlsx export.

    [DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres] .venv/bin/python -m bench.bench_performance \
        [--employees 7000] [--units 20]

In a temporary database (PostgreSQL when DATABASE_URL points to one — created and dropped here — else a
SQLite file): builds the employees in ``--units`` kecamatan/OPD units, a month of computed daily attendance
(22 working days, with late/early codes, TK and leave days mixed in) and daily reports (mostly approved,
some waiting, some missing), one PP 94 sanction per hundred employees and a few mid-month moves; then times
``tpp_run_compute`` for every unit (the real service, through attendance's selectors) and the payroll xlsx
of every run (``layan.core.exports.xlsx_bytes``); then the supervisor's team page for a team of 30 with a
year of reports (Django test client, logged in as the supervisor, median of ``--team-renders`` renders) and
its 5-second poll. Results: bench/results/performance.json. No test asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
YEAR, MONTH = 2021, 3


def _setup_database() -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"layan_bench_performance_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return "postgresql", drop
    folder = tempfile.mkdtemp(prefix="layan-bench-performance-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    return "sqlite", lambda: None


def _build(n_employees: int, n_units: int):
    from layan.attendance.models import DailyAttendance
    from layan.core import calendar
    from layan.core.models import RoleAssignment, User
    from layan.org.models import Employee, EmployeeMove, Position, Unit
    from layan.performance.models import DailyReport, Sanction
    from layan.regions.models import Region

    for code, name, level, parent in [
        ("72", "Sulawesi Tengah", 1, None),
        ("72.01", "Kabupaten Banggai", 2, "72"),
    ]:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})
    root = Unit.objects.create(
        code="SETDA", name="Sekretariat Daerah", kind=Unit.Kind.SETDA, region_id="72.01"
    )
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = []
    for i in range(n_units):
        unit = Unit.objects.create(
            code=f"U{i:03d}", name=f"Unit {i:03d}", kind=Unit.Kind.SETDA, region_id="72.01", parent=root
        )
        unit.path = f"{root.path}{unit.pk}/"
        unit.save(update_fields=["path"])
        units.append(unit)
    positions = [
        Position.objects.create(name=f"Jabatan {k}", kind=Position.Kind.PELAKSANA, kelas_jabatan=k)
        for k in range(5, 10)
    ]
    rng = random.Random(42)
    employees = [
        Employee(
            kind=Employee.Kind.PNS,
            nip=f"{199001012015010000 + i}",
            name=f"Pegawai {i:05d}",
            nik=f"{7201010101900000 + i}",
            sex="L",
            birth_date=date(1990, 1, 1),
            unit=units[i % n_units],
            position=positions[i % len(positions)],
            employment_start=date(2015, 1, 1),
        )
        for i in range(n_employees)
    ]
    Employee.objects.bulk_create(employees, batch_size=2000)
    employees = list(Employee.objects.order_by("id"))
    days = calendar.working_days_in(date(YEAR, MONTH, 1), date(YEAR, MONTH, 31), "72.01")
    attendance, reports = [], []
    for employee in employees:
        for day in days:
            roll = rng.random()
            status, late, early = "HADIR", "", ""
            if roll < 0.08:
                status, late = "TL1", "TL1"
            elif roll < 0.10:
                status, early = "PSW2", "PSW2"
            elif roll < 0.11:
                status = "TK"
            elif roll < 0.14:
                status = "CUTI"
            attendance.append(
                DailyAttendance(employee=employee, date=day, status=status, late_code=late, early_code=early)
            )
            if status in {"TK", "CUTI"} or rng.random() < 0.05:
                continue
            reports.append(
                DailyReport(
                    employee=employee,
                    date=day,
                    activity="Menyusun laporan",
                    status="approved" if rng.random() < 0.9 else "submitted",
                )
            )
    DailyAttendance.objects.bulk_create(attendance, batch_size=5000)
    DailyReport.objects.bulk_create(reports, batch_size=5000)
    Sanction.objects.bulk_create(
        Sanction(
            employee=e,
            cut_percent=25,
            start_date=date(YEAR, MONTH - 1, 15),
            end_date=date(YEAR, MONTH + 5, 14),
            decree_number="800/BENCH",
            reason="TK",
        )
        for e in employees[::100]
    )
    for e in employees[1::200]:
        target = units[(units.index(next(u for u in units if u.pk == e.unit_id)) + 1) % n_units]
        EmployeeMove.objects.create(
            employee=e, effective_date=date(YEAR, MONTH, 16), from_unit_id=e.unit_id, to_unit=target
        )
        Employee.objects.filter(pk=e.pk).update(unit=target)
    admin = User.objects.create_user(username="bench.bkpsdm", password="x" * 20)
    RoleAssignment.objects.create(
        user=admin, role="admin_bkpsdm", scope_region="72.01", valid_from=date(2020, 1, 1)
    )
    return admin, units, len(attendance), len(reports)


def _build_team(n_members: int = 30):
    """A supervisor with ``n_members`` direct reports and a year of daily reports each (every working
    day: approved, a few returned, the last days waiting), for the team page's render time."""
    from layan.core import calendar
    from layan.core.models import User
    from layan.org.models import Employee, Unit
    from layan.performance.models import DailyReport

    unit = Unit.objects.order_by("id").last()
    head_user = User.objects.create_user(username="bench.atasan", password="x" * 20)
    head = Employee.objects.create(
        kind=Employee.Kind.PNS,
        nip="198001012005011999",
        name="Atasan Bench",
        nik="7201010101800999",
        sex="L",
        birth_date=date(1980, 1, 1),
        unit=unit,
        employment_start=date(2005, 1, 1),
        user=head_user,
    )
    members = Employee.objects.bulk_create(
        Employee(
            kind=Employee.Kind.PNS,
            nip=f"{199501012020010000 + i}",
            name=f"Anggota Tim {i:02d}",
            nik=f"{7201010101950000 + i}",
            sex="P",
            birth_date=date(1995, 1, 1),
            unit=unit,
            supervisor=head,
            employment_start=date(2020, 1, 1),
            user=User.objects.create_user(username=f"bench.anggota{i}", password="x" * 20),
        )
        for i in range(n_members)
    )
    today = date.today()
    days = calendar.working_days_in(today - timedelta(days=365), today, unit.region_id)
    rng = random.Random(7)
    now = datetime.now(UTC)
    reports = []
    for member in members:
        for index, day in enumerate(days):
            waiting = index >= len(days) - 3
            status = "submitted" if waiting else ("returned" if rng.random() < 0.03 else "approved")
            reports.append(
                DailyReport(
                    employee=member,
                    date=day,
                    activity="Menyusun laporan dan mengarsip surat masuk",
                    output="Laporan",
                    quantity=rng.randint(1, 5),
                    minutes=rng.choice([60, 90, 120]),
                    status=status,
                    submitted_at=now - timedelta(days=(today - day).days, minutes=rng.randint(0, 600)),
                )
            )
    DailyReport.objects.bulk_create(reports, batch_size=5000)
    return head_user, len(reports)


def _time_team_page(head_user, renders: int) -> dict:
    import statistics

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(head_user)
    url = reverse("performance:team")
    assert client.get(url).status_code == 200  # warm: templates, calendar cache
    timings, cpu = [], []
    for _ in range(renders):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    poll_timings = []
    poll_url = reverse("performance:team_new")
    since = datetime.now(UTC).isoformat()
    for _ in range(renders):
        started = time.perf_counter()
        client.get(poll_url, {"since": since})
        poll_timings.append((time.perf_counter() - started) * 1000)
    return {
        "team_page_median_ms": round(statistics.median(timings), 1),
        "team_page_max_ms": round(max(timings), 1),
        # CPU time of this process: what the render costs when the machine is shared.
        "team_page_median_cpu_ms": round(statistics.median(cpu), 1),
        "team_page_renders": renders,
        "team_page_queries": len(queries),
        "team_poll_median_ms": round(statistics.median(poll_timings), 1),
    }


def _time_tpp(admin, units) -> dict:
    from layan.core.exports import xlsx_bytes
    from layan.performance import selectors, services

    results = {}
    started, started_cpu = time.perf_counter(), time.process_time()
    runs = [services.tpp_run_compute(actor=admin, unit=u, year=YEAR, month=MONTH) for u in units]
    results["tpp_run_all_units_s"] = round(time.perf_counter() - started, 2)
    # CPU time of this process only (the database server's share is not in it): for a shared machine.
    results["tpp_run_all_units_cpu_s"] = round(time.process_time() - started_cpu, 2)
    results["lines"] = sum(r.lines.count() for r in runs)
    results["total_amount"] = int(sum(r.total_amount for r in runs))

    started, started_cpu = time.perf_counter(), time.process_time()
    size = 0
    for run in runs:
        size += len(xlsx_bytes(selectors.PAYROLL_HEADERS, selectors.payroll_rows(run), "TPP"))
    results["xlsx_all_units_s"] = round(time.perf_counter() - started, 2)
    results["xlsx_all_units_cpu_s"] = round(time.process_time() - started_cpu, 2)
    results["xlsx_bytes"] = size
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=7000)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--results", default=str(RESULTS / "performance.json"))
    parser.add_argument("--team-renders", type=int, default=25)
    parser.add_argument("--skip-tpp", action="store_true", help="only the team page (quick check)")
    args = parser.parse_args()
    backend, drop = _setup_database()
    os.environ.setdefault("LAYAN_MODE", "test")
    os.environ["DJANGO_SETTINGS_MODULE"] = "layan.settings_test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    results: dict = {
        "backend": backend,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        # Load average at the start: the machine may be shared (other benchmarks and test suites).
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        admin, units, n_att, n_rep = _build(100 if args.skip_tpp else args.employees, args.units)
        results["build_s"] = round(time.perf_counter() - started, 2)
        results.update(employees=args.employees, units=args.units, attendance_rows=n_att, report_rows=n_rep)

        if not args.skip_tpp:
            results.update(_time_tpp(admin, units))
        # After the TPP run, so that the team (in the last unit) does not change the run's lines.
        head_user, team_reports = _build_team(30)
        results["team_members"], results["team_reports"] = 30, team_reports
        results.update(_time_team_page(head_user, args.team_renders))
    finally:
        drop()
    print(json.dumps(results, indent=2))
    if args.skip_tpp:
        return
    path = Path(args.results)
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(path.read_text()) if path.exists() else {}
    existing[backend] = results
    path.write_text(json.dumps(existing, indent=2) + "\n")


if __name__ == "__main__":
    main()
