"""Input PostgreSQL cannot store (a NUL byte) is a 400 with the field named, never a 500."""

import pytest


@pytest.mark.django_db
def test_a_category_with_a_nul_byte_is_refused_with_a_message(client):
    response = client.post(
        "/api/v1/complaints/cases/",
        {"category": "jalan\x00", "description": "Jalan rusak parah di depan pasar", "region_code": "72.01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "category" in response.json()["fields"]
