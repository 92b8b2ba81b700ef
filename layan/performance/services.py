"""Every write of the performance module: plans, daily reports, evaluations, sanctions and TPP runs.

Discipline inputs come from the attendance module's selectors (its daily statuses and brackets), never
from its models, so that attendance stays the one owner of "what happened that day".
"""

from __future__ import annotations

import contextlib
import gc
import uuid as uuid_module
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, JSONField, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from layan.attendance import rules as attendance_rules
from layan.attendance import selectors as attendance_selectors
from layan.core import calendar
from layan.core.audit import audit_write, snapshot
from layan.core.models import Notification
from layan.core.scopes import has_permission, scoped
from layan.core.stored_text import message
from layan.org.models import Employee, EmployeeMove, Unit
from layan.org.selectors import own_employee
from layan.performance.models import (
    DailyReport,
    DailyReportVersion,
    Evaluation,
    Predikat,
    Rating,
    Rhk,
    Sanction,
    TppBasicRate,
    TppBudget,
    TppLine,
    TppParameter,
    TppRun,
)

VIEW, REVIEW, MANAGE_TPP = "performance.view", "performance.review", "performance.manage_tpp"
HUNDRED = Decimal("100")

# --- predikat ------------------------------------------------------------------------------------------

# PermenPAN-RB 6/2022 (DOMAIN.md): rows = results, columns = behaviour.
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    (Rating.ABOVE, Rating.BELOW): Predikat.KURANG,
    (Rating.ABOVE, Rating.AS_EXPECTED): Predikat.BAIK,
    (Rating.ABOVE, Rating.ABOVE): Predikat.SANGAT_BAIK,
    (Rating.AS_EXPECTED, Rating.BELOW): Predikat.KURANG,
    (Rating.AS_EXPECTED, Rating.AS_EXPECTED): Predikat.BAIK,
    (Rating.AS_EXPECTED, Rating.ABOVE): Predikat.BAIK,
    (Rating.BELOW, Rating.BELOW): Predikat.SANGAT_KURANG,
    (Rating.BELOW, Rating.AS_EXPECTED): Predikat.BUTUH_PERBAIKAN,
    (Rating.BELOW, Rating.ABOVE): Predikat.BUTUH_PERBAIKAN,
}


def predikat_for(*, result: str, behaviour: str) -> str:
    try:
        return PREDIKAT_MATRIX[(Rating(result), Rating(behaviour))]
    except ValueError as exc:
        raise ValidationError(_("Penilaian harus: di bawah, sesuai, atau di atas ekspektasi.")) from exc


# --- helpers -------------------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[date, date]:
    if not (1 <= month <= 12) or not (2000 <= year <= 2100):
        raise ValidationError(_("Bulan atau tahun tidak sah."))
    start = date(year, month, 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, end


def _require_in_scope(actor, instance, permission: str) -> None:
    if not scoped(type(instance)._default_manager.filter(pk=instance.pk), actor, permission).exists():
        raise Http404


def month_locked_for(unit_id: int, day: date) -> bool:
    """Whether the TPP month of ``day`` is locked for the unit (changes then go through a correction run)."""
    return TppRun.objects.filter(
        unit_id=unit_id, year=day.year, month=day.month, status=TppRun.Status.LOCKED
    ).exists()


def _refuse_if_locked(unit_id: int, day: date) -> None:
    if month_locked_for(unit_id, day):
        raise ValidationError(
            _("TPP bulan %(month)s sudah dikunci; perubahan hanya melalui perhitungan koreksi.")
            % {"month": day.strftime("%m-%Y")}
        )


# Plans (SKP/RHK) and evaluations: services_plans.py.


# --- daily reports -------------------------------------------------------------------------------------

ALLOWED_EVIDENCE = {".jpg", ".jpeg", ".png", ".webp", ".pdf"}
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


def _validate_evidence(upload) -> None:
    if upload is None:
        return
    name = (upload.name or "").lower()
    if not any(name.endswith(ext) for ext in ALLOWED_EVIDENCE) or upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {"evidence_file": _("Bukti harus foto (JPEG/PNG/WebP) atau PDF, paling besar 5 MB.")}
        )
    head = upload.read(8)
    upload.seek(0)
    if name.endswith(".pdf"):
        if not head.startswith(b"%PDF"):
            raise ValidationError({"evidence_file": _("Berkas PDF tidak sah.")})
        return
    from layan.core.uploads import validate_image_upload

    try:
        validate_image_upload(upload, max_bytes=MAX_EVIDENCE_BYTES)
    except ValidationError as exc:
        raise ValidationError({"evidence_file": exc.messages}) from exc


