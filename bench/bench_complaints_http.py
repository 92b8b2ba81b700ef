"""Complaint intake on the production setup.

    make bench BENCH=bench.bench_complaints_http        (--cases 3000 --clients 16 --workers 2 --threads 4)

gunicorn (gthread) with LAYAN_MODE=production, PostgreSQL and the Redis broker serve
``POST /api/v1/complaints/cases/`` — the endpoint a phone app or a partner's portal uses — to ``--clients``
keep-alive connections, each a citizen's report with its own contact and ``client_key``. One report in
twenty is sent a second time with the same key, as a phone does when the answer to the first send was
lost: it must be answered with the same tracking code and stored once. The per-IP limits are raised through
their documented setting (all clients share 127.0.0.1), never switched off.

Reports sustained cases/s, p50/p95/p99, statuses, and lost/duplicated cases counted in the database.
Results: bench/results/complaints-http.json. No test asserts a timing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from queue import Empty, Queue

from bench.http import ROOT, gunicorn, percentile, production_env

PORT = 8102
PATH = "/api/v1/complaints/cases/"
TEXTS = [
    "Lampu jalan di depan rumah nomor {i} mati sudah seminggu, gelap sekali kalau malam.",
    "Jalan di RT {i} berlubang besar, sudah dua motor jatuh minggu ini, mohon segera ditambal.",
    "Sampah di TPS dekat pasar tidak diangkut {i} hari, baunya sampai ke rumah warga.",
    "Air PDAM mati sejak kemarin pagi di blok {i}, warga harus beli air galon.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    env, drop = production_env(
        "layan_bench_cmp_http",
        LAYAN_COMPLAINTS_PER_IP_HOUR=str(10 * args.cases),
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from layan.complaints.models import Case
    from layan.regions.models import Region

    report: dict = {"when": datetime.now(UTC).isoformat(timespec="seconds")}
    try:
        call_command("migrate", verbosity=0)
        for code, name, level, parent in [
            ("72", "Sulawesi Tengah", 1, None),
            ("72.01", "Banggai", 2, "72"),
            ("72.01.01", "Batui", 3, "72.01"),
            ("72.01.01.2001", "Singkoyo", 4, "72.01.01"),
        ]:
            Region.objects.get_or_create(
                code=code, defaults={"name": name, "level": level, "parent_id": parent}
            )

        queue: Queue = Queue()
        for i in range(args.cases):
            body = json.dumps(
                {
                    "description": TEXTS[i % len(TEXTS)].format(i=i),
                    "region_code": "72.01.01.2001",
                    "category": "pju" if i % 4 == 0 else "jalan",
                    "client_key": str(uuid.uuid4()),
                    "reporter_email": f"warga{i}@contoh.id",
                }
            ).encode()
            queue.put((body, i % 20 == 0))
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        codes: dict[bytes, str] = {}  # client_key body -> tracking code
        mismatched = 0
        lock = threading.Lock()

        def send(box, body):
            for attempt in range(4):
                started = time.perf_counter()
                try:
                    if box[0] is None:
                        box[0] = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                    box[0].request(
                        "POST",
                        PATH,
                        body=body,
                        headers={"Host": "127.0.0.1", "Content-Type": "application/json"},
                    )
                    response = box[0].getresponse()
                    payload, status = response.read(), response.status
                except (OSError, http.client.HTTPException):
                    box[0], payload, status = None, b"", 599
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    statuses[status] = statuses.get(status, 0) + 1
                if status < 500:
                    return status, payload
                time.sleep(0.2 * (attempt + 1))  # back off, then the same client_key again
            return status, payload

        def client():
            nonlocal mismatched
            box = [None]
            while True:
                try:
                    body, resend = queue.get_nowait()
                except Empty:
                    return
                status, payload = send(box, body)
                if status in (200, 201):
                    code = json.loads(payload)["code"]
                    with lock:
                        codes[body] = code
                    if resend:
                        again_status, again = send(box, body)
                        if again_status not in (200, 201) or json.loads(again)["code"] != code:
                            with lock:
                                mismatched += 1

        with gunicorn(env, port=PORT, workers=args.workers, threads=args.threads):
            started = time.perf_counter()
            pool = [threading.Thread(target=client) for _ in range(args.clients)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            wall = time.perf_counter() - started

        stored = Case.objects.count()
        report["intake_http"] = {
            "setup": f"gunicorn gthread {args.workers}x{args.threads}, PostgreSQL, Redis broker, "
            f"{args.clients} keep-alive clients on the same {os.cpu_count()} cores",
            "cases_sent": args.cases,
            "requests": len(latencies),
            "wall_s": round(wall, 1),
            "cases_per_s": round(len(codes) / wall, 1),
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "confirmed": len(codes),
            "stored": stored,
            "lost": len(codes) - Case.objects.filter(code__in=list(codes.values())).count(),
            "duplicated": stored - len(set(codes.values())),
            "resend_answered_with_another_code": mismatched,
            "load_average": os.getloadavg(),
        }
        print(json.dumps(report, indent=2))  # noqa: T201
        out = ROOT / "bench" / "results" / "complaints-http.json"
        out.write_text(json.dumps(report, indent=2) + "\n")
    finally:
        drop()


if __name__ == "__main__":
    main()
