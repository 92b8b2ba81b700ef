"""Pages of the attendance module: the phone check-in (PWA), the employee's own week/month, the
supervisor's live board and review, the monthly recap. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from layan.attendance import selectors, services
from layan.attendance.forms import (
    CorrectionForm,
    DecisionForm,
    LeaveRequestForm,
    RecapFilterForm,
    ReviewForm,
    RosterEditForm,
    RosterGenerateForm,
    StandbyFilterForm,
    SwapRequestForm,
    UnitsOverviewFilterForm,
)
from layan.core import calendar
from layan.core.exports import download
from layan.core.listing import paginate, querystring_without
from layan.core.pdf import PDF_MAX_ROWS, pdf_download
from layan.core.scopes import require_permission
from layan.core.uploads import stored_file_response
from layan.org.selectors import own_employee

STATIC_DIR = Path(__file__).resolve().parent / "static" / "attendance"


@login_required
def checkin_page(request):
    employee = own_employee(request.user)
    info = selectors.today_for(employee)
    return render(
        request,
        "attendance/checkin.html",
        {
            "employee": employee,
            "today": info,
            "office": employee.unit.locations.filter(is_active=True).first(),
        },
    )


@lru_cache(maxsize=1)
def _service_worker_source() -> str:
    return (STATIC_DIR / "sw.js").read_text(encoding="utf-8")


@require_GET
def service_worker(request):
    """Served under /presensi/ so that its scope covers the check-in page (a static URL could not)."""
    response = HttpResponse(_service_worker_source(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("attendance:checkin")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    start = reverse("attendance:checkin")
    return JsonResponse(
        {
            "name": "Layan Presensi",
            "short_name": "Presensi",
            "start_url": start,
            "scope": start,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0d6efd",
            "lang": "id",
            "icons": [{"src": "/static/attendance/icon.svg", "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


def _month_of(value: str | None, fallback: date) -> date:
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return fallback.replace(day=1)


@login_required
def my_attendance(request):
    employee = own_employee(request.user)
    today = calendar.local_today(employee.unit.region_id)
    view = "week" if request.GET.get("tampilan") == "minggu" else "month"
    if view == "week":
        start = today - timedelta(days=today.weekday())
        end = start + timedelta(days=6)
    else:
        start = _month_of(request.GET.get("bulan"), today)
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    days = selectors.own_days(employee=employee, start=start, end=end)
    if view == "month" and request.GET.get("export") == "pdf":
        # The employee's own month on paper (for a file, a dispute, a TPP question), for the direct
        # supervisor's signature (the current one: supervisors are not kept by date; none who has left).
        supervisor = employee.supervisor
        if supervisor is not None and supervisor.employment_end is not None:
            supervisor = None
        return pdf_download(
            f"presensi-{employee.nip or employee.pk}-{start:%Y-%m}",
            "attendance/pdf/my_attendance.html",
            {
                "employee": employee,
                "days": days,
                "start": start,
                "end": end,
                "recap": selectors.own_month_recap(employee=employee, start=start, end=end),
                "signer_title": _("Atasan langsung"),
                "signer_name": supervisor.name if supervisor else "",
                "signer_nip": (supervisor.nip or "") if supervisor else "",
                "signed_on": today,
            },
        )
    return render(
        request,
        "attendance/my_attendance.html",
        {
            "employee": employee,
            "days": days,
            "start": start,
            "end": end,
            "view": view,
            "previous": (start - timedelta(days=1)).strftime("%Y-%m"),
            "next": (end + timedelta(days=1)).strftime("%Y-%m"),
            "balances": selectors.balances_of(employee, today.year),
        },
    )


def _board_context(request) -> dict:
    """The supervisor's own team, or with ``?unit=`` one unit of the unit head's / BKPSDM's overview
    (a unit outside the actor's overview scope is 404)."""
    unit = None
    if request.GET.get("unit"):
        unit = selectors.overview_unit_get(actor=request.user, pk=request.GET["unit"])
    else:
        require_permission(request.user, "attendance.review")
    day, rows, counts = selectors.today_board(actor=request.user, unit=unit)
    return {"day": day, "rows": rows, "counts": counts, "unit": unit}


@login_required
def team_board(request):
    return render(request, "attendance/board.html", _board_context(request))


@login_required
@never_cache
def team_board_rows(request):
    """The board's body, polled by htmx every 20 s (no reload)."""
    return render(request, "attendance/_board_rows.html", _board_context(request))


@login_required
def checkin_detail(request, pk: int):
    checkin = selectors.checkin_get(actor=request.user, pk=pk)
    can_review = (
        checkin.status == checkin.Status.FLAGGED
        and checkin.employee.user_id != request.user.pk
        and selectors.checkin_list(actor=request.user, permission=selectors.REVIEW).filter(pk=pk).exists()
    )
    return render(
        request,
        "attendance/checkin_detail.html",
        {
            "checkin": checkin,
            "can_review": can_review,
            "form": ReviewForm(),
            "zone": calendar.zone_for_region(checkin.employee.unit.region_id),
        },
    )


@login_required
@require_POST
def checkin_review(request, pk: int):
    checkin = selectors.checkin_get(actor=request.user, pk=pk, permission=selectors.REVIEW)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.checkin_review(
                actor=request.user,
                checkin=checkin,
                confirm=form.cleaned_data["decision"] == "confirm",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(
                request,
                "attendance/checkin_detail.html",
                {
                    "checkin": checkin,
                    "can_review": True,
                    "form": form,
                    "zone": calendar.zone_for_region(checkin.employee.unit.region_id),
                },
                status=400,
            )
        messages.success(request, _("Tinjauan presensi tersimpan."))
        return redirect("attendance:board")
    return render(
        request,
        "attendance/checkin_detail.html",
        {
            "checkin": checkin,
            "can_review": True,
            "form": form,
            "zone": calendar.zone_for_region(checkin.employee.unit.region_id),
        },
        status=400,
    )


@login_required
def checkin_selfie(request, pk: int):
    """The selfie, only to those who may see the check-in (never a public media URL)."""
    checkin = selectors.checkin_get(actor=request.user, pk=pk)
    if not checkin.selfie:
        raise Http404
    return stored_file_response(checkin.selfie)


@login_required
def recap(request):
    require_permission(request.user, "attendance.view")
    today = calendar.local_today()
    form = RecapFilterForm(request.GET or None, actor=request.user)
    month = today.replace(day=1)
    unit_id, search = None, ""
    if form.is_valid():
        month = form.cleaned_data.get("bulan") or month
        unit = form.cleaned_data.get("unit")
        unit_id = unit.pk if unit else None
        search = form.cleaned_data.get("q") or ""
    rows = selectors.monthly_recap(
        actor=request.user, year=month.year, month=month.month, unit_id=unit_id, search=search
    )
    fmt = request.GET.get("export")
    if fmt in ("xlsx", "csv"):
        return download(f"rekap-presensi-{month:%Y-%m}", selectors.recap_headers(), rows, fmt=fmt)
    if fmt == "pdf":
        if len(rows) > RECAP_PDF_MAX_ROWS:
            messages.error(
                request,
                _("Rekap PDF paling banyak %(n)s pegawai: pilih satu unit atau unduh Excel.")
                % {"n": RECAP_PDF_MAX_ROWS},
            )
            return redirect(f"{reverse('attendance:recap')}?{querystring_without(request, 'export')[1:]}")
        unit = form.cleaned_data.get("unit") if form.is_valid() else None
        return pdf_download(
            f"rekap-presensi-{unit.code if unit else 'semua'}-{month:%Y-%m}",
            "attendance/pdf/recap.html",
            _recap_pdf_context(rows, month, unit),
        )
    from django.core.paginator import Paginator

    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "attendance/recap.html",
        {
            "form": form,
            "page": page,
            "headers": selectors.recap_headers(),
            "month": month,
            "qs": querystring_without(request, "page", "export"),
            "ladder": selectors.absence_ladder(actor=request.user, year=month.year),
        },
    )


RECAP_PDF_MAX_ROWS = PDF_MAX_ROWS  # about 40 pages; a bigger recap is an Excel file


def _recap_pdf_context(rows: list[list], month: date, unit) -> dict:
    """The recap as a document: A4 landscape, totals, signed by the unit's head when one unit is chosen."""
    context = {
        "headers": selectors.recap_headers(),
        "rows": rows,
        "totals": selectors.recap_totals(rows),
        "month": month,
        "unit": unit,
        "signoff_place": "",
    }
    if unit is not None:
        head = selectors.unit_head(unit)
        context.update(
            signer_title=_("Kepala %(unit)s") % {"unit": unit.name},
            signer_name=head.name if head else "",
            signer_nip=(head.nip or "") if head else "",
            signed_on=calendar.local_today(unit.region_id),
        )
    return context


# --- leave and permits -----------------------------------------------------------------------------------


def _errors_to_form(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def leave_page(request):
    """The employee's own requests, balances and the request form."""
    employee = own_employee(request.user)
    today = calendar.local_today(employee.unit.region_id)
    form = LeaveRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.leave_request_submit(
                    actor=request.user,
                    leave_type=data["leave_type"],
                    start=data["start"],
                    end=data["end"],
                    reason=data["reason"],
                    place_latitude=data.get("place_latitude"),
                    place_longitude=data.get("place_longitude"),
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Pengajuan terkirim ke atasan Anda."))
                return redirect("attendance:leave")
        status = 400
    requests_ = paginate(request, selectors.own_leave_requests(employee=employee), 20)
    return render(
        request,
        "attendance/leave.html",
        {
            "form": form,
            "page": requests_,
            "qs": querystring_without(request, "page"),
            "balances": selectors.leave_balances(employee, today.year),
            "year": today.year,
        },
        status=status,
    )


def _approval_queue(request, template: str, pending):
    """A supervisor's queue of requests waiting for a decision (leave, corrections)."""
    require_permission(request.user, selectors.REVIEW)
    return render(
        request,
        template,
        {
            "page": paginate(request, pending(actor=request.user), 25),
            "qs": querystring_without(request, "page"),
            "form": DecisionForm(),
        },
    )


@login_required
def leave_approvals(request):
    return _approval_queue(request, "attendance/leave_approvals.html", selectors.pending_leaves)


@login_required
@require_POST
def leave_decide(request, pk: int):
    leave = selectors.leave_get(actor=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak."))
        return redirect("attendance:leave_approvals")
    try:
        services.leave_request_decide(
            actor=request.user,
            leave=leave,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Keputusan atas pengajuan tersimpan."))
    return redirect("attendance:leave_approvals")


# --- corrections for a missed check-in -------------------------------------------------------------------


@login_required
def correction_page(request):
    employee = own_employee(request.user)
    form = CorrectionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.correction_submit(
                    actor=request.user,
                    day=data["date"],
                    kind=data["kind"],
                    at=data["time"],
                    reason=data["reason"],
                    evidence=data["evidence"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Koreksi terkirim ke atasan Anda."))
                return redirect("attendance:corrections")
        status = 400
    return render(
        request,
        "attendance/corrections.html",
        {
            "form": form,
            "page": paginate(request, selectors.own_corrections(employee=employee), 20),
            "qs": querystring_without(request, "page"),
        },
        status=status,
    )


@login_required
def correction_approvals(request):
    return _approval_queue(request, "attendance/correction_approvals.html", selectors.pending_corrections)


@login_required
@require_POST
def correction_decide(request, pk: int):
    correction = selectors.correction_get(actor=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak."))
        return redirect("attendance:correction_approvals")
    try:
        services.correction_decide(
            actor=request.user, correction=correction, approve=form.cleaned_data["decision"] == "approve"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Keputusan atas koreksi tersimpan."))
    return redirect("attendance:correction_approvals")


@login_required
def correction_evidence(request, pk: int):
    """The evidence, only to the employee and those who may see their attendance."""
    correction = selectors.correction_get(actor=request.user, pk=pk, permission=selectors.VIEW)
    if not correction.evidence:
        raise Http404
    return stored_file_response(correction.evidence)


# --- rosters ---------------------------------------------------------------------------------------------

MANAGE_ROSTER = "attendance.manage_roster"


@login_required
def roster_list(request):
    require_permission(request.user, MANAGE_ROSTER)
    form = RosterGenerateForm(request.POST or None, actor=request.user)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                roster = services.roster_generate(
                    actor=request.user, unit=data["unit"], start=data["start"], end=data["end"]
                )
            except services.RosterInfeasible as exc:
                problems = exc.problems
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Jadwal dibuat sebagai draf. Periksa lalu terbitkan."))
                return redirect("attendance:roster_detail", pk=roster.pk)
        status = 400
    return render(
        request,
        "attendance/rosters.html",
        {
            "form": form,
            "problems": problems,
            "page": paginate(request, selectors.roster_list(actor=request.user), 20),
            "qs": querystring_without(request, "page"),
        },
        status=status,
    )


@login_required
def roster_detail(request, pk: int):
    roster = selectors.roster_get(actor=request.user, pk=pk)
    days, rows, onsite = selectors.roster_grid(roster)
    return render(
        request,
        "attendance/roster_detail.html",
        {
            "roster": roster,
            "days": days,
            "rows": rows,
            "onsite": onsite,
            "explanation": {e["date"]: e for e in roster.explanation},
            "modes": ["WFO", "WFH", "PIKET"],
        },
    )


@login_required
@require_POST
def roster_edit(request, pk: int):
    roster = selectors.roster_get(actor=request.user, pk=pk)
    form = RosterEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian perubahan jadwal tidak lengkap."))
        return redirect("attendance:roster_detail", pk=roster.pk)
    employee = roster.unit.employees.filter(pk=form.cleaned_data["employee"]).first()
    if employee is None:
        raise Http404
    try:
        services.roster_entry_set(
            actor=request.user,
            roster=roster,
            employee=employee,
            day=form.cleaned_data["date"],
            mode=form.cleaned_data["mode"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Jadwal diubah."))
    return redirect("attendance:roster_detail", pk=roster.pk)


@login_required
@require_POST
def roster_publish(request, pk: int):
    roster = selectors.roster_get(actor=request.user, pk=pk)
    try:
        services.roster_publish(actor=request.user, roster=roster)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Jadwal diterbitkan; pegawai dapat melihatnya."))
    return redirect("attendance:roster_detail", pk=roster.pk)


@login_required
def my_roster(request):
    """The employee's own published week (and the next), with the swap request form."""
    employee = own_employee(request.user)
    today = calendar.local_today(employee.unit.region_id)
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(days=13)
    entries = selectors.own_roster(employee=employee, start=start, end=end)
    form = SwapRequestForm(request.POST or None, partners=selectors.swap_partners(employee=employee))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            entry = next((e for e in entries if e.date == data["date"]), None)
            try:
                if entry is None:
                    raise ValidationError(_("Anda tidak terjadwal pada tanggal itu."))
                services.roster_swap_request(
                    actor=request.user,
                    roster=entry.roster,
                    partner=data["partner"],
                    day=data["date"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Permintaan tukar jadwal terkirim ke atasan."))
                return redirect("attendance:my_roster")
        status = 400
    return render(
        request,
        "attendance/my_roster.html",
        {
            "entries": entries,
            "start": start,
            "end": end,
            "form": form,
            "swaps": selectors.own_swaps(employee=employee),
        },
        status=status,
    )


@login_required
def swap_approvals(request):
    require_permission(request.user, selectors.REVIEW)
    return render(
        request,
        "attendance/swap_approvals.html",
        {
            "page": paginate(request, selectors.pending_swaps(actor=request.user), 25),
            "qs": querystring_without(request, "page"),
        },
    )


@login_required
@require_POST
def swap_decide(request, pk: int):
    swap = selectors.swap_get(actor=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak."))
        return redirect("attendance:swap_approvals")
    try:
        services.roster_swap_decide(
            actor=request.user, swap=swap, approve=form.cleaned_data["decision"] == "approve"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Keputusan tukar jadwal tersimpan."))
    return redirect("attendance:swap_approvals")


# --- outage fallback: the head of unit's manual list ------------------------------------------------------


def _parse_time(value: str):
    from datetime import time as time_

    value = (value or "").strip()
    if not value:
        return None
    try:
        hh, mm = (int(x) for x in value.split(":")[:2])
        return time_(hh, mm)
    except ValueError:
        raise ValidationError(_("Jam harus berbentuk JJ:MM, mis. 07:30.")) from None


@login_required
def manual_list(request):
    require_permission(request.user, MANAGE_ROSTER)
    form = RosterGenerateForm(request.GET or None, actor=request.user)
    form.fields.pop("end")
    form.fields["start"].label = _("Tanggal")
    unit = day = None
    errors: list[str] = []
    status = 200
    if form.is_valid():
        unit, day = form.cleaned_data["unit"], form.cleaned_data["start"]
    employees = list(unit.employees.filter(employment_end__isnull=True).order_by("name")) if unit else []
    if request.method == "POST" and unit is not None:
        try:
            rows = [
                (e, _parse_time(request.POST.get(f"in_{e.pk}")), _parse_time(request.POST.get(f"out_{e.pk}")))
                for e in employees
            ]
            services.manual_attendance_record(
                actor=request.user,
                unit=unit,
                day=day,
                statement=request.POST.get("statement", ""),
                rows=rows,
            )
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(request, _("Daftar hadir manual tersimpan dan tercatat di jejak audit."))
            return redirect(f"{reverse('attendance:manual_list')}?{request.GET.urlencode()}")
    elif request.method == "POST":
        status = 400
        errors = [_("Pilih unit dan tanggal terlebih dahulu.")]
    existing = selectors.manual_lists(actor=request.user)
    return render(
        request,
        "attendance/manual_list.html",
        {
            "form": form,
            "unit": unit,
            "day": day,
            "employees": employees,
            "errors": errors,
            "post": request.POST,
            "page": paginate(request, existing, 20),
            "qs": querystring_without(request, "page"),
        },
        status=status,
    )


# --- stand-by while WFH ----------------------------------------------------------------------------------


def _standby_card_context(employee) -> dict:
    return {"ping": selectors.open_standby_ping(employee=employee)}


@login_required
def standby_page(request):
    """The employee's stand-by pings: the one waiting (one tap "Saya siap") and the history."""
    employee = own_employee(request.user)
    return render(
        request,
        "attendance/standby.html",
        {
            **_standby_card_context(employee),
            "page": paginate(request, selectors.own_standby_pings(employee=employee), 20),
            "qs": querystring_without(request, "page"),
            "now": timezone.now(),
        },
    )


@login_required
@never_cache
def standby_card(request):
    """The waiting ping as a card, loaded and polled by htmx on the check-in page (empty when none)."""
    employee = own_employee(request.user)
    return render(request, "attendance/_standby_card.html", _standby_card_context(employee))


@login_required
@require_POST
def standby_answer(request, pk: int):
    ping = selectors.own_standby_ping_get(actor=request.user, pk=pk)
    error = ""
    try:
        ping = services.standby_ping_answer(actor=request.user, ping=ping, via="web")
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "attendance/_standby_card.html",
            {"ping": None, "answered": ping if not error else None, "error": error},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Terima kasih, jawaban Anda tercatat (%(m)s menit setelah panggilan).")
            % {"m": ping.response_minutes},
        )
    return redirect("attendance:standby")


@login_required
def team_standby(request):
    """The supervisor's view of the team's stand-by pings: answered, waiting, missed, response times."""
    require_permission(request.user, selectors.REVIEW)
    today = calendar.local_today()
    form = StandbyFilterForm(request.GET or None)
    month, status, search = today.replace(day=1), "", ""
    if form.is_valid():
        month = form.cleaned_data.get("bulan") or month
        status, search = form.cleaned_data.get("status") or "", form.cleaned_data.get("q") or ""
    end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    all_pings = selectors.team_standby_pings(actor=request.user, start=month, end=end, search=search)
    pings = selectors.team_standby_pings(
        actor=request.user, start=month, end=end, status=status, search=search
    )
    fmt = request.GET.get("export")
    if fmt in ("xlsx", "csv"):
        return download(
            f"siaga-wfh-{month:%Y-%m}",
            selectors.STANDBY_HEADERS,
            selectors.standby_export_rows(pings),
            fmt=fmt,
        )
    return render(
        request,
        "attendance/team_standby.html",
        {
            "form": form,
            "month": month,
            "page": paginate(request, pings, 50),
            "counts": selectors.standby_counts(all_pings),
            "qs": querystring_without(request, "page", "export"),
            "now": timezone.now(),
        },
    )


# --- the unit head's and BKPSDM's view across units ------------------------------------------------------


@login_required
def units_overview(request):
    """Units in the actor's scope with today's and the month's counts, drill-down to each unit's board."""
    require_permission(request.user, selectors.VIEW_UNITS)
    form = UnitsOverviewFilterForm(request.GET or None)
    month, search, kind = calendar.local_today().replace(day=1), "", ""
    if form.is_valid():
        month = form.cleaned_data.get("bulan") or month
        search, kind = form.cleaned_data.get("q") or "", form.cleaned_data.get("jenis") or ""
    day, rows, total = selectors.units_overview(actor=request.user, month=month, search=search, kind=kind)
    fmt = request.GET.get("export")
    if fmt in ("xlsx", "csv"):
        return download(
            f"presensi-per-unit-{month:%Y-%m}",
            selectors.UNITS_OVERVIEW_HEADERS,
            selectors.units_overview_export_rows(rows),
            fmt=fmt,
        )
    return render(
        request,
        "attendance/units_overview.html",
        {
            "form": form,
            "day": day,
            "month": month,
            "page": paginate(request, rows, 25),
            "total": total,
            "qs": querystring_without(request, "page", "export"),
        },
    )