def _check_report_day(employee: Employee, day: date) -> None:
    region = employee.unit.region_id
    if day > calendar.local_today(region):
        raise ValidationError({"date": _("Laporan tidak dapat dibuat untuk hari yang belum tiba.")})
    if not calendar.is_working_day(day, region):
        name = calendar.day_off_name(day, region)
        message = (
            _("%(day)s adalah hari libur (%(name)s); laporan harian hanya untuk hari kerja.")
            % {"day": day.strftime("%d-%m-%Y"), "name": name}
            if name
            else _("%(day)s bukan hari kerja; laporan harian hanya untuk hari kerja.")
            % {"day": day.strftime("%d-%m-%Y")}
        )
        raise ValidationError({"date": message})
    _refuse_if_locked(employee.unit_id, day)


def _own_rhk(employee: Employee, rhk_id, day: date) -> Rhk | None:
    if rhk_id in (None, ""):
        return None
    rhk = Rhk.objects.filter(pk=rhk_id, skp__employee=employee, skp__year=day.year).first()
    if rhk is None:
        raise ValidationError({"rhk": _("RHK ini bukan milik SKP Anda tahun %(year)s.") % {"year": day.year}})
    return rhk


REPORT_FIELDS = ["date", "rhk", "activity", "output", "quantity", "minutes", "mode", "evidence_link"]


@dataclass
class SubmitResult:
    report: DailyReport
    created: bool


def daily_report_submit(
    *,
    actor,
    client_uuid: uuid_module.UUID | str,
    day: date,
    activity: str,
    rhk_id: int | None = None,
    output: str = "",
    quantity: Decimal | int = 1,
    minutes: int = 60,
    mode: str = DailyReport.Mode.WFO,
    evidence_link: str = "",
    evidence_file=None,
) -> SubmitResult:
    """Records a report; a re-send with the same client UUID returns the stored one (offline retries)."""
    employee = own_employee(actor)
    try:
        client_uuid = uuid_module.UUID(str(client_uuid))
    except ValueError as exc:
        raise ValidationError({"client_uuid": _("UUID perangkat tidak sah.")}) from exc
    existing = DailyReport.objects.filter(employee=employee, client_uuid=client_uuid).first()
    if existing:
        return SubmitResult(existing, False)
    _check_report_day(employee, day)
    _validate_evidence(evidence_file)
    rhk = _own_rhk(employee, rhk_id, day)
    report = DailyReport(
        employee=employee,
        client_uuid=client_uuid,
        date=day,
        rhk=rhk,
        activity=(activity or "").strip(),
        output=(output or "").strip(),
        quantity=quantity,
        minutes=minutes,
        mode=mode,
        evidence_link=evidence_link or "",
        submitted_at=timezone.now(),
    )
    if evidence_file is not None:
        report.evidence_file = evidence_file
    report.full_clean(exclude=["evidence_file"])
    try:
        with transaction.atomic():
            report.save()
            audit_write(
                actor=actor, action="performance.daily_report_submit", instance=report, after=snapshot(report)
            )
    except IntegrityError:
        # Two concurrent re-sends of one report: the other one won; return it.
        existing = DailyReport.objects.filter(employee=employee, client_uuid=client_uuid).first()
        if existing is None:
            raise
        return SubmitResult(existing, False)
    return SubmitResult(report, True)


@transaction.atomic
def daily_report_update(*, actor, report: DailyReport, **changes) -> DailyReport:
    """Edits in place until the supervisor acts; afterwards the old content is kept as a version."""
    report = (
        DailyReport.objects.select_for_update(of=("self",)).select_related("employee__unit").get(pk=report.pk)
    )
    if report.employee.user_id != actor.pk:
        raise Http404
    day = changes.get("date", report.date)
    _check_report_day(report.employee, day)
    if "rhk_id" in changes:
        report.rhk = _own_rhk(report.employee, changes.pop("rhk_id"), day)
    before = snapshot(report)
    if report.decided_at is not None:
        DailyReportVersion.objects.create(report=report, version=report.version, data=before)
        report.version += 1
        report.status = DailyReport.Status.SUBMITTED
        report.decided_at = None
        report.decided_by = None
    evidence_file = changes.pop("evidence_file", None)
    _validate_evidence(evidence_file)
    for name, value in changes.items():
        if name not in REPORT_FIELDS:
            raise ValidationError(_("Kolom %(name)s tidak dapat diubah.") % {"name": name})
        setattr(report, name, value)
    if evidence_file is not None:
        report.evidence_file = evidence_file
    report.submitted_at = timezone.now()
    report.full_clean(exclude=["evidence_file"])
    report.save()
    audit_write(
        actor=actor,
        action="performance.daily_report_update",
        instance=report,
        before=before,
        after=snapshot(report),
    )
    return report


