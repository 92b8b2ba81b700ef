"""Production settings plus one endpoint that does only what the framework does for any check-in.

Used by ``bench.bench_attendance --floor``: the same gunicorn, middleware, token authentication and
multipart parsing of a 150 KB selfie as ``POST /api/v1/presensi/checkins/``, but no rule, no file write and
no database write — the ceiling of check-ins per second this stack can reach on the machine."""

from layan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
