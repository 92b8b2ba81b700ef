"""Pages of the performance module: the phone daily report, the supervisor's live view, "why is my TPP
this amount", the TPP runs with the payroll export. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layan.core.exports import download
from layan.core.listing import paginate, querystring_without
from layan.core.scopes import require_permission
from layan.core.uploads import stored_file_response
from layan.org import selectors as org_selectors
from layan.performance import selectors, services
from layan.performance.forms import (
    BudgetForm,
    CorrectionForm,
    DailyReportForm,
    DecisionForm,
    LeadersFilterForm,
    RunForm,
)
from layan.performance.models import Predikat, Rhk


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _rhk_choices(employee, year):
    return [(r.pk, r.title) for r in Rhk.objects.filter(skp__employee=employee, skp__year=year)]


@login_required
def report_new(request):
    employee = org_selectors.own_employee(request.user)
    year = timezone.localdate().year
    if request.method == "POST":
        form = DailyReportForm(request.POST, request.FILES, rhk_choices=_rhk_choices(employee, year))
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.daily_report_submit(
                    actor=request.user,
                    client_uuid=data["client_uuid"],
                    day=data["date"],
                    activity=data["activity"],
                    rhk_id=data["rhk"],
                    output=data["output"],
                    quantity=data["quantity"],
                    minutes=data["minutes"],
                    mode=data["mode"],
                    evidence_link=data["evidence_link"],
                    evidence_file=data["evidence_file"],
                )
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("Laporan terkirim.") if result.created else _("Laporan ini sudah diterima sebelumnya."),
                )
                return redirect("performance:my_reports")
        status = 400
    else:
        form = DailyReportForm(
            initial={"client_uuid": uuid.uuid4()}, rhk_choices=_rhk_choices(employee, year)
        )
        status = 200
    return render(request, "performance/report_form.html", {"form": form}, status=status)


@login_required
def my_reports(request):
    employee = org_selectors.own_employee(request.user)
    page = paginate(request, selectors.own_reports(employee=employee))
    return render(
        request, "performance/my_reports.html", {"page": page, "qs": querystring_without(request, "page")}
    )


TEAM_STATUSES = ("submitted", "approved", "returned")
TEAM_ROWS_SHOWN = 100


def _row_labels() -> dict:
    """The labels of a report row, translated once per response (see _team_row.html)."""
    return {
        "pick": _("Pilih"),
        "minutes": _("menit"),
        "evidence": _("bukti"),
        "evidence_file": _("berkas bukti"),
        "note_label": _("Catatan"),
        "note": _("Catatan untuk pegawai"),
        "approve": _("Setujui"),
        "return": _("Kembalikan"),
    }


def _team_context(request):
    require_permission(request.user, services.REVIEW)
    status = request.GET.get("status", "submitted")
    if status not in TEAM_STATUSES:
        status = "submitted"
    cursor = timezone.now()
    reports = list(selectors.team_reports(actor=request.user).filter(status=status)[:TEAM_ROWS_SHOWN])
    stamps = [r.submitted_at for r in reports if r.submitted_at]
    # The poll asks for what was submitted after the newest row shown (or after this render).
    cursor = max(stamps) if stamps else cursor
    return {"reports": reports, "status": status, "cursor": cursor.isoformat(), "t": _row_labels()}


@login_required
def team(request):
    """The supervisor's live view: waiting reports (new ones appear by polling ``team_new``), one-tap
    approve / return with a note, bulk approve, and each member's streak of days reported."""
    context = _team_context(request)
    context["streaks"] = selectors.team_streaks(actor=request.user, today=timezone.localdate())
    return render(request, "performance/team.html", context)


@login_required
def report_evidence(request, pk: int):
    """A report's evidence file (photo or PDF), only to its author and their reviewers (never a public
    media URL)."""
    report = selectors.report_for_reader(actor=request.user, pk=pk)
    if not report.evidence_file:
        raise Http404
    return stored_file_response(report.evidence_file)