def _decide(actor, report: DailyReport, approve: bool, note: str) -> DailyReport:
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Tulis catatan untuk pegawai saat mengembalikan laporan.")})
    _refuse_if_locked(report.employee.unit_id, report.date)
    before = snapshot(report)
    report.status = DailyReport.Status.APPROVED if approve else DailyReport.Status.RETURNED
    report.supervisor_note = (note or "").strip()
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "supervisor_note", "decided_by", "decided_at", "updated_at"])
    audit_write(
        actor=actor,
        action="performance.daily_report_approve" if approve else "performance.daily_report_return",
        instance=report,
        before=before,
        after=snapshot(report),
    )
    return report


def _reviewable(actor):
    """Reports the actor may decide: their team's, never their own."""
    qs = scoped(DailyReport.objects.select_related("employee__unit"), actor, REVIEW)
    return qs.exclude(employee__user=actor)


@transaction.atomic
def daily_report_decide(*, actor, report: DailyReport, approve: bool, note: str = "") -> DailyReport:
    report = _reviewable(actor).select_for_update().filter(pk=report.pk).first()
    if report is None:
        raise Http404
    if report.status != DailyReport.Status.SUBMITTED:
        raise ValidationError(_("Laporan ini sudah diputuskan."))
    return _decide(actor, report, approve, note)


@transaction.atomic
def daily_report_bulk_approve(*, actor, report_ids: list[int]) -> int:
    reports = list(
        _reviewable(actor).select_for_update().filter(pk__in=report_ids, status=DailyReport.Status.SUBMITTED)
    )
    approved = 0
    for report in reports:
        if month_locked_for(report.employee.unit_id, report.date):
            continue
        _decide(actor, report, True, "")
        approved += 1
    return approved


# --- evaluation and sanctions --------------------------------------------------------------------------


@transaction.atomic
def sanction_record(
    *,
    actor,
    employee: Employee,
    cut_percent: Decimal,
    start_date: date,
    end_date: date,
    decree_number: str,
    reason: str,
) -> Sanction:
    _require_in_scope(actor, employee, "org.view_employee")
    if not has_permission(actor, MANAGE_TPP):
        raise Http404
    day = start_date
    while day <= end_date:
        # A sanction reaching into a locked month would change it silently: refuse, correction run instead.
        _refuse_if_locked(employee.unit_id, day)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    sanction = Sanction(
        employee=employee,
        cut_percent=cut_percent,
        start_date=start_date,
        end_date=end_date,
        decree_number=decree_number,
        reason=reason,
        created_by=actor,
    )
    sanction.full_clean()
    sanction.save()
    audit_write(
        actor=actor, action="performance.sanction_record", instance=sanction, after=snapshot(sanction)
    )
    return sanction


# --- TPP -----------------------------------------------------------------------------------------------


class UnresolvedCorrections(ValidationError):
    """The month still has attendance corrections waiting for a decision: listed, never guessed."""

    def __init__(self, corrections: list):
        self.corrections = corrections
        lines = [f"{c.employee.name} {c.date:%d-%m-%Y} ({c.get_kind_display()})" for c in corrections[:50]]
        super().__init__(
            _(
                "Masih ada %(n)s koreksi presensi yang belum diputuskan: %(list)s. "
                "Putuskan dulu, lalu hitung ulang."
            )
            % {"n": len(corrections), "list": "; ".join(lines)},
            code="unresolved_corrections",
        )


