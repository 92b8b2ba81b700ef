"""The API docs page is served from our own assets and obeys the CSP (no inline script or style)."""

import re

import pytest


@pytest.mark.django_db
def test_api_docs_page_has_no_inline_code_and_loads_its_script_from_us(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style>" not in html
    assert not re.search(r"<script>\s*\S", html), "inline script would be blocked by the CSP"
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources)
    init_script = client.get(sources[-1])
    assert init_script.status_code == 200
    assert "SwaggerUIBundle" in init_script.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
