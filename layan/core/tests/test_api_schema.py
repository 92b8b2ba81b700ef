"""The API as a whole: /api/schema/ is a valid OpenAPI 3 document, and schemathesis, generating valid and
invalid requests for every operation against the WSGI app, never gets a 5xx.

The caller is a verified admin BKPSDM with an API token (the widest ordinary scope), over a small slice of
Banggai from layan/conftest.py, so the generated requests reach real rows and real validation.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err

from layan.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db

EXAMPLES_PER_MODE = 10


@pytest.fixture
def keep_test_connection():
    """The real WSGI handler closes "old" connections around each request; inside the test transaction on
    PostgreSQL that would close the test's own connection. Django's test client unhooks the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(keep_test_connection):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def bkpsdm_headers(bkpsdm, people):
    """A fresh token per call: an operation that revokes its own token must not blind the next ones."""

    def headers() -> dict[str, str]:
        return {"Authorization": f"Bearer {api_token_issue(actor=bkpsdm, name='schemathesis')[1]}"}

    return headers


def test_schema_is_valid_openapi_3(api_schema):
    raw = api_schema.raw_schema
    assert raw["openapi"].startswith("3.")
    api_schema.validate()  # against the OpenAPI 3 meta-schema; raises on the first violation
    assert raw["paths"], "the API documents no operation"
    for path in raw["paths"]:
        assert path.startswith("/api/v1/"), path


def test_every_error_response_uses_the_one_format(client, db):
    response = client.get("/api/v1/tidak-ada/")
    assert response.status_code in {401, 403, 404}
    assert set(response.json()) == {"code", "message", "fields"}


def _exercise(operation, mode: GenerationMode, headers: dict, statuses: dict) -> list[str]:
    """Run generated cases of one operation; return the 5xx failures (none expected). Every status seen
    is added to ``statuses`` (operation label -> set of codes)."""
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES_PER_MODE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.headers = {**(case.headers or {}), **headers}
        try:
            response = case.call()
            statuses.setdefault(operation.label, set()).add(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])
        except Exception as exc:  # noqa: BLE001 - collected and reported all at once below
            failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:1500]}")
            raise

    try:
        run()
    except Unsatisfiable:
        pass  # the strategy could not build a case in this mode (e.g. nothing to make invalid)
    except Exception:  # noqa: BLE001 - the failure text is in ``failures``
        pass
    return failures[-1:]


def test_schemathesis_finds_no_server_error(api_schema, bkpsdm_headers):
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    operations = 0
    for result in api_schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(f"operation not testable: {result.err()}")
            continue
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _exercise(operation, mode, bkpsdm_headers(), statuses)
    assert not failures, "\n\n".join(failures)
    assert operations >= 5 and len(statuses) == operations, statuses
    # The token authenticated: the generated requests reached the views, not only the login wall.
    assert 200 in statuses["GET /api/v1/auth/me/"], statuses["GET /api/v1/auth/me/"]
    assert 200 in statuses["GET /api/v1/employees/"], statuses["GET /api/v1/employees/"]
