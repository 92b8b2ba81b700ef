"""Attendance benchmark: the morning burst of a kabupaten and the end-of-day computation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python -m bench.bench_attendance [--employees 7000] [--clients 16] [--rate 10]

What it does, in a temporary PostgreSQL database (created and dropped here):
1. builds 7,000 employees in ~200 units (each with an office geofence and working hours that follow the
   holiday calendar), one API token each;
2. starts the production setup of docs/OPERATIONS.md — gunicorn (sync, 2 x cores + 1 workers) with
   LAYAN_MODE=production, PostgreSQL, Redis as cache and Celery broker (no worker runs during the burst: the
   selfie analysis waits in the queue, as designed) — and warms every worker up;
3. fires every employee's check-in (multipart, a ~150 KB JPEG selfie) from two client processes, closed
   loop (``--clients`` connections, each sending as soon as answered: the sustained maximum) or open loop
   (``--rate`` check-ins arriving per second whatever the server does: latency at a given demand), with
   client retries: a timeout or 5xx is retried with the same client UUID, 10% of clients re-send after
   success (the answer was lost), 3% send two copies at the same moment;
4. counts sustained check-ins/s, p50/p95/p99 latency, errors, and, in the database, lost and duplicated
   records; reads from /proc the CPU that gunicorn and the PostgreSQL backends spent per request, which
   stays meaningful on a machine shared with other work (the load average and a pure-Python speed
   figure are stored beside it);
   With ``--floor`` the same burst goes to an endpoint that only authenticates the token and parses the
   multipart body (bench/floor_settings.py): the ceiling of this stack on the machine, whatever a check-in
   does beyond that.
5. times the background selfie analysis per check-in (imagehash + OpenCV Haar), the daily attendance of
   all 7,000 employees, and the month's recap export (xlsx) — unless ``--burst-only``.

Results: bench/results/attendance.json (one entry per ``--label``) and a summary on stdout. No test asserts
a timing.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import multiprocessing
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from queue import Empty, Queue

from bench.http import percentile, production_env, wait_for_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PORT = 8765
BOUNDARY = "----layanbench7c1f"
CHECKIN_PATH = "/api/v1/presensi/checkins/"
FLOOR_PATH = "/api/v1/bench/floor/"  # bench/floor_urls.py: authentication and parsing only


def selfie_jpeg(target_kb: int = 150) -> bytes:
    from PIL import Image

    rng = random.Random(7)
    quality = 90
    size = (640, 480)
    while True:
        image = Image.new("RGB", size)
        image.putdata(
            [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size[0] * size[1])]
        )
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        if buffer.tell() <= target_kb * 1024 or quality <= 20:
            return buffer.getvalue()
        quality -= 10


def multipart(fields: dict, selfie: bytes) -> bytes:
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="selfie"; filename="s.jpg"\r\n'
        f"Content-Type: image/jpeg\r\n\r\n".encode()
        + selfie
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


# --- setup (in this process, against the temporary database) -----------------------------------------------


def build_data(employees: int, units: int) -> list[dict]:
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from layan.accounts.authentication import hash_token_key
    from layan.attendance.models import WorkSchedule, WorkScheduleDay
    from layan.core.models import ApiToken, RoleAssignment, User
    from layan.org.models import Employee, OfficeLocation, Unit
    from layan.regions.models import Region

    call_command("migrate", verbosity=0)
    Region.objects.get_or_create(code="72", defaults={"name": "Sulawesi Tengah", "level": 1})
    Region.objects.get_or_create(
        code="72.01", defaults={"name": "Kabupaten Banggai", "level": 2, "parent_id": "72"}
    )
    setda = Unit.objects.create(code="B-SETDA", name="Sekretariat Daerah", kind="setda", region_id="72.01")
    setda.path = f"/{setda.pk}/"
    setda.save(update_fields=["path"])
    Unit.objects.bulk_create(
        [
            Unit(code=f"B-U{i:03d}", name=f"Unit {i}", kind="dinas", region_id="72.01", parent=setda)
            for i in range(units)
        ]
    )
    unit_rows = list(Unit.objects.filter(parent=setda).order_by("pk"))
    for unit in unit_rows:
        unit.path = f"/{setda.pk}/{unit.pk}/"
    Unit.objects.bulk_update(unit_rows, ["path"])
    rng = random.Random(2026)
    offices = [
        OfficeLocation(
            unit=u,
            name=f"Kantor {u.name}",
            latitude=Decimal(f"{-0.9 - rng.random():.6f}"),
            longitude=Decimal(f"{122.5 + rng.random():.6f}"),
            radius_m=150,
        )
        for u in unit_rows
    ]
    OfficeLocation.objects.bulk_create(offices)
    # A whole-day schedule: the burst can run at any hour of the machine's clock.
    schedules = WorkSchedule.objects.bulk_create(
        [
            WorkSchedule(unit=u, name="Bench", kind="shift", follows_holidays=True, is_default=True)
            for u in unit_rows
        ]
    )
    from datetime import time as dtime

    WorkScheduleDay.objects.bulk_create(
        [
            WorkScheduleDay(schedule=s, weekday=d, start=dtime(0, 1), end=dtime(23, 59))
            for s in schedules
            for d in range(7)
        ]
    )
    User.objects.bulk_create(
        [User(username=f"bench{i}", password="!", full_name=f"Pegawai {i}") for i in range(employees)],
        batch_size=1000,
    )
    users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    rows = []
    for i, user in enumerate(users):
        rows.append(
            Employee(
                user=user,
                kind="pns",
                nip=str(10**17 + i),
                name=f"Pegawai {i}",
                nik="",
                sex="L",
                birth_date=datetime(1985, 1, 1).date(),
                unit=unit_rows[i % units],
                employment_start=datetime(2015, 1, 1).date(),
            )
        )
    Employee.objects.bulk_create(rows, batch_size=1000)
    keys, tokens = {}, []
    expires = timezone.now() + timedelta(days=1)
    for user in users:
        key = secrets.token_urlsafe(32)
        keys[user.pk] = key
        tokens.append(
            ApiToken(
                user=user, name="bench", key_hash=hash_token_key(key), prefix=key[:8], expires_at=expires
            )
        )
    ApiToken.objects.bulk_create(tokens, batch_size=1000)
    admin = User.objects.create(username="bench-bkpsdm", password="!")
    RoleAssignment.objects.create(
        user=admin, role="admin_bkpsdm", scope_region="72.01", valid_from=datetime(2020, 1, 1).date()
    )
    office_of = {o.unit_id: o for o in offices}
    plan = []
    for employee in Employee.objects.select_related("user").order_by("pk"):
        office = office_of[employee.unit_id]
        plan.append(
            {
                "employee": employee.pk,
                "token": keys[employee.user_id],
                "lat": f"{office.latitude + Decimal(rng.uniform(-0.0005, 0.0005)):.6f}",
                "lon": f"{office.longitude:.6f}",
                "device": f"dev-{employee.pk}",
            }
        )
    return plan


# --- load generator (client processes) ---------------------------------------------------------------------


def client_process(args) -> dict:
    """Closed loop (``rate`` 0): each thread sends its next check-in as soon as the last one answered.
    Open loop (``rate`` check-ins/s): check-ins arrive on a fixed schedule whatever the server does, and
    a first attempt's latency counts from its scheduled arrival (waiting for a free client thread too)."""
    jobs, threads, selfie, seed, rate, target = args
    cpu_started = time.process_time()
    rng = random.Random(seed)
    queue: Queue = Queue()
    for index, job in enumerate(jobs):
        client_uuid = str(uuid.uuid4())
        copies = 2 if rng.random() < 0.03 else 1
        due = index / rate if rate else None
        for _ in range(copies):
            queue.put((job, client_uuid, rng.random() < 0.10, due))
    latencies, statuses, lock = [], {}, threading.Lock()
    confirmed: dict[str, str] = {}

    selfie_part = multipart({}, selfie)  # the constant tail of every body, built once

    def send(conn_box, job, client_uuid, arrived=None):
        fields = {
            "client_uuid": client_uuid,
            "kind": "in",
            "device_time": datetime.now(UTC).isoformat(),
            "latitude": job["lat"],
            "longitude": job["lon"],
            "accuracy_m": "12",
            "fix_age_s": "3",
            "mock_location": "false",
            "device_id": job["device"],
        }
        body = b"".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        )
        body += selfie_part
        for attempt in range(4):
            started = time.perf_counter()
            if attempt == 0 and arrived is not None:
                started = min(started, arrived)
            try:
                if conn_box[0] is None:
                    conn_box[0] = http.client.HTTPConnection("127.0.0.1", PORT, timeout=15)
                conn_box[0].request(
                    "POST",
                    target,
                    body=body,
                    headers={
                        "Authorization": f"Bearer {job['token']}",
                        "Host": "127.0.0.1",
                        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                    },
                )
                response = conn_box[0].getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn_box[0] = None
                status, payload = 599, b""
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
            if status < 500:
                return status, payload
            time.sleep(0.2 * (attempt + 1))  # the client's back-off, then the same UUID again
        return status, payload

    def worker():
        conn_box = [None]
        while True:
            try:
                job, client_uuid, resend, due = queue.get_nowait()
            except Empty:
                return
            arrived = None
            if due is not None:
                arrived = clock_started + due
                time.sleep(max(0.0, arrived - time.perf_counter()))
            status, payload = send(conn_box, job, client_uuid, arrived)
            if status in (200, 201):
                with lock:
                    confirmed[client_uuid] = str(job["employee"])
                if resend:
                    send(conn_box, job, client_uuid)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    clock_started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {
        "latencies": latencies,
        "statuses": statuses,
        "confirmed": confirmed,
        "cpu_s": time.process_time() - cpu_started,
    }


