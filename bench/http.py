"""What every HTTP benchmark needs: a throw-away PostgreSQL database, the production environment, gunicorn
started and stopped, and latency percentiles. The server runs exactly as docs/OPERATIONS.md describes
(LAYAN_MODE=production, PostgreSQL, Redis broker); only TLS is left to the absent proxy."""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return round(ordered[index], 1)


def production_env(prefix: str, **overrides: str) -> tuple[dict, callable]:
    """A new PostgreSQL database and var dir, production settings pointing at them; returns (env, drop)."""
    import psycopg
    from cryptography.fernet import Fernet

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres").split("?")[0]
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/postgres"
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    var_dir = tempfile.mkdtemp(prefix=f"{prefix}-")  # uploads (a burst's selfies: ~1 GB), dropped too
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "LAYAN_MODE": "production",
        "DATABASE_URL": base.rsplit("/", 1)[0] + f"/{name}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
        "SECRET_KEY": secrets.token_urlsafe(60),
        "LAYAN_FIELD_KEYS": Fernet.generate_key().decode(),
        "LAYAN_HASH_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "LAYAN_VAR_DIR": var_dir,
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "layan.settings",
        **overrides,
    }

    def drop() -> None:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)

    return env, drop


def wait_for_server(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status in (200, 503):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


@contextlib.contextmanager
def gunicorn(env: dict, *, port: int, workers: int, threads: int):
    """gunicorn (gthread) serving layan.wsgi on 127.0.0.1:port until the block ends."""
    from django.db import connections

    connections.close_all()  # a forked server must not share the bench's connection
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "layan.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_server(port)
        yield server
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
        if server.poll() is None:
            server.kill()
