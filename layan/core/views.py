"""Shell and core admin pages: home per role, health check, error pages (HTML, or JSON under /api/), the
working-day calendar, the audit trail, the NIK processing export, and background jobs (page and API)."""

from __future__ import annotations

import json
import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers

from layan.core import calendar, exports, selectors, services
from layan.core.api import StandardPagination
from layan.core.forms import (
    AuditFilterForm,
    CalendarFilterForm,
    DayOffForm,
    NikForm,
    ProcessingExportForm,
    WorkingDaysForm,
)
from layan.core.listing import paginate, querystring_without
from layan.core.models import Job, Notification
from layan.core.personal_data import keyed_hash, masked
from layan.core.roles import Role
from layan.core.scopes import require_permission

# --- home -----------------------------------------------------------------------------------------------


@login_required
def home(request):
    summary = selectors.home_summary(request.user)
    return render(
        request,
        "core/home.html",
        {
            "summary": summary,
            "role_labels": [(role, Role(role).label) for role in summary.roles],
            "primary_label": Role(summary.primary_role).label if summary.primary_role else "",
            "held": set(summary.roles),
            "area_head": bool(set(summary.roles) & selectors.AREA_HEAD_ROLES),
        },
    )


# --- operations -----------------------------------------------------------------------------------------


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
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


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


# --- error pages ----------------------------------------------------------------------------------------

_ERROR_CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _error(request, status: int, title: str, message: str, *, with_request: bool = True):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": _ERROR_CODES[status], "message": message, "fields": {}}, status=status)
    context = {"status": status, "title": title, "message": message}
    if with_request:
        return render(request, "error.html", context, status=status)
    # A 500 may come from a broken database: render without context processors (no menu, no user).
    return HttpResponse(loader.get_template("error.html").render(context), status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(
        request,
        400,
        _("Permintaan tidak sah"),
        _("Permintaan tidak dapat diproses. Periksa kembali isian Anda."),
    )


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(request, 403, _("Akses ditolak"), _("Anda tidak berwenang membuka halaman ini."))


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Halaman tidak ditemukan"),
        _("Halaman atau data yang Anda cari tidak ada, atau tidak termasuk wilayah kerja Anda."),
    )


@requires_csrf_token
def server_error(request):
    return _error(
        request,
        500,
        _("Terjadi gangguan"),
        _("Maaf, terjadi gangguan di sistem. Data Anda yang sudah tersimpan tetap aman. Coba lagi."),
        with_request=False,
    )


