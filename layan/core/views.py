"""Shell pages: home per role, health check, error pages (HTML, or JSON under /api/)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from layan.core.scopes import roles_of


@login_required
def home(request):
    return render(request, "core/home.html", {"roles": sorted(roles_of(request.user))})


@never_cache
def healthz(request):
    """200 with the status of database, cache and broker; 503 when one is down."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("layan:healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("layan:healthz") == "1" else "error: no round trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    checks["broker"] = _broker_status()
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def _broker_status() -> str:
    from layan.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"


def _error(request, status: int, title: str, message: str):
    if request.path.startswith("/api/"):
        codes = {400: "bad_request", 403: "permission_denied", 404: "not_found", 500: "server_error"}
        return JsonResponse({"code": codes[status], "message": message, "fields": {}}, status=status)
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, 400, _("Permintaan tidak sah"), _("Permintaan tidak dapat diproses. Periksa kembali isian Anda."))


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, 403, _("Akses ditolak"), _("Anda tidak berwenang membuka halaman ini."))


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(request, 404, _("Halaman tidak ditemukan"),
                  _("Halaman atau data yang Anda cari tidak ada, atau tidak termasuk wilayah kerja Anda."))


@requires_csrf_token
def server_error(request):
    return _error(request, 500, _("Terjadi gangguan"),
                  _("Maaf, terjadi gangguan di sistem. Data Anda yang sudah tersimpan tetap aman. Coba lagi."))


def csrf_failure(request, reason=""):
    message = _("Formulir kedaluwarsa atau dibuka dari halaman lain. Muat ulang halaman lalu kirim lagi.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "csrf_failed", "message": message, "fields": {}}, status=403)
    return render(request, "error.html", {"status": 403, "title": _("Formulir kedaluwarsa"), "message": message},
                  status=403)
