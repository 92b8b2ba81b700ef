"""Settings for the test suite: the same settings in ``test`` mode (eager jobs, fast hashing)."""

import os

os.environ["LAYAN_MODE"] = "test"

from layan.settings import *  # noqa: E402,F403
