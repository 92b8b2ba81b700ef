"""The shell every page shares: menu by role, user menu, language switcher, CSP, demo banner, error pages
(Indonesian HTML, JSON under /api/), health check."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client, override_settings

from layan.conftest import client_for

pytestmark = pytest.mark.django_db


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/akun/" in response["Location"]


def test_shell_has_skip_link_user_menu_and_logout_as_post(camat):
    html = client_for(camat).get("/").content.decode()
    assert 'href="#main"' in html and "Langsung ke isi" in html
    assert 'id="user-menu"' in html and "Camat" in html
    assert re.search(r'<form method="post" action="/akun/keluar/"', html)
    for link in ("/akun/2fa/atur/", "/akun/token/", "/akun/sandi/"):
        assert f'href="{link}"' in html
    assert 'name="csrf-token"' in html


def test_menu_follows_the_roles(camat, admin_client):
    camat_html = client_for(camat).get("/").content.decode()
    assert "Kalender kerja" not in camat_html
    assert "Jejak audit" not in camat_html
    admin_html = admin_client.get("/").content.decode()
    assert 'href="/kalender/"' in admin_html
    assert 'href="/audit/"' in admin_html


def test_no_inline_scripts_or_styles_and_csp_is_enforced(camat):
    response = client_for(camat).get("/")
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "style=" not in html
    assert "<style" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
    # Every asset is served by the app itself.
    for url in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert url.startswith("/"), url
    assert 'src="/static/layan/layan.js"' in html


def test_tables_on_pages_are_wrapped_for_small_screens(admin_client, regions):
    html = admin_client.get("/kalender/?tahun=2025").content.decode()
    assert html.count("<table") == html.count('<div class="table-responsive">')


def test_demo_banner_only_in_demo_mode(camat):
    client = client_for(camat)
    assert 'id="demo-banner"' not in client.get("/").content.decode()
    with override_settings(DEMO_MODE=True):
        assert "MODE DEMO" in client.get("/").content.decode()


def test_indonesian_by_default_even_for_an_english_browser(camat):
    client = client_for(camat)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html
    assert "Beranda Camat" in html


def test_language_switcher_turns_the_interface_to_english_and_back(camat):
    client = client_for(camat)
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'value="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Camat home" in html
    assert "Log out" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Beranda Camat" in client.get("/").content.decode()


@override_settings(DEBUG=False)
def test_404_is_an_indonesian_page(camat):
    response = client_for(camat).get("/tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert '<html lang="id">' in html


def test_404_for_anonymous_visitor_too(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@override_settings(DEBUG=False)
def test_api_404_is_json_in_the_one_error_format(camat):
    response = client_for(camat).get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "not_found" and body["fields"] == {}
    assert "tidak ada" in body["message"]


def test_server_error_page_is_indonesian_and_needs_no_database(rf):
    from layan.core.views import server_error

    response = server_error(rf.get("/apa-saja/"))
    assert response.status_code == 500
    assert "Terjadi gangguan" in response.content.decode()
    api = server_error(rf.get("/api/v1/apa-saja/"))
    assert api.status_code == 500 and b'"server_error"' in api.content


def test_unhandled_exception_gives_the_indonesian_500(camat, monkeypatch):
    from layan.core import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "home_summary", boom)
    client = Client(raise_request_exception=False)
    client.force_login(camat)
    response = client.get("/")
    assert response.status_code == 500
    assert "Terjadi gangguan" in response.content.decode()


def test_400_and_403_handlers(rf):
    from layan.core.views import bad_request, permission_denied

    assert "Permintaan tidak sah" in bad_request(rf.get("/x/")).content.decode()
    response = permission_denied(rf.get("/x/"))
    assert response.status_code == 403 and "Akses ditolak" in response.content.decode()
    api = permission_denied(rf.get("/api/v1/x/"))
    assert json.loads(api.content)["code"] == "permission_denied"


def test_csrf_failure_is_explained_in_indonesian(camat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(camat)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.content.decode()


def test_healthz_reports_every_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}


def test_healthz_is_503_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"