# --- CPU accounting: the machine is shared, so the bench also reports the CPU each check-in cost ------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (all its threads) from /proc, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14 and 15)


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def server_cpu(server_pid: int) -> dict[str, dict[int, float]]:
    """CPU seconds so far of gunicorn (master and workers) and of the PostgreSQL backends serving it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    gunicorn = [server_pid, *children_of(server_pid)]
    return {
        "gunicorn": {pid: cpu_seconds(pid) for pid in gunicorn},
        "postgres": {pid: cpu_seconds(pid) for pid in backends},
    }


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    # A process started during the burst (a new database connection) counts whole.
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def python_speed_ms() -> float:
    """CPU ms of a fixed pure-Python loop (sum of 10**6 integers), measured right after the burst: how fast
    a core of this (shared, virtual) machine was then, to compare runs made under different loads."""
    runs = []
    for _ in range(5):
        started = time.process_time()
        sum(range(10**6))
        runs.append((time.process_time() - started) * 1000)
    return round(statistics.median(runs), 1)


def load_average() -> list[float]:
    return [round(x, 1) for x in os.getloadavg()]


def warm_up(plan: list[dict], connections: int) -> None:
    """A few authenticated reads on many connections so every worker has loaded the URLconf and opened
    its database connection before the clock starts (a fresh deployment is warmed the same way)."""

    def reads(job):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        for _ in range(3):
            conn.request(
                "GET",
                "/api/v1/presensi/hari-ini/",
                headers={"Authorization": f"Bearer {job['token']}", "Host": "127.0.0.1"},
            )
            conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=reads, args=(job,)) for job in plan[:connections]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def run_burst(args, plan, env) -> dict:
    """The HTTP morning burst against gunicorn, then the background selfie analysis per check-in."""
    from django.db import connections

    result: dict = {}
    connections.close_all()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "layan.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(args.workers),
            "-k",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.floor_settings"} if args.floor else env,
    )
    try:
        wait_for_server(PORT)
        warm_up(plan, args.workers * args.threads * 2)
        selfie = selfie_jpeg()
        result["selfie_kb"] = round(len(selfie) / 1024)
        processes = 2
        chunks = [plan[i::processes] for i in range(processes)]
        connections.close_all()
        cpu_before = server_cpu(server.pid)
        load_before = load_average()
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.map(
                client_process,
                [
                    (
                        chunk,
                        args.clients // processes,
                        selfie,
                        i,
                        args.rate / processes,
                        FLOOR_PATH if args.floor else CHECKIN_PATH,
                    )
                    for i, chunk in enumerate(chunks)
                ],
            )
        wall = time.perf_counter() - started
        cpu_after = server_cpu(server.pid)
        load_after = load_average()
        latencies = [x for p in parts for x in p["latencies"]]
        statuses: dict = {}
        for p in parts:
            for code, n in p["statuses"].items():
                statuses[str(code)] = statuses.get(str(code), 0) + n
        confirmed = {k: v for p in parts for k, v in p["confirmed"].items()}

        from django.db.models import Count

        from layan.attendance.models import CheckIn

        stored = CheckIn.objects.count()
        stored_uuids = set(str(u) for u in CheckIn.objects.values_list("client_uuid", flat=True))
        # The floor endpoint stores nothing: there is nothing to lose or duplicate.
        lost = None if args.floor else len(set(confirmed) - stored_uuids)
        duplicated = (
            None
            if args.floor
            else CheckIn.objects.values("employee").annotate(n=Count("id")).filter(n__gt=1).count()
        )
        result["burst"] = {
            "requests": len(latencies),
            "wall_s": round(wall, 1),
            "checkins_per_s": round(len(confirmed) / wall, 1),
            "requests_per_s": round(len(latencies) / wall, 1),
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99),
            "max_ms": round(max(latencies), 1),
            "statuses": statuses,
            "employees_confirmed": len(confirmed),
            "records_stored": stored,
            "lost": lost,
            "duplicated": duplicated,
            "errors": sum(n for code, n in statuses.items() if int(code) >= 400 and code != "409"),
        }
        # What each check-in cost in CPU, whatever else ran on the machine (the load is beside it).
        app_ms = cpu_used(cpu_before["gunicorn"], cpu_after["gunicorn"]) * 1000 / len(latencies)
        db_ms = cpu_used(cpu_before["postgres"], cpu_after["postgres"]) * 1000 / len(latencies)
        client_ms = sum(p["cpu_s"] for p in parts) * 1000 / len(latencies)
        result["cpu_per_request_ms"] = {
            "gunicorn": round(app_ms, 1),
            "postgres_backends": round(db_ms, 1),
            "load_generator": round(client_ms, 1),
            "server_total": round(app_ms + db_ms, 1),
            # gunicorn + PostgreSQL alone on two cores (Redis, the kernel's network work not counted)
            "upper_bound_per_s_on_2_dedicated_cores": round(2000 / (app_ms + db_ms), 1),
        }
        result["machine"] = {
            "load_average_before": load_before,
            "load_average_after": load_after,
            "python_1e6_sum_ms": python_speed_ms(),
        }
    finally:
        server.terminate()
        server.wait(30)
    if args.burst_only:
        return result

    # Background selfie analysis (what a Celery worker does per check-in).
    from layan.attendance.services import checkin_analyse_selfie

    sample = list(CheckIn.objects.order_by("pk").values_list("pk", flat=True)[:100])
    started = time.perf_counter()
    for pk in sample:
        checkin_analyse_selfie(checkin_id=pk)
    per = (time.perf_counter() - started) / max(1, len(sample))
    result["selfie_analysis"] = {
        "ms_per_checkin": round(per * 1000, 1),
        "per_s_per_worker_process": round(1 / per, 1),
        "minutes_for_all_with_2_workers": round(args.employees * per / 2 / 60, 1),
    }

    return result


def synthetic_checkins() -> None:
    """One check-in and one check-out per employee today, written directly (no HTTP)."""
    from layan.attendance.models import CheckIn
    from layan.core import calendar
    from layan.org.models import Employee

    zone = calendar.zone_for_region("72.01")
    today = calendar.local_today("72.01")
    rng = random.Random(5)
    rows = []
    for employee_id in Employee.objects.values_list("pk", flat=True):
        for kind, hour in (("in", 7), ("out", 16)):
            at = datetime(today.year, today.month, today.day, hour, rng.randrange(60), tzinfo=zone)
            rows.append(
                CheckIn(
                    employee_id=employee_id,
                    client_uuid=uuid.uuid4(),
                    kind=kind,
                    mode="WFO",
                    device_time=at,
                    received_at=at,
                    recorded_at=at,
                    local_date=today,
                    latitude=-1,
                    longitude=122,
                    accuracy_m=10,
                    fix_age_s=2,
                    device_id="x",
                    status="accepted",
                )
            )
    CheckIn.objects.bulk_create(rows, batch_size=5000)


def daily_and_recap(report: dict) -> None:
    """The end-of-day computation for everyone and the month's recap export, timed."""
    from layan.attendance.models import CheckIn
    from layan.attendance.selectors import monthly_recap, recap_headers
    from layan.attendance.services import daily_attendance_compute
    from layan.core import calendar
    from layan.core.exports import xlsx_bytes
    from layan.core.models import User
    from layan.org.models import Employee, Unit

    today = calendar.local_today("72.01")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        written = daily_attendance_compute(
            day=today,
            employees=Employee.objects.filter(unit__in=Unit.objects.filter(parent__isnull=False)),
        )
        timings.append(time.perf_counter() - started)
    report["daily_attendance"] = {
        "employees": written,
        "median_s": round(statistics.median(timings), 2),
        "runs_s": [round(t, 2) for t in timings],
    }
    # A month: the burst's day plus 21 computed working days of the same month for everyone.
    from layan.attendance.models import DailyAttendance

    month_start = today.replace(day=1)
    employee_ids = list(CheckIn.objects.values_list("employee_id", flat=True).distinct())
    extra = []
    for offset in range(28):
        day = month_start + timedelta(days=offset)
        if day == today or day.month != today.month:
            continue
        extra += [
            DailyAttendance(
                employee_id=e,
                date=day,
                status=random.choice(["HADIR", "TL1", "TK", "PSW2"]),
                late_code="",
                minutes_late=random.randrange(0, 40),
            )
            for e in employee_ids
        ]
    DailyAttendance.objects.bulk_create(extra, batch_size=5000, ignore_conflicts=True)
    admin = User.objects.get(username="bench-bkpsdm")
    started = time.perf_counter()
    rows = monthly_recap(actor=admin, year=today.year, month=today.month)
    data = xlsx_bytes(recap_headers(), rows, sheet_title="Rekap")
    report["monthly_recap_xlsx"] = {
        "rows": len(rows),
        "daily_rows": DailyAttendance.objects.count(),
        "seconds": round(time.perf_counter() - started, 2),
        "kb": len(data) // 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=7000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers (2 x cores + 1)"
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client connections")
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        help="open loop: check-ins arriving per second (0: closed loop, each client as fast as answered)",
    )
    parser.add_argument("--label", default="", help="key of this run in bench/results/attendance.json")
    parser.add_argument("--note", default="", help="a remark stored with the results")
    parser.add_argument(
        "--burst-only", action="store_true", help="only the HTTP burst (no analysis, daily job, recap)"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="the same burst against an endpoint that only authenticates and parses the upload "
        "(bench/floor_settings.py): the most this stack can serve on the machine; implies --burst-only",
    )
    parser.add_argument(
        "--only-daily",
        action="store_true",
        help="skip the HTTP burst: synthetic check-ins, then daily attendance and the recap",
    )
    args = parser.parse_args()
    args.burst_only = args.burst_only or args.floor

    env, drop_database = production_env("layan_bench_att")
    redis_url = env["REDIS_URL"]
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "employees": args.employees,
        "load_average_at_start": load_average(),
    }
    if not args.only_daily:
        report["setup"] = (
            f"gunicorn {args.worker_class} {args.workers}x{args.threads}, PostgreSQL, Redis broker, "
            f"{args.clients} client connections, {os.cpu_count()} CPU cores shared by all"
        )
        report["load"] = f"open loop, {args.rate:g} check-ins/s arriving" if args.rate else "closed loop"
        if args.floor:
            report["endpoint"] = f"{FLOOR_PATH} (authentication and multipart parsing only)"
    if args.note:
        report["note"] = args.note
    try:
        started = time.perf_counter()
        plan = build_data(args.employees, args.units)
        report["generate_s"] = round(time.perf_counter() - started, 1)
        from django.db import connections

        if args.only_daily:
            synthetic_checkins()
        else:
            report.update(run_burst(args, plan, env))
        connections.close_all()
        if not args.burst_only:
            daily_and_recap(report)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()
        try:
            import redis

            redis.Redis.from_url(redis_url).flushdb()  # the bench's own Redis database only
        except Exception as exc:  # noqa: BLE001
            print("redis cleanup:", exc)
    report["load_average_at_end"] = load_average()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("attendance-daily.json" if args.only_daily else "attendance.json")
    if args.only_daily:
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    else:  # one entry per label (the full kabupaten, shorter bursts) in the one results file
        try:
            runs = json.loads(out.read_text())
        except (OSError, ValueError):
            runs = {}
        label = args.label or ("kabupaten_7000" if args.employees == 7000 else f"burst_{args.employees}")
        runs[label] = report
        out.write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