@login_required
def team_rows(request):
    return render(request, "performance/_team_rows.html", _team_context(request))


def _parse_cursor(value: str):
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment if timezone.is_aware(moment) else None


@login_required
def team_new(request):
    """Polled every few seconds by the open team page: only the reports submitted after ``since`` (a
    handful of rows, cheap on a weak phone), prepended to the list, and the poller with the new cursor."""
    require_permission(request.user, services.REVIEW)
    since = _parse_cursor(request.GET.get("since", ""))
    if since is None:
        since = timezone.now()
        reports = []
    else:
        reports = list(selectors.team_reports_since(actor=request.user, since=since)[:TEAM_ROWS_SHOWN])
    cursor = max([since, *(r.submitted_at for r in reports)])
    return render(
        request,
        "performance/_team_new.html",
        {
            "reports": reports,
            "since": since,
            "cursor": cursor.isoformat(),
            "status": "submitted",
            "t": _row_labels(),
        },
    )


@login_required
@require_POST
def report_decide(request, pk):
    """Approve, or return with a note, in one tap. From the team page (htmx) the answer is the report's
    row in its new state, so nothing else on the page (notes being typed, ticks) is disturbed."""
    report = selectors.report_get(actor=request.user, pk=pk, permission=services.REVIEW)
    form = DecisionForm(request.POST)
    form.is_valid()
    error = ""
    try:
        report = services.daily_report_decide(
            actor=request.user,
            report=report,
            approve=form.cleaned_data.get("approve", False),
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as exc:
        error = _error_text(exc)
    if request.headers.get("HX-Request"):
        report = selectors.report_get(actor=request.user, pk=pk, permission=services.REVIEW)
        return render(
            request, "performance/_team_row.html", {"r": report, "error": error, "t": _row_labels()}
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Keputusan tersimpan."))
    return redirect("performance:team")


@login_required
@require_POST
def bulk_approve(request):
    require_permission(request.user, services.REVIEW)
    ids = [int(v) for v in request.POST.getlist("report") if v.isdigit()]
    count = services.daily_report_bulk_approve(actor=request.user, report_ids=ids)
    messages.success(request, _("%(n)s laporan disetujui.") % {"n": count})
    return redirect("performance:team")


@login_required
def my_tpp(request):
    require_permission(request.user, services.VIEW)
    lines = selectors.effective_lines(actor=request.user)
    if request.GET.get("scope") != "team":
        lines = lines.filter(employee__user=request.user)
    page = paginate(request, lines)
    return render(
        request, "performance/my_tpp.html", {"page": page, "qs": querystring_without(request, "page")}
    )


@login_required
def tpp_line(request, pk):
    line = selectors.line_get(actor=request.user, pk=pk)
    return render(request, "performance/tpp_line.html", {"line": line})


@login_required
def run_list(request):
    require_permission(request.user, services.MANAGE_TPP)
    units = (
        org_selectors.units_visible_to(request.user, services.MANAGE_TPP)
        .filter(is_active=True)
        .order_by("name")
    )
    today = timezone.localdate()
    form = RunForm(request.POST or None, units=units, initial={"year": today.year, "month": today.month})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            unit = units.filter(pk=form.cleaned_data["unit"]).first()
            try:
                run = services.tpp_run_compute(
                    actor=request.user,
                    unit=unit,
                    year=form.cleaned_data["year"],
                    month=form.cleaned_data["month"],
                )
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("TPP dihitung."))
                return redirect("performance:run_detail", pk=run.pk)
        else:
            status = 400
    runs = selectors.runs_visible(actor=request.user)
    if request.GET.get("q"):
        runs = runs.filter(unit__name__icontains=request.GET["q"])
    page = paginate(request, runs)
    return render(
        request,
        "performance/run_list.html",
        {"form": form, "page": page, "qs": querystring_without(request, "page")},
        status=status,
    )


@login_required
def run_detail(request, pk):
    run = selectors.run_get(actor=request.user, pk=pk)
    fmt = request.GET.get("export")
    if fmt in {"xlsx", "csv"}:
        return download(
            f"TPP {run.unit.code} {run.year}-{run.month:02d}",
            selectors.PAYROLL_HEADERS,
            selectors.payroll_rows(run),
            fmt,
        )
    page = paginate(request, selectors.run_lines(run), per_page=50)
    return render(
        request,
        "performance/run_detail.html",
        {
            "run": run,
            "page": page,
            "qs": querystring_without(request, "page", "export"),
            "export_qs": "",
            "correction_form": CorrectionForm(),
        },
    )


@login_required
@require_POST
def run_action(request, pk, action):
    run = selectors.run_get(actor=request.user, pk=pk)
    try:
        if action == "review":
            run = services.tpp_run_review(actor=request.user, run=run)
        elif action == "lock":
            run = services.tpp_run_lock(actor=request.user, run=run)
        elif action == "recompute":
            run = services.tpp_run_compute(actor=request.user, unit=run.unit, year=run.year, month=run.month)
        elif action == "correct":
            run = services.tpp_run_correct(actor=request.user, run=run, reason=request.POST.get("reason", ""))
        elif action == "pdf":
            # A unit's sheet is a few hundred lines (~10 pages, seconds of WeasyPrint): a job with progress.
            job = services.tpp_payroll_pdf_start(actor=request.user, run=run)
            return redirect("core:job_detail", job_id=job.pk)
        else:
            raise ValidationError(_("Aksi tidak dikenal."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("performance:run_detail", pk=run.pk)


# --- leaders' view and TPP budgets ---------------------------------------------------------------------


@login_required
def leaders(request):
    """Per unit and for the whole scope: who reported today, reports waiting, approval time, predikat,
    TPP against budget; filters by month and unit, xlsx export. Leaders see the kabupaten, a unit head
    their subtree, anyone else 404."""
    require_permission(request.user, selectors.VIEW_UNIT)
    units = selectors.leader_units(actor=request.user)
    form = LeadersFilterForm(request.GET or None, units=units)
    today = timezone.localdate()
    year, month, unit_id = today.year, today.month, None
    if form.is_valid():
        year, month = form.cleaned_data["month"] or (year, month)
        unit_id = form.cleaned_data["unit"]
    summary = selectors.leaders_summary(actor=request.user, year=year, month=month, unit_id=unit_id)
    if request.GET.get("export") == "xlsx":
        return download(
            f"kinerja-pimpinan-{year}-{month:02d}",
            [str(h) for h in selectors.LEADERS_HEADERS],
            selectors.leaders_rows(summary),
            "xlsx",
        )
    return render(
        request,
        "performance/leaders.html",
        {
            "form": form,
            "summary": summary,
            "year": year,
            "month": month,
            "predikat": [(p, Predikat(p).label) for p in selectors.PREDIKAT_ORDER],
            "chart": selectors.leaders_chart_data(summary),
            "qs": querystring_without(request, "export"),
        },
        status=400 if form.errors else 200,
    )


@login_required
def budgets(request):
    """TPP budgets (pagu) per unit and year, entered by BKPSDM."""
    require_permission(request.user, services.MANAGE_TPP)
    units = (
        org_selectors.units_visible_to(request.user, services.MANAGE_TPP)
        .filter(is_active=True)
        .order_by("name")
    )
    today = timezone.localdate()
    form = BudgetForm(request.POST or None, units=units, initial={"year": today.year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.tpp_budget_set(
                    actor=request.user,
                    unit=units.get(pk=data["unit"]),
                    year=data["year"],
                    amount=data["amount"],
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Pagu TPP tersimpan."))
                return redirect("performance:budgets")
        status = 400
    page = paginate(request, selectors.budgets_visible(actor=request.user))
    return render(
        request,
        "performance/budgets.html",
        {"form": form, "page": page, "qs": querystring_without(request, "page")},
        status=status,
    )
