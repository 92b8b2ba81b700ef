"""Complaints benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.bench_complaints \
        [--cases 200000] [--track-cases 1000000] [--intake 500]

In a temporary database (PostgreSQL when DATABASE_URL points to one — created and dropped here — else a
temporary SQLite file):
1. the classifier: training time on the starter corpus, ms per prediction, cross-validated accuracy
   (stratified, and grouped by story — the honest figure for unseen complaints);
2. intake through the public API (POST /api/v1/complaints/cases/, in-process Django client, one thread:
   the cost of the request inside the app, not a gunicorn burst): cases/s and p50/p95;
3. the SLA sweep over ``--cases`` open cases (10% overdue, 5% answered and past their auto-close day);
4. the public tracking page (GET /pengaduan/lacak/<code>/) with ``--track-cases`` cases in the table:
   p50/p95 over 500 random codes.

Results: bench/results/complaints.json and a summary on stdout. No test asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _setup_database() -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"layan_bench_complaints_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        bench_url = url.rsplit("/", 1)[0] + "/" + name
        os.environ["DATABASE_URL"] = bench_url

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return "postgresql", drop
    folder = tempfile.mkdtemp(prefix="layan-bench-complaints-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    return "sqlite", lambda: None


_CODES: set[str] = set()


def _bulk_cases(
    count: int, *, now: datetime, overdue_share: float = 0.10, closing_share: float = 0.05
) -> None:
    from layan.complaints.models import Case, Clock, State, new_tracking_code

    rng = random.Random(count)
    batch = []
    codes = _CODES  # random codes: a bulk insert must not draw one twice (the service retries instead)
    for i in range(count):
        code = new_tracking_code()
        while code in codes:
            code = new_tracking_code()
        codes.add(code)
        roll = rng.random()
        received = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
        if roll < overdue_share:
            state, clock, due = State.DIDISPOSISIKAN, Clock.ANSWER, now - timedelta(days=rng.randint(1, 10))
        elif roll < overdue_share + closing_share:
            state, clock, due = State.SELESAI, Clock.AUTO_CLOSE, now - timedelta(days=1)
        else:
            state, clock, due = State.DIPROSES, Clock.RESOLVE, now + timedelta(days=rng.randint(1, 60))
        batch.append(
            Case(
                code=code,
                kind="pengaduan",
                channel="web",
                title=f"Laporan uji {i}",
                description="Jalan berlubang di depan sekolah, mohon diperbaiki segera.",
                region_code="72.01.01.2001",
                state=state,
                clock=clock,
                due_at=due,
                received_at=received,
                reporter_email="",
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    if batch:
        Case.objects.bulk_create(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--track-cases", type=int, default=200_000)
    parser.add_argument("--intake", type=int, default=300)
    parser.add_argument(
        "--only",
        default="classifier,intake,sweep,tracking",
        help="comma-separated parts to run; the others keep their figures in the results file",
    )
    args = parser.parse_args()
    parts = set(args.only.split(","))

    backend, drop = _setup_database()
    os.environ.setdefault("LAYAN_MODE", "test")
    os.environ["DJANGO_SETTINGS_MODULE"] = "layan.settings_test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    results: dict = {"backend": backend, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    try:
        call_command("migrate", verbosity=0)
        from layan.complaints import classifier
        from layan.complaints.models import Case
        from layan.complaints.tasks import run_sla_sweep
        from layan.regions.models import Region

        for code, name, level, parent in [
            ("72", "Sulawesi Tengah", 1, None),
            ("72.01", "Banggai", 2, "72"),
            ("72.01.01", "Batui", 3, "72.01"),
            ("72.01.01.2001", "Singkoyo", 4, "72.01.01"),
        ]:
            Region.objects.get_or_create(
                code=code, defaults={"name": name, "level": level, "parent_id": parent}
            )

        # 1. classifier
        if "classifier" in parts:
            rows = classifier.load_corpus()
            texts, labels = [r["text"] for r in rows], [r["category"] for r in rows]
            started = time.perf_counter()
            model = classifier.ComplaintClassifier().fit(texts, labels)
            train_s = time.perf_counter() - started
            started = time.perf_counter()
            for text in texts:
                model.predict_one(text)
            results["classifier"] = {
                "examples": len(texts),
                "train_seconds": round(train_s, 2),
                "ms_per_prediction": round((time.perf_counter() - started) / len(texts) * 1000, 3),
                "cv_accuracy_stratified": round(classifier.cross_validated_accuracy(texts, labels), 4),
                "cv_accuracy_grouped_by_story": round(
                    classifier.cross_validated_accuracy(texts, labels, [r["group"] for r in rows]), 4
                ),
            }
            print("classifier", results["classifier"], flush=True)  # noqa: T201

        # 2. intake through the public API
        if "intake" in parts:
            client = Client()
            latencies = []
            started = time.perf_counter()
            for i in range(args.intake):
                cache.clear()  # the per-IP limit is not what is measured here
                body = {
                    "description": f"Lampu jalan di depan rumah nomor {i} mati sudah seminggu, gelap sekali.",
                    "region_code": "72.01.01.2001",
                    "category": "pju",
                    "client_key": str(uuid.uuid4()),
                    "reporter_email": f"warga{i}@contoh.id",
                }
                t0 = time.perf_counter()
                response = client.post("/api/v1/complaints/cases/", body, content_type="application/json")
                latencies.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 201, response.content
            total = time.perf_counter() - started
            results["intake_api_inprocess"] = {
                "cases": args.intake,
                "cases_per_second": round(args.intake / total, 1),
                "p50_ms": round(_percentile(latencies, 0.5), 1),
                "p95_ms": round(_percentile(latencies, 0.95), 1),
            }
            print("intake", results["intake_api_inprocess"], flush=True)  # noqa: T201

        # 3. SLA sweep
        if parts & {"sweep", "tracking"}:
            Case.objects.all().delete()
            _CODES.update(Case.objects.values_list("code", flat=True))
            now = datetime.now(UTC)
            started = time.perf_counter()
            _bulk_cases(args.cases, now=now)
            load_s = time.perf_counter() - started
            started = time.perf_counter()
            swept = run_sla_sweep(now=now)
            results["sla_sweep"] = {
                "open_cases": args.cases,
                "load_seconds": round(load_s, 1),
                "sweep_seconds": round(time.perf_counter() - started, 2),
                **swept,
            }
            print("sweep", results["sla_sweep"], flush=True)  # noqa: T201

            # 4. tracking page
            if "tracking" in parts:
                extra = args.track_cases - args.cases
                if extra > 0:
                    _bulk_cases(extra, now=now)
                codes = (
                    list(Case.objects.order_by("?").values_list("code", flat=True)[:500])
                    if backend == "postgresql"
                    else random.sample(list(Case.objects.values_list("code", flat=True)), 500)
                )
                latencies = []
                public = Client()
                for code in codes:
                    cache.clear()
                    t0 = time.perf_counter()
                    response = public.get(f"/pengaduan/lacak/{code}/")
                    latencies.append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200
                results["tracking_page"] = {
                    "cases_in_table": Case.objects.count(),
                    "requests": len(codes),
                    "p50_ms": round(_percentile(latencies, 0.5), 1),
                    "p95_ms": round(_percentile(latencies, 0.95), 1),
                    "mean_ms": round(statistics.mean(latencies), 1),
                }
                print("tracking", results["tracking_page"], flush=True)  # noqa: T201
    finally:
        drop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"complaints-{backend}.json"
    if target.exists():  # a partial run keeps the other parts' figures
        results = {**json.loads(target.read_text()), **results}
    target.write_text(json.dumps(results, indent=2))
    print("written", target)  # noqa: T201


if __name__ == "__main__":
    main()
