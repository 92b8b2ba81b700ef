"""Settings for the test suite: the same settings in ``test`` mode (eager jobs, fast hashing)."""

import os

os.environ["LAYAN_MODE"] = "test"

from layan.settings import *  # noqa: E402,F403

# pytest-xdist workers share one Redis; Django's RedisCache.clear() flushes a whole database, so each
# worker gets its own database number (gw0 -> 15, gw1 -> 14, ...) and the tests never clear each other.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)  # noqa: F405
    _db = 15 - int(_worker[2:]) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(_parts._replace(path=f"/{_db}"))  # noqa: F405
