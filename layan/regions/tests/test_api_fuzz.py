"""schemathesis on the two public region operations: generated valid and invalid input never gets a 5xx,
and every answer matches the documented schema (anonymous caller: the endpoints are public)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_test_connection():
    """The real WSGI handler closes "old" connections around each request; inside a test transaction on
    PostgreSQL that closes the test's own connection. Django's test client unhooks the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_generated_requests_never_get_a_server_error(tree, keep_test_connection):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    statuses = set()
    for path in ("/api/v1/regions/", "/api/v1/regions/{code}/"):
        operation = schema[path]["GET"]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=15,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                response = case.call()
                statuses.add(response.status_code)
                case.validate_response(
                    response,
                    checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
                )

            run()
    assert statuses <= {200, 400, 404}
    assert {200, 400, 404} <= statuses