def csrf_failure(request, reason=""):
    message = _("Formulir kedaluwarsa atau dibuka dari halaman lain. Muat ulang halaman lalu kirim lagi.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "csrf_failed", "message": message, "fields": {}}, status=403)
    return render(
        request,
        "error.html",
        {"status": 403, "title": _("Formulir kedaluwarsa"), "message": message},
        status=403,
    )


# --- working-day calendar -------------------------------------------------------------------------------


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _calendar_url(year: int, region: str = "") -> str:
    params = {"tahun": year}
    if region:
        params["wilayah"] = region
    return f"{reverse('core:calendar')}?{urlencode(params)}"


@login_required
@require_http_methods(["GET", "POST"])
def calendar_view(request):
    require_permission(request.user, "core.manage_calendar")
    status = 200
    year, region = calendar.local_today().year, ""
    filters = CalendarFilterForm(request.GET or None, initial={"tahun": year})
    if filters.is_bound:
        if filters.is_valid():
            year = filters.cleaned_data["tahun"] or year
            region = filters.cleaned_data["wilayah"]
        else:
            status = 400
    form = DayOffForm(request.POST or None, initial={"region_prefix": region})
    if request.method == "POST":
        if form.is_valid():
            try:
                day_off = services.day_off_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Hari %(name)s (%(date)s) disimpan.")
                    % {"name": day_off.name, "date": day_off.date.strftime("%d-%m-%Y")},
                )
                return redirect(_calendar_url(day_off.date.year, region))
        status = 400
    counter = WorkingDaysForm(
        request.GET if "hitung-dari" in request.GET else None, prefix="hitung", initial={"wilayah": region}
    )
    counted = None
    if counter.is_bound:
        if counter.is_valid():
            data = counter.cleaned_data
            counted = {
                "count": calendar.working_days_between(data["dari"], data["sampai"], data["wilayah"] or None),
                **data,
            }
        else:
            status = 400
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "region": region,
            "filters": filters,
            "form": form,
            "counter": counter,
            "counted": counted,
            "national_days": selectors.national_days(year, region),
            "day_offs": selectors.day_offs(year, region),
            "working_day_count": selectors.working_day_count(year, region),
            "zone_label": calendar.zone_label(calendar.zone_for_region(region or settings.LAYAN_REGION_CODE)),
            "previous_url": _calendar_url(year - 1, region),
            "next_url": _calendar_url(year + 1, region),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def day_off_edit(request, pk: int):
    day_off = selectors.day_off_or_404(request.user, pk)
    initial = {f: getattr(day_off, f) for f in ("date", "name", "kind", "region_prefix", "legal_basis")}
    form = DayOffForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                day_off = services.day_off_update(actor=request.user, day_off=day_off, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Perubahan disimpan."))
                return redirect(_calendar_url(day_off.date.year))
        return render(request, "core/day_off_form.html", {"form": form, "day_off": day_off}, status=400)
    return render(request, "core/day_off_form.html", {"form": form, "day_off": day_off})


@login_required
@require_POST
def day_off_delete(request, pk: int):
    day_off = selectors.day_off_or_404(request.user, pk)
    year = day_off.date.year
    services.day_off_delete(actor=request.user, day_off=day_off)
    messages.success(request, _("Hari %(name)s dihapus.") % {"name": day_off.name})
    return redirect(_calendar_url(year))


# --- audit ----------------------------------------------------------------------------------------------

_AUDIT_EXPORT_LIMIT = 50_000


@login_required
@require_http_methods(["GET", "POST"])
def audit_list(request):
    require_permission(request.user, "core.view_audit")
    nik_form = NikForm(request.POST or None, prefix="nik")
    if request.method == "POST":
        # The NIK travels in the POST body only; the list URL carries its keyed hash.
        if nik_form.is_valid():
            subject = keyed_hash(nik_form.cleaned_data["nik"])
            return redirect(f"{reverse('core:audit_list')}?{urlencode({'subjek': subject})}")
        filters = AuditFilterForm()
        return render(
            request,
            "core/audit_list.html",
            {
                "filters": filters,
                "nik_form": nik_form,
                "page": None,
                "qs": "",
            },
            status=400,
        )
    filters = AuditFilterForm(request.GET or None)
    if filters.is_bound and not filters.is_valid():
        return render(
            request,
            "core/audit_list.html",
            {"filters": filters, "nik_form": nik_form, "page": None, "qs": ""},
            status=400,
        )
    criteria = {k: v for k, v in (filters.cleaned_data.items() if filters.is_bound else []) if v}
    events = selectors.audit_events(request.user, **criteria).select_related("actor")
    export = request.GET.get("export")
    if export in {"xlsx", "csv"}:
        rows = (
            (
                e.at,
                e.actor_label,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                json.dumps(e.changes, ensure_ascii=False, cls=DjangoJSONEncoder),
                e.note,
                e.ip or "",
                e.request_id,
            )
            for e in events[:_AUDIT_EXPORT_LIMIT].iterator(chunk_size=1000)
        )
        headers = [
            _("Waktu"),
            _("Pelaku"),
            _("Aksi"),
            _("Jenis objek"),
            _("ID objek"),
            _("Objek"),
            _("Perubahan"),
            _("Catatan"),
            _("IP"),
            _("ID permintaan"),
        ]
        return exports.download("jejak-audit", headers, rows, fmt=export)
    return render(
        request,
        "core/audit_list.html",
        {
            "filters": filters,
            "nik_form": nik_form,
            "page": paginate(request, events, per_page=50),
            "qs": querystring_without(request, "page", "export"),
            "export_qs": querystring_without(request, "page", "export"),
            "by_subject": bool(criteria.get("subjek")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def processing_export(request):
    """Everything processed about one NIK (UU 27/2022 art. 31–32), as xlsx or JSON; the export is logged."""
    require_permission(request.user, "core.export_processing")
    form = ProcessingExportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            nik, fmt = form.cleaned_data["nik"], form.cleaned_data["format"]
            records = selectors.processing_records(request.user, nik)
            services.processing_export_record(actor=request.user, nik=nik, fmt=fmt)
            return _processing_download(records, nik, fmt)
        return render(request, "core/processing_export.html", {"form": form}, status=400)
    return render(request, "core/processing_export.html", {"form": form})


def _processing_rows(records: selectors.ProcessingRecords) -> list[tuple]:
    rows = []
    for h in records.holdings:
        rows.append(
            (
                _("Data tersimpan"),
                None,
                "",
                _("disimpan"),
                h["object_type"],
                h["object_id"],
                h["object_repr"],
                h["field"],
                "",
            )
        )
    for e in records.events:
        rows.append(
            (
                _("Jejak audit"),
                e.at,
                e.actor_label,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                json.dumps(e.changes, ensure_ascii=False, cls=DjangoJSONEncoder),
                e.ip or "",
            )
        )
    for r in records.reads:
        rows.append(
            (
                _("Akses data pribadi"),
                r.at,
                r.actor_label,
                r.purpose,
                r.object_type,
                r.object_id,
                r.object_repr,
                ", ".join(r.fields),
                r.ip or "",
            )
        )
    return rows


def _processing_download(records: selectors.ProcessingRecords, nik: str, fmt: str):
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "json":
        payload = {
            "nik": masked(nik),
            "generated_at": timezone.now().isoformat(),
            "stored_records": records.holdings,
            "audit_events": [
                {
                    "at": e.at.isoformat(),
                    "actor": e.actor_label,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "object": e.object_repr,
                    "changes": e.changes,
                    "note": e.note,
                    "ip": e.ip,
                    "request_id": e.request_id,
                }
                for e in records.events
            ],
            "personal_data_reads": [
                {
                    "at": r.at.isoformat(),
                    "actor": r.actor_label,
                    "purpose": r.purpose,
                    "object_type": r.object_type,
                    "object_id": r.object_id,
                    "object": r.object_repr,
                    "fields": r.fields,
                    "ip": r.ip,
                }
                for r in records.reads
            ],
        }
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="pemrosesan-nik-{stamp}.json"'
        return response
    headers = [
        _("Sumber"),
        _("Waktu"),
        _("Pelaku"),
        _("Aksi / tujuan"),
        _("Jenis objek"),
        _("ID objek"),
        _("Objek"),
        _("Rincian"),
        _("IP"),
    ]
    return exports.download("pemrosesan-nik", headers, _processing_rows(records), fmt="xlsx")


# --- jobs -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def job_list(request):
    page = paginate(request, selectors.jobs_of(request.user), per_page=25)
    return render(request, "core/job_list.html", {"page": page, "qs": ""})


@login_required
@require_GET
def job_detail(request, job_id):
    job = selectors.job_of_or_404(request.user, job_id)
    return render(request, "core/job_detail.html", {"job": job})


@login_required
@require_GET
def job_progress(request, job_id):
    """The progress partial htmx polls every second until the job is finished."""
    job = selectors.job_of_or_404(request.user, job_id)
    return render(request, "core/_job_progress.html", {"job": job})


@login_required
@require_GET
def job_download(request, job_id):
    job = selectors.job_of_or_404(request.user, job_id)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=os.path.basename(job.result_file.name)
    )


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    is_finished = serializers.BooleanField(read_only=True)
    result_file_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "done",
            "total",
            "percent",
            "is_finished",
            "message",
            "result",
            "result_file_url",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_result_file_url(self, job: Job) -> str | None:
        if not job.result_file:
            return None
        return reverse("core:job_download", args=[job.pk])


@extend_schema(
    summary="A background job the caller started (progress and result)",
    tags=["jobs"],
    responses={
        200: JobSerializer,
        401: OpenApiResponse(description="Not logged in ({code, message, fields})"),
        403: OpenApiResponse(description="Second factor required ({code, message, fields})"),
        404: OpenApiResponse(description="No such job, or started by someone else ({code, message, fields})"),
    },
)
class JobDetailAPI(generics.RetrieveAPIView):
    serializer_class = JobSerializer

    def get_object(self):
        return selectors.job_of_or_404(self.request.user, self.kwargs["job_id"])


# --- notifications ---------------------------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("belum") == "1"
    page = paginate(request, selectors.notifications_of(request.user, unread_only=unread_only), per_page=25)
    return render(request, "core/notification_list.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark read, then go where the notification points (only inside Layan: its URL is stored by our code)."""
    notification = selectors.notifications_of(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.notifications_mark_read(actor=request.user, notification_id=notification.pk)
    target = (
        notification.url if notification.url.startswith("/") and not notification.url.startswith("//") else ""
    )
    return redirect(target or "core:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_read(actor=request.user)
    messages.success(request, _("%(n)s notifikasi ditandai sudah dibaca.") % {"n": count})
    return redirect("core:notifications")


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


@extend_schema(
    summary="The caller's notifications, newest first (?unread=1 for unread only)",
    tags=["notifications"],
    responses={200: NotificationSerializer(many=True)},
)
class NotificationListAPI(generics.ListAPIView):
    serializer_class = NotificationSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return selectors.notifications_of(
            self.request.user, unread_only=self.request.GET.get("unread") == "1"
        )


@extend_schema(
    summary="Mark one notification read (or all of them with id 0)",
    tags=["notifications"],
    request=None,
    responses={200: inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()})},
)
class NotificationReadAPI(generics.GenericAPIView):
    serializer_class = NotificationSerializer

    def post(self, request, pk: int):
        if pk and not selectors.notifications_of(request.user).filter(pk=pk).exists():
            raise Http404
        marked = services.notifications_mark_read(actor=request.user, notification_id=pk or None)
        return JsonResponse({"marked": marked})