def _units_by_day(employees: list[Employee], days: list[date]) -> dict[int, dict[date, int | None]]:
    """Each employee's unit per working day, from the move history (one query for all)."""
    moves = defaultdict(list)
    for move in EmployeeMove.objects.filter(employee__in=[e.pk for e in employees]).order_by(
        "employee_id", "effective_date", "id"
    ):
        moves[move.employee_id].append(move)
    result = {}
    first, last = (days[0], days[-1]) if days else (None, None)
    for employee in employees:
        own = moves.get(employee.pk, [])
        whole_month = bool(days) and (
            employee.employment_start <= first
            and (employee.employment_end is None or employee.employment_end >= last)
        )
        if not own and whole_month:
            # The common case (no move, employed all month): one unit every day.
            result[employee.pk] = dict.fromkeys(days, employee.unit_id)
            continue
        per_day = {}
        for day in days:
            if day < employee.employment_start or (employee.employment_end and day > employee.employment_end):
                per_day[day] = None
                continue
            before = [m for m in own if m.effective_date <= day]
            if before:
                per_day[day] = before[-1].to_unit_id
            elif own:
                per_day[day] = own[0].from_unit_id or employee.unit_id
            else:
                per_day[day] = employee.unit_id
        result[employee.pk] = per_day
    return result


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def _pct(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


NO_REPORT_EXPECTED = {"IZIN", "SAKIT", "CUTI", "DL", "TK", "LIBUR"}


def tpp_compute_lines(*, actor, unit: Unit, year: int, month: int) -> tuple[list[TppLine], TppParameter]:
    """Computes (without saving) the month's TPP for everyone who worked in ``unit`` that month."""
    start, end = month_bounds(year, month)
    region = unit.region_id
    days = calendar.working_days_in(start, end, region)
    parameter = TppParameter.in_force(end).first()
    if parameter is None:
        raise ValidationError(_("Parameter TPP yang berlaku untuk bulan ini belum ada."))
    rates = {r.kelas_jabatan: r.amount for r in TppBasicRate.in_force(end)}
    brackets = {b.code: b.cut for b in attendance_rules.brackets_on(end)}

    moved_ids = set(
        EmployeeMove.objects.filter(Q(to_unit=unit) | Q(from_unit=unit), effective_date__lte=end).values_list(
            "employee_id", flat=True
        )
    )
    employees = list(
        Employee.objects.filter(Q(unit=unit) | Q(pk__in=moved_ids))
        .filter(employment_start__lte=end)
        .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=start))
        .select_related("position")
        # Only what the computation reads: the NIK and other encrypted columns are never decrypted here.
        .only(
            "id",
            "name",
            "unit_id",
            "position_id",
            "position__kelas_jabatan",
            "employment_start",
            "employment_end",
        )
        .order_by("name", "id")
    )
    unit_days = _units_by_day(employees, days)
    employees = [e for e in employees if any(u == unit.pk for u in unit_days[e.pk].values())]
    ids = [e.pk for e in employees]

    pending = list(
        attendance_selectors.correction_list(actor=actor)
        .filter(employee_id__in=ids, date__range=(start, end), status="submitted")
        .select_related("employee")
        .order_by("date")
    )
    if pending:
        raise UnresolvedCorrections(pending)

    # One query per unit-month for each source (attendance recap, reports), read as tuples keyed by the
    # day's ISO text (cast by the database: no date parsing of 300,000 rows for a kabupaten).
    iso = Cast("date", output_field=CharField())
    attendance = defaultdict(dict)
    for employee_id, day, status, late_code, early_code in (
        attendance_selectors.daily_list(actor=actor)
        .filter(employee_id__in=ids, date__range=(start, end))
        .annotate(iso_day=iso)
        .values_list("employee_id", "iso_day", "status", "late_code", "early_code")
        .order_by()
    ):
        attendance[employee_id][day] = (status, late_code, early_code)
    reports = defaultdict(dict)
    approved_status = DailyReport.Status.APPROVED
    for employee_id, day, status in (
        DailyReport.objects.filter(employee_id__in=ids, date__range=(start, end))
        .annotate(iso_day=iso)
        .values_list("employee_id", "iso_day", "status")
        .order_by()
    ):
        # Best status of the day wins: one approved report makes the day reported.
        own = reports[employee_id]
        if own.get(day) != approved_status:
            own[day] = status
    sanctions = defaultdict(list)
    for sanction in Sanction.objects.filter(employee_id__in=ids, start_date__lte=end, end_date__gte=start):
        sanctions[sanction.employee_id].append(sanction)
    evaluations = {
        e.employee_id: e
        for e in Evaluation.objects.filter(
            employee_id__in=ids, kind=Evaluation.Kind.MONTHLY, period_start=start
        )
    }

    w_perf, w_disc = parameter.weight_performance, parameter.weight_discipline
    # Labels translated once per run, not once per employee (7,000 lines × 10 labels).
    label = {
        "share": _("Hari kerja di unit ini"),
        "performance": _("Capaian kinerja (laporan harian disetujui / hari wajib lapor)"),
        "attendance_cut": _("Potongan presensi (TL/PSW/TK)"),
        "report_cut": _("Potongan hari tanpa laporan harian"),
        "discipline_cut": _("Potongan disiplin (paling besar %(cap)s%%)")
        % {"cap": parameter.discipline_cut_cap},
        "formula": _(
            "TPP kotor = dasar × (bobot kinerja × kinerja + bobot disiplin × (100% − potongan)) "
            "× hari di unit"
        ),
        "sanction": _("Hukuman disiplin PP 94/2021"),
        "amount": _("TPP diterima (sebelum pajak)"),
        "predikat": _("Predikat bulan ini"),
    }
    basic_label = _("TPP dasar kelas jabatan %(k)s")
    iso_days = {d: d.isoformat() for d in days}
    zero = Decimal(0)
    cut_of = {code: Decimal(cut) for code, cut in brackets.items()}
    tk_cut = cut_of.get("TK", zero)
    lines = []
    for employee in employees:
        employee_units = unit_days[employee.pk]
        own_days = [d for d in days if employee_units[d] == unit.pk]
        problems, day_rows = [], []
        kelas = employee.position.kelas_jabatan if employee.position_id else None
        basic = rates.get(kelas) if kelas else None
        if kelas is None:
            problems.append(_("Jabatan/kelas jabatan belum tercatat: TPP tidak dapat dihitung."))
        elif basic is None:
            problems.append(_("TPP dasar untuk kelas jabatan %(k)s belum diatur.") % {"k": kelas})
        basic = basic or Decimal(0)
        attendance_cut = zero
        expected = approved = missing = uncomputed = 0
        own_attendance = attendance.get(employee.pk, {})
        own_reports = reports.get(employee.pk, {})
        for day in own_days:
            day_iso = iso_days[day]
            att = own_attendance.get(day_iso)
            cut = zero
            codes = []
            if att:
                status, late_code, early_code = att
                if late_code:
                    codes.append(late_code)
                    cut += cut_of.get(late_code, zero)
                if early_code:
                    codes.append(early_code)
                    cut += cut_of.get(early_code, zero)
                if status == "TK":
                    codes.append("TK")
                    cut += tk_cut
            else:
                status = ""
            if not status:
                uncomputed += 1
            report = own_reports.get(day_iso, "")
            report_expected = status not in NO_REPORT_EXPECTED
            if report_expected:
                expected += 1
                if report == approved_status:
                    approved += 1
                elif not report:
                    missing += 1
            attendance_cut += cut
            day_rows.append(
                {
                    "date": day_iso,
                    "status": status or "-",
                    "codes": codes,
                    "cut": str(cut),
                    "report": report or ("-" if report_expected else ""),
                }
            )
        if uncomputed:
            problems.append(_("Status presensi belum dihitung untuk %(n)s hari kerja.") % {"n": uncomputed})
        performance = _pct(Decimal(approved) * HUNDRED / expected) if expected else HUNDRED
        report_cut = parameter.missing_report_cut * missing
        discipline = min(parameter.discipline_cut_cap, attendance_cut + report_cut)
        share = Decimal(len(own_days)) / Decimal(len(days)) if days else Decimal(0)
        perf_amount = basic * w_perf / HUNDRED * performance / HUNDRED
        disc_amount = basic * w_disc / HUNDRED * (HUNDRED - discipline) / HUNDRED
        gross = _money((perf_amount + disc_amount) * share)
        sanction_cut = Decimal(0)
        sanction_steps = []
        for sanction in sanctions[employee.pk]:
            covered = [d for d in own_days if sanction.start_date <= d <= sanction.end_date]
            if not own_days or not covered:
                continue
            # A sanction starting or ending mid-month counts for the working days it covers.
            part = sanction.cut_percent * len(covered) / len(own_days)
            sanction_cut += part
            sanction_steps.append(
                {
                    "decree": sanction.decree_number,
                    "cut": str(sanction.cut_percent),
                    "days": len(covered),
                    "applied": str(_pct(part)),
                }
            )
        sanction_cut = _pct(min(sanction_cut, HUNDRED))
        amount = _money(gross * (HUNDRED - sanction_cut) / HUNDRED)
        evaluation = evaluations.get(employee.pk)
        steps = [
            {"key": "basic", "label": basic_label % {"k": kelas or "-"}, "value": str(basic)},
            {"key": "share", "label": label["share"], "value": f"{len(own_days)}/{len(days)}"},
            {
                "key": "performance",
                "label": label["performance"],
                "value": f"{approved}/{expected} = {performance}%",
            },
            {"key": "attendance_cut", "label": label["attendance_cut"], "value": f"{_pct(attendance_cut)}%"},
            {
                "key": "report_cut",
                "label": label["report_cut"],
                "value": f"{missing} × {parameter.missing_report_cut}% = {_pct(report_cut)}%",
            },
            {"key": "discipline_cut", "label": label["discipline_cut"], "value": f"{_pct(discipline)}%"},
            {
                "key": "formula",
                "label": label["formula"],
                "value": f"{basic} × ({w_perf}% × {performance}% + {w_disc}% × "
                f"(100% − {_pct(discipline)}%)) × {len(own_days)}/{len(days)} = {gross}",
            },
            {
                "key": "sanction",
                "label": label["sanction"],
                "value": f"{sanction_cut}%",
                "detail": sanction_steps,
            },
            {"key": "amount", "label": label["amount"], "value": str(amount)},
        ]
        if evaluation:
            steps.insert(
                3, {"key": "predikat", "label": label["predikat"], "value": evaluation.get_predikat_display()}
            )
        lines.append(
            TppLine(
                employee=employee,
                kelas_jabatan=kelas,
                basic_amount=basic,
                working_days=len(days),
                days_in_unit=len(own_days),
                performance_percent=performance,
                attendance_cut_percent=_pct(attendance_cut),
                missing_report_days=missing,
                discipline_cut_percent=_pct(discipline),
                sanction_cut_percent=sanction_cut,
                gross_amount=gross,
                amount=amount,
                problems=problems,
                steps=steps,
                days=day_rows,
            )
        )
    return lines, parameter


def _parameters_used(parameter: TppParameter) -> dict:
    return {
        "weight_performance": str(parameter.weight_performance),
        "weight_discipline": str(parameter.weight_discipline),
        "missing_report_cut": str(parameter.missing_report_cut),
        "discipline_cut_cap": str(parameter.discipline_cut_cap),
        "valid_from": parameter.valid_from.isoformat(),
        "legal_basis": parameter.legal_basis,
    }


def _lines_note(lines: list[TppLine]) -> str:
    problems = sum(1 for line in lines if line.problems)
    return f"lines={len(lines)} problems={problems} total={sum((x.amount for x in lines), Decimal(0))}"


def _insert_lines(lines: list[TppLine]) -> None:
    """The computed lines written as plain tuples, without the ORM's per-field preparation.

    ``bulk_create`` spent most of a 7,000-line run preparing values field by field through the SQL
    compiler. The lines are built and checked by this module alone, so they go in as tuples: decimals and
    integers as they are, JSON through the backend's own adapter (text on SQLite, jsonb on PostgreSQL).
    SQLite reuses one prepared statement (``executemany``); PostgreSQL receives them with COPY (one
    stream instead of a statement per line)."""
    if not lines:
        return
    ops = connection.ops
    fields = [f for f in TppLine._meta.concrete_fields if not f.primary_key]
    getters = [
        (lambda line, name=f.attname, encoder=f.encoder: ops.adapt_json_value(getattr(line, name), encoder))
        if isinstance(f, JSONField)
        else attrgetter(f.attname)
        for f in fields
    ]
    table = ops.quote_name(TppLine._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    rows = (tuple(get(line) for get in getters) for line in lines)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            return
        values = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({values})", list(rows))  # noqa: S608


def _store_lines(run: TppRun, lines: list[TppLine]) -> None:
    run.lines.all().delete()
    for line in lines:
        line.run_id = run.pk
    _insert_lines(lines)
    run.total_amount = sum((line.amount for line in lines), Decimal(0))
    run.computed_at = timezone.now()


@contextlib.contextmanager
def _no_cyclic_gc():
    """A run builds ~30 small containers per employee-day (the explained days) and makes no reference
    cycles: the cyclic collector's passes over that growing heap cost a third of a 7,000-employee run.
    Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _require_manage(actor, unit: Unit) -> None:
    if not scoped(Unit.objects.filter(pk=unit.pk), actor, MANAGE_TPP).exists():
        raise Http404


@transaction.atomic
def tpp_run_compute(*, actor, unit: Unit, year: int, month: int) -> TppRun:
    """Computes (or recomputes) the month's regular run while it is a draft or reviewed."""
    _require_manage(actor, unit)
    run = (
        TppRun.objects.select_for_update()
        .filter(unit=unit, year=year, month=month, corrects__isnull=True)
        .first()
    )
    if run and run.status == TppRun.Status.LOCKED:
        raise ValidationError(
            _("TPP %(m)02d/%(y)s untuk unit ini sudah dikunci; gunakan perhitungan koreksi.")
            % {"m": month, "y": year}
        )
    with _no_cyclic_gc():
        lines, parameter = tpp_compute_lines(actor=actor, unit=unit, year=year, month=month)
    before = snapshot(run)
    if run is None:
        run = TppRun(unit=unit, year=year, month=month, created_by=actor)
    run.status = TppRun.Status.DRAFT
    run.reviewed_by = None
    run.parameters = _parameters_used(parameter)
    run.full_clean(exclude=["total_amount"])
    run.save()
    _store_lines(run, lines)
    run.save(update_fields=["total_amount", "computed_at", "updated_at"])
    # One audit row per run (with its counts), never one per line: the lines are the run's own record.
    audit_write(
        actor=actor,
        action="performance.tpp_run_compute",
        instance=run,
        before=before,
        after=snapshot(run),
        note=_lines_note(lines),
    )
    return run


@transaction.atomic
def tpp_run_review(*, actor, run: TppRun) -> TppRun:
    _require_manage(actor, run.unit)
    run = TppRun.objects.select_for_update().get(pk=run.pk)
    if run.status != TppRun.Status.DRAFT:
        raise ValidationError(_("Hanya perhitungan berstatus konsep yang dapat ditandai diperiksa."))
    before = snapshot(run)
    run.status, run.reviewed_by = TppRun.Status.REVIEWED, actor
    run.save(update_fields=["status", "reviewed_by", "updated_at"])
    audit_write(
        actor=actor, action="performance.tpp_run_review", instance=run, before=before, after=snapshot(run)
    )
    return run


@transaction.atomic
def tpp_run_lock(*, actor, run: TppRun) -> TppRun:
    _require_manage(actor, run.unit)
    run = TppRun.objects.select_for_update().get(pk=run.pk)
    if run.status != TppRun.Status.REVIEWED:
        raise ValidationError(_("Perhitungan harus diperiksa sebelum dikunci."))
    before = snapshot(run)
    run.status, run.locked_by, run.locked_at = TppRun.Status.LOCKED, actor, timezone.now()
    run.save(update_fields=["status", "locked_by", "locked_at", "updated_at"])
    audit_write(
        actor=actor, action="performance.tpp_run_lock", instance=run, before=before, after=snapshot(run)
    )
    return run


@transaction.atomic
def tpp_run_correct(*, actor, run: TppRun, reason: str) -> TppRun:
    """A correction of a locked month: a new run computed from today's data; the locked one is kept."""
    _require_manage(actor, run.unit)
    if run.status != TppRun.Status.LOCKED:
        raise ValidationError(_("Koreksi hanya untuk bulan yang sudah dikunci; hitung ulang saja."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tulis alasan koreksi.")})
    original = run.corrects or run
    with _no_cyclic_gc():
        lines, parameter = tpp_compute_lines(actor=actor, unit=run.unit, year=run.year, month=run.month)
    correction = TppRun(
        unit=run.unit,
        year=run.year,
        month=run.month,
        corrects=original,
        correction_reason=reason.strip(),
        created_by=actor,
        parameters=_parameters_used(parameter),
    )
    correction.full_clean(exclude=["total_amount"])
    correction.save()
    _store_lines(correction, lines)
    correction.save(update_fields=["total_amount", "computed_at", "updated_at"])
    audit_write(
        actor=actor,
        action="performance.tpp_run_correct",
        instance=correction,
        after=snapshot(correction),
        note=f"{reason.strip()} ({_lines_note(lines)})",
    )
    return correction


def tpp_payroll_pdf_start(*, actor, run: TppRun):
    """Starts the job that renders the signed-off payroll sheet (PDF) of a reviewed or locked run."""
    from layan.core.jobs import job_start
    from layan.performance.tasks import payroll_pdf_task

    _require_manage(actor, run.unit)
    if run.status == TppRun.Status.DRAFT:
        raise ValidationError(
            _("Daftar pembayaran bertanda tangan hanya untuk perhitungan yang sudah diperiksa.")
        )
    return job_start(
        actor=actor,
        kind="performance.payroll_pdf",
        title=message(
            N_("PDF daftar pembayaran TPP %(unit)s %(m)02d/%(y)s"),
            unit=run.unit.name,
            m=run.month,
            y=run.year,
        ),
        task=payroll_pdf_task,
        params={"run": run.pk},
    )


# --- budgets -------------------------------------------------------------------------------------------


@transaction.atomic
def tpp_budget_set(*, actor, unit: Unit, year: int, amount: Decimal, note: str = "") -> TppBudget:
    """Enters (or changes) a unit's TPP budget for a year (BKPSDM, from the DPA)."""
    _require_manage(actor, unit)
    budget = TppBudget.objects.select_for_update().filter(unit=unit, year=year).first()
    before = snapshot(budget)
    budget = budget or TppBudget(unit=unit, year=year)
    budget.amount = amount
    budget.note = (note or "").strip()
    budget.set_by = actor
    budget.full_clean()
    budget.save()
    audit_write(
        actor=actor,
        action="performance.tpp_budget_set",
        instance=budget,
        before=before,
        after=snapshot(budget),
    )
    return budget


# --- reminders (Celery beat: layan.performance.tasks) --------------------------------------------------


def _reminder_url(name: str, day: date) -> str:
    """The notification's link, marked with the day: one reminder per person and day, whatever the number
    of runs (the marker is what makes the jobs idempotent)."""
    return f"{reverse(name)}?pengingat={day.isoformat()}"


def _notify_once(user_ids_by_url: dict[str, dict[int, str]]) -> int:
    """Creates the notifications (url -> {user: title}) that do not exist yet; returns how many."""
    notes = []
    for url, titles in user_ids_by_url.items():
        if not titles:
            continue
        already = set(
            Notification.objects.filter(url=url, user_id__in=list(titles)).values_list("user_id", flat=True)
        )
        notes += [Notification(user_id=u, title=t, url=url) for u, t in titles.items() if u not in already]
    Notification.objects.bulk_create(notes)
    return len(notes)


def _on_leave(employee_ids: list[int], day: date) -> set[int]:
    """Who has approved leave or official travel (DL) covering ``day``. A system read for a system job:
    attendance's selectors are all scoped to an actor, and its day status is computed only at 23:00."""
    from layan.attendance.models import ApprovalStatus, LeaveRequest

    return set(
        LeaveRequest.objects.filter(
            employee_id__in=employee_ids, status=ApprovalStatus.APPROVED, start__lte=day, end__gte=day
        ).values_list("employee_id", flat=True)
    )


def daily_report_reminders_send(*, now=None) -> int:
    """Staff who have not reported today by the reminder hour of their unit's zone get a notification.

    Not expected to report: days off of their region, approved leave or official travel covering today,
    accounts that are inactive, employees without an account. Run hourly; idempotent per day."""
    now = now or timezone.now()
    hour = settings.LAYAN_PERFORMANCE_REPORT_REMINDER_HOUR
    by_zone: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for unit_id, region in Unit.objects.filter(is_active=True).values_list("pk", "region_id"):
        by_zone[calendar.zone_label(calendar.zone_for_region(region))].append((unit_id, region))
    pending: dict[str, dict[int, str]] = defaultdict(dict)
    title = _("Anda belum mengisi laporan kinerja harian %(day)s.")
    for units in by_zone.values():
        local = now.astimezone(calendar.zone_for_region(units[0][1]))
        day = local.date()
        if local.hour < hour:
            continue
        working_regions = {region for _unit, region in units if calendar.is_working_day(day, region)}
        unit_ids = [unit_id for unit_id, region in units if region in working_regions]
        if not unit_ids:
            continue
        candidates = dict(
            Employee.objects.filter(
                unit_id__in=unit_ids,
                employment_start__lte=day,
                user__isnull=False,
                user__is_active=True,
            )
            .filter(Q(employment_end__isnull=True) | Q(employment_end__gte=day))
            .exclude(daily_reports__date=day)
            .values_list("pk", "user_id")
            .order_by()
        )
        for employee_id in _on_leave(list(candidates), day):
            candidates.pop(employee_id, None)
        url = _reminder_url("performance:report_new", day)
        text = title % {"day": day.strftime("%d-%m-%Y")}
        pending[url].update({user_id: text for user_id in candidates.values()})
    sent = _notify_once(pending)
    if sent:
        audit_write(
            actor=None,
            action="performance.daily_report_reminders",
            object_type="performance.dailyreport",
            note=f"notifications={sent}",
        )
    return sent


def review_reminders_send(*, now=None) -> int:
    """Supervisors with team reports waiting more than LAYAN_PERFORMANCE_REVIEW_REMINDER_DAYS working days
    (counted from the submission, on the report's region calendar) get one notification a day."""
    now = now or timezone.now()
    limit = settings.LAYAN_PERFORMANCE_REVIEW_REMINDER_DAYS
    waiting = (
        DailyReport.objects.filter(
            status=DailyReport.Status.SUBMITTED,
            # A superset (calendar days): the working-day count below decides.
            submitted_at__lt=now - timedelta(days=limit),
            employee__supervisor__user__isnull=False,
            employee__supervisor__user__is_active=True,
        )
        .values_list("employee__supervisor__user_id", "submitted_at", "employee__unit__region_id")
        .order_by()
    )
    overdue: dict[int, int] = defaultdict(int)
    for user_id, submitted_at, region in waiting.iterator(chunk_size=2000):
        zone = calendar.zone_for_region(region)
        submitted_day, today = submitted_at.astimezone(zone).date(), now.astimezone(zone).date()
        if calendar.working_days_between(submitted_day, today, region) > limit:
            overdue[user_id] += 1
    day = now.astimezone(calendar.zone_for_region(settings.LAYAN_REGION_CODE)).date()
    title = _("%(n)s laporan harian tim menunggu persetujuan Anda lebih dari %(days)s hari kerja.")
    url = _reminder_url("performance:team", day)
    sent = _notify_once({url: {u: title % {"n": n, "days": limit} for u, n in overdue.items()}})
    if sent:
        audit_write(
            actor=None,
            action="performance.review_reminders",
            object_type="performance.dailyreport",
            note=f"notifications={sent}",
        )
    return sent
