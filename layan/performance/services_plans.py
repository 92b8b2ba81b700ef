"""Writes of performance plans and evaluations (PermenPAN-RB 6/2022).

Plans: an employee drafts a SKP for a year — RHK each hanging under one of the supervisor's *agreed* RHK
(cascading), indicators with targets (quantity, quality, time), the BerAKHLAK behaviour expectations — and
submits it; the supervisor agrees or returns it with a note. Wrong or missing supervisor data is reported
by ``skp_problems`` as a fixable problem (what, what to do, who can fix it), never a dead end.

Evaluations: the supervisor rates results and behaviour; the predikat follows the matrix
(``services.predikat_for``); a unit's evaluations of a period are finalised only after the distribution of
predikat has been compared with the bounds set by the organisation's rating (``PredikatDistributionRule``
rows, entered as data), and differences are accepted only with a reason (audited).

Kept apart from ``services.py`` (daily reports and TPP) so that both halves of the module can change
independently; the conventions are the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from layan.core.audit import audit_write, snapshot
from layan.core.scopes import has_permission, scoped
from layan.org.models import Employee, EmployeeMove, Unit
from layan.org.selectors import own_employee
from layan.performance.models import (
    BehaviourExpectation,
    BerAkhlak,
    Evaluation,
    EvaluationFinalisation,
    Indicator,
    OrganisationRating,
    Predikat,
    PredikatDistributionRule,
    Rhk,
    Skp,
)
from layan.performance.services import MANAGE_TPP, predikat_for

AGREE_TOP = "performance.agree_top_skp"
FINALISE = "performance.finalise_evaluation"
RATE_ORG = "performance.rate_organisation"
VIEW_UNIT = "performance.view_unit"
MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"year": _("Tahun tidak sah.")}) from exc
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {"year": _("Tahun harus antara %(min)s dan %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}}
        )
    return year


# --- problems of a plan --------------------------------------------------------------------------------


class Fixer:
    """Who can fix a problem."""

    SELF = "self"  # the employee, on this page
    SUPERVISOR = "supervisor"  # the direct supervisor (their own plan)
    BKPSDM = "bkpsdm"  # admin BKPSDM, on the employee's record (org pages)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # what is wrong
    action: str  # what to do about it
    fixer: str  # Fixer value
    rhk_id: int | None = None

    def __str__(self) -> str:
        return f"{self.message} {self.action}"


def supervisor_rhks(skp: Skp):
    """The RHK this plan's RHK may hang under: those of the plan's supervisor's agreed SKP, same year."""
    if skp.supervisor_id is None:
        return Rhk.objects.none()
    return Rhk.objects.filter(
        skp__employee_id=skp.supervisor_id, skp__year=skp.year, skp__status=Skp.Status.AGREED
    ).order_by("id")


def _unit_line_ids(unit: Unit) -> set[int]:
    """The unit and its ancestors (from the materialised path)."""
    return {int(part) for part in (unit.path or "").strip("/").split("/") if part} | {unit.pk}


def _supervisor_moved_away(employee: Employee, supervisor: Employee, year: int) -> EmployeeMove | None:
    """A move of the supervisor, this plan year or later, out of the employee's unit line (their unit or one
    above it): the employee record then probably still names someone who no longer leads them."""
    line = _unit_line_ids(employee.unit)
    move = (
        EmployeeMove.objects.filter(employee=supervisor, effective_date__gte=date(year, 1, 1))
        .select_related("to_unit")
        .order_by("-effective_date", "-id")
        .first()
    )
    if move and move.to_unit_id not in line and (move.from_unit_id is None or move.from_unit_id in line):
        return move
    return None


def skp_problems(skp: Skp) -> list[Problem]:
    """Fixable problems of a plan — wrong or missing supervisor data, RHK not cascaded — each with what to
    do and who can do it."""
    employee = skp.employee
    current = employee.supervisor
    problems: list[Problem] = []
    top_of_chain = current is None and skp.supervisor_id is None and skp.status == Skp.Status.AGREED
    if current is None and not top_of_chain:
        problems.append(
            Problem(
                "no_supervisor",
                _("Atasan langsung belum tercatat di data pegawai."),
                _(
                    "Admin BKPSDM melengkapi atasan langsung pada data pegawai. Pimpinan tertinggi "
                    "(mis. Sekretaris Daerah) tidak memerlukannya: SKP-nya disetujui kepala daerah."
                ),
                Fixer.BKPSDM,
            )
        )
    elif current is not None and current.employment_end is not None:
        problems.append(
            Problem(
                "supervisor_inactive",
                _("Atasan langsung tercatat, %(name)s, sudah tidak aktif sejak %(date)s.")
                % {"name": current.name, "date": current.employment_end.strftime("%d-%m-%Y")},
                _("Admin BKPSDM mencatat atasan langsung yang baru pada data pegawai."),
                Fixer.BKPSDM,
            )
        )
    elif current is not None:
        move = _supervisor_moved_away(employee, current, skp.year)
        if move is not None:
            problems.append(
                Problem(
                    "supervisor_moved",
                    _("Atasan langsung tercatat, %(name)s, pindah ke %(unit)s mulai %(date)s.")
                    % {
                        "name": current.name,
                        "unit": move.to_unit.name,
                        "date": move.effective_date.strftime("%d-%m-%Y"),
                    },
                    _(
                        "Admin BKPSDM memeriksa dan memperbarui atasan langsung pada data pegawai; "
                        "setelah itu perbarui atasan di SKP ini."
                    ),
                    Fixer.BKPSDM,
                )
            )
    if current is not None and skp.supervisor_id != current.pk:
        old = skp.supervisor.name if skp.supervisor_id else _("belum ada")
        problems.append(
            Problem(
                "supervisor_changed",
                _("Atasan di SKP ini (%(old)s) berbeda dengan atasan langsung saat ini (%(new)s).")
                % {"old": old, "new": current.name},
                _("Perbarui atasan SKP, cantolkan ulang RHK pada RHK atasan yang baru, lalu ajukan kembali."),
                Fixer.SELF,
            )
        )
    elif current is not None:
        supervisor_skp = Skp.objects.filter(employee_id=current.pk, year=skp.year).first()
        if supervisor_skp is None:
            problems.append(
                Problem(
                    "supervisor_no_skp",
                    _("%(name)s (atasan langsung) belum menyusun SKP tahun %(year)s.")
                    % {"name": current.name, "year": skp.year},
                    _(
                        "Minta %(name)s menyusun dan mengajukan SKP-nya. RHK Anda dapat dicantolkan "
                        "setelah SKP itu disetujui; sementara itu susun RHK dan indikatornya."
                    )
                    % {"name": current.name},
                    Fixer.SUPERVISOR,
                )
            )
        elif supervisor_skp.status != Skp.Status.AGREED:
            problems.append(
                Problem(
                    "supervisor_skp_not_agreed",
                    _("SKP %(name)s (atasan langsung) tahun %(year)s belum disetujui (%(status)s).")
                    % {"name": current.name, "year": skp.year, "status": supervisor_skp.get_status_display()},
                    _(
                        "RHK atasan dapat dipilih setelah SKP atasan disetujui oleh atasannya; sementara "
                        "itu susun RHK dan indikatornya."
                    ),
                    Fixer.SUPERVISOR,
                )
            )
    allowed = set(supervisor_rhks(skp).values_list("pk", flat=True))
    rhks = list(skp.rhks.prefetch_related("indicators"))
    if not rhks and skp.is_editable:
        problems.append(
            Problem(
                "no_rhk",
                _("SKP belum berisi RHK."),
                _("Tambahkan RHK beserta indikator dan targetnya."),
                Fixer.SELF,
            )
        )
    for rhk in rhks:
        if current is not None and rhk.parent_id is None:
            problems.append(
                Problem(
                    "rhk_without_parent",
                    _("RHK “%(title)s” belum dicantolkan pada RHK atasan.") % {"title": rhk.title},
                    _("Ubah RHK ini dan pilih RHK atasan yang diintervensi."),
                    Fixer.SELF,
                    rhk.pk,
                )
            )
        elif current is not None and rhk.parent_id not in allowed:
            problems.append(
                Problem(
                    "rhk_parent_outdated",
                    _("RHK “%(title)s” tercantol pada RHK yang bukan RHK disetujui milik atasan di SKP ini.")
                    % {"title": rhk.title},
                    _("Ubah RHK ini dan pilih salah satu RHK atasan yang sudah disetujui."),
                    Fixer.SELF,
                    rhk.pk,
                )
            )
        if not rhk.indicators.all():
            problems.append(
                Problem(
                    "rhk_without_indicator",
                    _("RHK “%(title)s” belum punya indikator.") % {"title": rhk.title},
                    _("Ubah RHK ini dan isi paling sedikit satu indikator dengan targetnya."),
                    Fixer.SELF,
                    rhk.pk,
                )
            )
    return problems


# Problems that stop a submission (the others are warnings the supervisor can still act on).
BLOCKING = {
    "supervisor_changed",
    "supervisor_no_skp",
    "supervisor_skp_not_agreed",
    "no_rhk",
    "rhk_without_parent",
    "rhk_parent_outdated",
    "rhk_without_indicator",
}


# --- plan writes ---------------------------------------------------------------------------------------


def _locked(skp: Skp, *related: str) -> Skp:
    return Skp.objects.select_for_update(of=("self",)).select_related(*related).get(pk=skp.pk)


def _require_owner(actor, skp: Skp) -> None:
    if not getattr(actor, "pk", None) or skp.employee.user_id != actor.pk:
        raise Http404


def _require_editable(skp: Skp) -> None:
    if skp.status == Skp.Status.SUBMITTED:
        raise ValidationError(_("SKP sedang diperiksa atasan; tunggu keputusannya sebelum mengubahnya."))
    if skp.status == Skp.Status.AGREED:
        raise ValidationError(_("SKP sudah disetujui; pilih “Ubah SKP” untuk menyusun perubahan."))


@transaction.atomic
def skp_create(*, actor, year: int) -> Skp:
    """The actor's own plan for ``year`` (one per year; returns the existing one)."""
    employee = own_employee(actor)
    year = _check_year(year)
    existing = Skp.objects.filter(employee=employee, year=year).first()
    if existing:
        return existing
    skp = Skp(employee=employee, year=year, supervisor=employee.supervisor)
    skp.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            skp.save()
            audit_write(actor=actor, action="performance.skp_create", instance=skp, after=snapshot(skp))
    except IntegrityError:
        # A double tap raced us past the check above: the other request created the plan.
        return Skp.objects.get(employee=employee, year=year)
    return skp


def _parent_for(skp: Skp, parent_id) -> Rhk | None:
    """The supervisor's agreed RHK chosen as parent; a clear refusal for anything else."""
    if parent_id in (None, ""):
        return None
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"parent": _("RHK atasan tidak sah.")}) from exc
    parent = supervisor_rhks(skp).filter(pk=parent_id).first()
    if parent is not None:
        return parent
    if skp.supervisor_id is None:
        raise ValidationError(
            {"parent": _("SKP ini belum punya atasan langsung, sehingga belum ada RHK atasan untuk dipilih.")}
        )
    of_supervisor = Rhk.objects.filter(pk=parent_id, skp__employee_id=skp.supervisor_id, skp__year=skp.year)
    if of_supervisor.exists():
        raise ValidationError(
            {"parent": _("SKP atasan belum disetujui; RHK atasan dapat dipilih setelah SKP itu disetujui.")}
        )
    raise ValidationError(
        {
            "parent": _(
                "RHK ini bukan milik atasan langsung Anda (%(name)s): pilih salah satu RHK atasan yang "
                "sudah disetujui."
            )
            % {"name": skp.supervisor.name}
        }
    )


def _indicators(rhk: Rhk, items: list[dict]) -> list[Indicator]:
    indicators = []
    for index, item in enumerate(items or []):
        indicator = Indicator(
            rhk=rhk,
            aspect=item.get("aspect", ""),
            description=(item.get("description") or "").strip(),
            target=item.get("target"),
            target_unit=(item.get("target_unit") or "").strip(),
        )
        try:
            indicator.full_clean(exclude=["rhk"])
        except ValidationError as exc:
            messages = [f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items()]
            raise ValidationError(
                {
                    "indicators": _("Indikator %(n)s: %(errors)s")
                    % {"n": index + 1, "errors": "; ".join(messages)}
                }
            ) from exc
        indicators.append(indicator)
    return indicators


def _rhk_snapshot(rhk: Rhk) -> dict:
    data = snapshot(rhk)
    data["indicators"] = [
        f"{i.get_aspect_display()}: {i.description} = {i.target} {i.target_unit}"
        for i in rhk.indicators.all()
    ]
    return data


@transaction.atomic
def rhk_add(
    *,
    actor,
    skp: Skp,
    title: str,
    parent_id: int | None = None,
    behaviour_expectation: str = "",
    indicators: list[dict] | None = None,
) -> Rhk:
    """A planned result in the actor's own editable plan, under one of the supervisor's agreed RHK."""
    skp = _locked(skp, "employee", "supervisor")
    _require_owner(actor, skp)
    _require_editable(skp)
    rhk = Rhk(
        skp=skp,
        parent=_parent_for(skp, parent_id),
        title=(title or "").strip(),
        behaviour_expectation=(behaviour_expectation or "").strip(),
    )
    rhk.full_clean()
    built = _indicators(rhk, indicators or [])
    rhk.save()
    for indicator in built:
        indicator.rhk = rhk
    Indicator.objects.bulk_create(built)
    audit_write(actor=actor, action="performance.rhk_add", instance=rhk, after=_rhk_snapshot(rhk))
    return rhk


@transaction.atomic
def rhk_update(
    *,
    actor,
    rhk: Rhk,
    title: str,
    parent_id: int | None = None,
    behaviour_expectation: str = "",
    indicators: list[dict] | None = None,
) -> Rhk:
    """Changes an RHK of the actor's editable plan; its indicators are replaced by ``indicators``."""
    rhk = Rhk.objects.select_related("skp__employee", "skp__supervisor").get(pk=rhk.pk)
    skp = rhk.skp
    _require_owner(actor, skp)
    _require_editable(skp)
    before = _rhk_snapshot(rhk)
    rhk.title = (title or "").strip()
    rhk.parent = _parent_for(skp, parent_id)
    rhk.behaviour_expectation = (behaviour_expectation or "").strip()
    rhk.full_clean()
    built = _indicators(rhk, indicators or [])
    rhk.save()
    rhk.indicators.all().delete()
    Indicator.objects.bulk_create(built)
    audit_write(
        actor=actor, action="performance.rhk_update", instance=rhk, before=before, after=_rhk_snapshot(rhk)
    )
    return rhk


@transaction.atomic
def rhk_delete(*, actor, rhk: Rhk) -> None:
    rhk = Rhk.objects.select_related("skp__employee").get(pk=rhk.pk)
    _require_owner(actor, rhk.skp)
    _require_editable(rhk.skp)
    children = rhk.children.count()
    if children:
        raise ValidationError(
            _(
                "RHK ini menjadi cantolan %(n)s RHK bawahan; ubah judulnya saja, atau minta bawahan "
                "memindahkan RHK-nya lebih dulu."
            )
            % {"n": children}
        )
    reports = rhk.reports.count()
    if reports:
        raise ValidationError(
            _("RHK ini sudah dipakai di %(n)s laporan harian; ubah saja judul atau indikatornya.")
            % {"n": reports}
        )
    before = _rhk_snapshot(rhk)
    audit_write(actor=actor, action="performance.rhk_delete", instance=rhk, before=before)
    rhk.delete()


@transaction.atomic
def skp_behaviours_set(*, actor, skp: Skp, expectations: dict[str, str]) -> Skp:
    """The BerAKHLAK behaviour expectations of the plan, one text per core value (empty: none)."""
    skp = _locked(skp, "employee")
    _require_owner(actor, skp)
    _require_editable(skp)
    unknown = set(expectations) - set(BerAkhlak.values)
    if unknown:
        raise ValidationError(_("Nilai BerAKHLAK tidak dikenal: %(v)s.") % {"v": ", ".join(sorted(unknown))})
    current = {b.value: b for b in skp.behaviours.all()}
    before = {value: b.expectation for value, b in current.items()}
    for value in BerAkhlak.values:
        text = (expectations.get(value) or "").strip()
        existing = current.get(value)
        if not text:
            if existing is not None and value in expectations:
                existing.delete()
            continue
        row = existing or BehaviourExpectation(skp=skp, value=value)
        row.expectation = text
        row.full_clean()
        row.save()
    after = {b.value: b.expectation for b in skp.behaviours.all()}
    audit_write(
        actor=actor, action="performance.skp_behaviours_set", instance=skp, before=before, after=after
    )
    return skp


@transaction.atomic
def skp_submit(*, actor, skp: Skp) -> Skp:
    """Sends the plan to the supervisor (or, for the top of the chain, to the regional head's office)."""
    skp = _locked(skp, "employee__supervisor", "supervisor")
    _require_owner(actor, skp)
    _require_editable(skp)
    blocking = [p for p in skp_problems(skp) if p.code in BLOCKING]
    if blocking:
        raise ValidationError(
            _("SKP belum dapat diajukan: %(list)s") % {"list": " ".join(p.message for p in blocking)},
            code="skp_problems",
        )
    before = snapshot(skp)
    skp.status = Skp.Status.SUBMITTED
    skp.submitted_at = timezone.now()
    skp.return_note = ""
    skp.save(update_fields=["status", "submitted_at", "return_note", "updated_at"])
    audit_write(
        actor=actor, action="performance.skp_submit", instance=skp, before=before, after=snapshot(skp)
    )
    return skp


def can_decide(actor, skp: Skp) -> bool:
    """The plan's supervisor decides; a plan without one (top of the chain) goes to a ``pimpinan``."""
    if skp.supervisor_id is not None:
        me = Employee.objects.filter(user=actor).values_list("pk", flat=True).first() if actor.pk else None
        return me is not None and me == skp.supervisor_id and skp.employee.user_id != actor.pk
    if not has_permission(actor, AGREE_TOP):
        return False
    return scoped(Employee.objects.filter(pk=skp.employee_id), actor, AGREE_TOP).exists()


@transaction.atomic
def skp_decide(*, actor, skp: Skp, agree: bool, note: str = "") -> Skp:
    """The supervisor agrees to the submitted plan, or returns it with a note."""
    skp = _locked(skp, "employee__supervisor", "supervisor")
    if not can_decide(actor, skp):
        raise Http404
    if skp.status != Skp.Status.SUBMITTED:
        raise ValidationError(_("SKP ini tidak sedang diajukan."))
    note = (note or "").strip()
    if agree:
        if skp.supervisor_id is not None and skp.supervisor_id != skp.employee.supervisor_id:
            raise ValidationError(
                _(
                    "Atasan langsung pegawai ini sudah berganti; kembalikan SKP agar pegawai memperbarui "
                    "atasannya."
                )
            )
        stale = [p for p in skp_problems(skp) if p.code in {"rhk_without_parent", "rhk_parent_outdated"}]
        if stale:
            raise ValidationError(
                _("SKP belum dapat disetujui: %(list)s Pastikan SKP Anda sendiri sudah disetujui.")
                % {"list": " ".join(p.message for p in stale)}
            )
    elif not note:
        raise ValidationError({"note": _("Tulis catatan untuk pegawai saat mengembalikan SKP.")})
    before = snapshot(skp)
    skp.status = Skp.Status.AGREED if agree else Skp.Status.RETURNED
    skp.agreed_at = timezone.now() if agree else None
    skp.decided_by = actor
    skp.return_note = "" if agree else note[:500]
    skp.save(update_fields=["status", "agreed_at", "decided_by", "return_note", "updated_at"])
    audit_write(
        actor=actor,
        action="performance.skp_agree" if agree else "performance.skp_return",
        instance=skp,
        before=before,
        after=snapshot(skp),
        note=note,
    )
    return skp


@transaction.atomic
def skp_refresh_supervisor(*, actor, skp: Skp) -> Skp:
    """Takes the employee's current supervisor (the fix for a supervisor who changed); a submitted or
    agreed plan goes back to draft, to be cascaded and agreed again with the new supervisor."""
    skp = _locked(skp, "employee")
    _require_owner(actor, skp)
    if skp.supervisor_id == skp.employee.supervisor_id:
        return skp
    before = snapshot(skp)
    skp.supervisor_id = skp.employee.supervisor_id
    if skp.status in {Skp.Status.SUBMITTED, Skp.Status.AGREED}:
        skp.status = Skp.Status.DRAFT
        skp.agreed_at = None
    skp.save(update_fields=["supervisor", "status", "agreed_at", "updated_at"])
    audit_write(
        actor=actor,
        action="performance.skp_refresh_supervisor",
        instance=skp,
        before=before,
        after=snapshot(skp),
    )
    return skp


@transaction.atomic
def skp_revise(*, actor, skp: Skp) -> Skp:
    """Reopens an agreed plan for a change during the year; it needs the supervisor's agreement again."""
    skp = _locked(skp, "employee")
    _require_owner(actor, skp)
    if skp.status != Skp.Status.AGREED:
        raise ValidationError(_("Hanya SKP yang sudah disetujui yang dibuka untuk perubahan."))
    before = snapshot(skp)
    skp.status, skp.agreed_at = Skp.Status.DRAFT, None
    skp.save(update_fields=["status", "agreed_at", "updated_at"])
    audit_write(
        actor=actor, action="performance.skp_revise", instance=skp, before=before, after=snapshot(skp)
    )
    return skp


# --- evaluation periods --------------------------------------------------------------------------------


def evaluation_period(kind: str, year: int, number: int = 1) -> tuple[date, date]:
    """The first and last day of the ``number``-th month or quarter of ``year`` (the year, for annual)."""
    year = _check_year(year)
    try:
        number = int(number)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"number": _("Periode tidak sah.")}) from exc
    if kind == Evaluation.Kind.MONTHLY:
        if not 1 <= number <= 12:
            raise ValidationError({"number": _("Bulan harus 1–12.")})
        first_month, months = number, 1
    elif kind == Evaluation.Kind.QUARTERLY:
        if not 1 <= number <= 4:
            raise ValidationError({"number": _("Triwulan harus 1–4.")})
        first_month, months = 3 * (number - 1) + 1, 3
    elif kind == Evaluation.Kind.ANNUAL:
        first_month, months = 1, 12
    else:
        raise ValidationError({"kind": _("Jenis evaluasi tidak dikenal.")})
    start = date(year, first_month, 1)
    last_month = first_month + months - 1
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return start, end - timedelta(days=1)


def period_number(kind: str, start: date) -> int:
    if kind == Evaluation.Kind.MONTHLY:
        return start.month
    if kind == Evaluation.Kind.QUARTERLY:
        return (start.month - 1) // 3 + 1
    return 1


def period_label(kind: str, start: date) -> str:
    if kind == Evaluation.Kind.MONTHLY:
        return start.strftime("%m/%Y")
    if kind == Evaluation.Kind.QUARTERLY:
        return _("Triwulan %(n)s %(year)s") % {"n": period_number(kind, start), "year": start.year}
    return _("Tahun %(year)s") % {"year": start.year}


def _finalisation_of(unit_id: int, kind: str, start: date) -> EvaluationFinalisation | None:
    return EvaluationFinalisation.objects.filter(unit_id=unit_id, kind=kind, period_start=start).first()


# --- evaluation writes ---------------------------------------------------------------------------------


def can_evaluate(actor, employee: Employee) -> bool:
    """The employee's current supervisor rates them (admin BKPSDM may correct), never the employee."""
    if employee.user_id is not None and employee.user_id == getattr(actor, "pk", None):
        return False
    if employee.supervisor is not None and employee.supervisor.user_id == getattr(actor, "pk", None):
        return True
    return (
        has_permission(actor, MANAGE_TPP)
        and scoped(Employee.objects.filter(pk=employee.pk), actor, MANAGE_TPP).exists()
    )


@transaction.atomic
def evaluation_record(
    *,
    actor,
    employee: Employee,
    kind: str,
    period_start: date,
    period_end: date,
    result_rating: str,
    behaviour_rating: str,
    feedback: str = "",
) -> Evaluation:
    """The supervisor's rating of results and behaviour for a period; the predikat follows the matrix."""
    if not can_evaluate(actor, employee):
        raise Http404
    expected = evaluation_period(kind, period_start.year, period_number(kind, period_start))
    if (period_start, period_end) != expected:
        raise ValidationError({"period_start": _("Periode tidak sesuai dengan jenis evaluasi.")})
    if period_start > timezone.localdate():
        raise ValidationError({"period_start": _("Periode ini belum dimulai.")})
    if _finalisation_of(employee.unit_id, kind, period_start):
        raise ValidationError(
            _("Evaluasi %(unit)s untuk periode ini sudah ditetapkan; nilainya tidak dapat diubah lagi.")
            % {"unit": employee.unit.name}
        )
    predikat = predikat_for(result=result_rating, behaviour=behaviour_rating)
    evaluation = (
        Evaluation.objects.select_for_update()
        .filter(employee=employee, kind=kind, period_start=period_start)
        .first()
    )
    before = snapshot(evaluation)
    evaluation = evaluation or Evaluation(employee=employee, kind=kind, period_start=period_start)
    evaluation.period_end = period_end
    evaluation.result_rating = result_rating
    evaluation.behaviour_rating = behaviour_rating
    evaluation.predikat = predikat
    evaluation.feedback = (feedback or "").strip()
    evaluation.evaluator = actor
    evaluation.full_clean()
    evaluation.save()
    audit_write(
        actor=actor,
        action="performance.evaluation_record",
        instance=evaluation,
        before=before,
        after=snapshot(evaluation),
    )
    return evaluation


# --- organisation rating and the distribution of predikat ---------------------------------------------


def _require_unit(actor, unit: Unit, permission: str) -> None:
    if not scoped(Unit.objects.filter(pk=unit.pk), actor, permission).exists():
        raise Http404


@transaction.atomic
def org_rating_set(*, actor, unit: Unit, year: int, rating: str, basis: str = "") -> OrganisationRating:
    """BKPSDM records a unit's organisation rating for a year (one per unit and year; a change is audited)."""
    _require_unit(actor, unit, RATE_ORG)
    year = _check_year(year)
    row = OrganisationRating.objects.select_for_update().filter(unit=unit, year=year).first()
    before = snapshot(row)
    row = row or OrganisationRating(unit=unit, year=year)
    row.rating = rating
    row.basis = (basis or "").strip()
    row.set_by = actor
    row.full_clean()
    row.save()
    audit_write(
        actor=actor, action="performance.org_rating_set", instance=row, before=before, after=snapshot(row)
    )
    return row


def org_rating_for(unit: Unit, year: int) -> OrganisationRating | None:
    """The unit's organisation rating for the year, or the nearest parent unit's (a bagian takes its
    sekretariat's)."""
    line = [int(part) for part in (unit.path or "").strip("/").split("/") if part] or [unit.pk]
    rows = {r.unit_id: r for r in OrganisationRating.objects.filter(unit_id__in=line, year=year)}
    for unit_id in reversed(line):
        if unit_id in rows:
            return rows[unit_id]
    return None


@dataclass
class Distribution:
    unit: Unit
    kind: str
    start: date
    end: date
    org_rating: OrganisationRating | None
    counts: dict[str, int]
    rated: int
    unrated: list[str]
    rules: list[PredikatDistributionRule] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    finalisation: EvaluationFinalisation | None = None

    @property
    def rows(self) -> list[dict]:
        return [
            {
                "value": value,
                "label": label,
                "count": self.counts.get(value, 0),
                "percent": _percent(self.counts.get(value, 0), self.rated),
            }
            for value, label in Predikat.choices
        ]


def _percent(count: int, total: int) -> Decimal:
    if not total:
        return Decimal(0)
    return (Decimal(count) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _number(value: Decimal) -> str:
    """70.00 -> "70", 12.50 -> "12.5" (never "7E+1")."""
    return format(value.normalize(), "f")


def distribution_differences(
    counts: dict[str, int], rated: int, rules: list[PredikatDistributionRule], org_label: str
) -> list[str]:
    """Where the counts break the bounds of the organisation's rating, as sentences."""
    differences = []
    for rule in rules:
        count = sum(counts.get(p, 0) for p in rule.predikat_list)
        share = _percent(count, rated)
        context = {
            "label": rule.predikat_label,
            "share": share,
            "n": count,
            "total": rated,
            "org": org_label,
        }
        if rule.max_percent is not None and share > rule.max_percent:
            differences.append(
                _(
                    "%(label)s: %(share)s%% (%(n)s dari %(total)s pegawai); paling banyak %(limit)s%% untuk "
                    "organisasi berpredikat %(org)s."
                )
                % {**context, "limit": _number(rule.max_percent)}
            )
        if rule.min_percent is not None and share < rule.min_percent:
            differences.append(
                _(
                    "%(label)s: %(share)s%% (%(n)s dari %(total)s pegawai); paling sedikit %(limit)s%% untuk "
                    "organisasi berpredikat %(org)s."
                )
                % {**context, "limit": _number(rule.min_percent)}
            )
        if rule.min_count and count < rule.min_count:
            differences.append(
                _(
                    "%(label)s: %(n)s pegawai; harus ada paling sedikit %(limit)s pegawai untuk organisasi "
                    "berpredikat %(org)s."
                )
                % {**context, "limit": rule.min_count}
            )
    return differences


def unit_distribution(unit: Unit, kind: str, start: date, end: date) -> Distribution:
    """The predikat of the unit's active employees for the period, compared with the bounds of the
    organisation's rating. (Employees directly in the unit; sub-units are organisations of their own.)"""
    staff = list(
        Employee.objects.filter(unit=unit, employment_end__isnull=True)
        .only("id", "name")
        .order_by("name", "id")
    )
    evaluations = dict(
        Evaluation.objects.filter(
            employee__in=[e.pk for e in staff], kind=kind, period_start=start
        ).values_list("employee_id", "predikat")
    )
    counts = dict(Counter(evaluations.values()))
    unrated = [e.name for e in staff if e.pk not in evaluations]
    rating = org_rating_for(unit, start.year)
    result = Distribution(unit, kind, start, end, rating, counts, len(evaluations), unrated)
    result.finalisation = _finalisation_of(unit.pk, kind, start)
    if rating is None:
        result.differences.append(
            _(
                "Predikat kinerja organisasi %(unit)s tahun %(year)s belum diisi BKPSDM: distribusi belum "
                "dapat dibandingkan."
            )
            % {"unit": unit.name, "year": start.year}
        )
    else:
        result.rules = list(
            PredikatDistributionRule.in_force(end, org_rating=rating.rating).order_by("predikats")
        )
        if not result.rules:
            result.differences.append(
                _(
                    "Belum ada ketentuan sebaran predikat yang berlaku pada periode ini untuk predikat "
                    "%(org)s."
                )
                % {"org": rating.get_rating_display()}
            )
        result.differences += distribution_differences(
            counts, len(evaluations), result.rules, rating.get_rating_display()
        )
    if unrated:
        names = ", ".join(unrated[:20]) + ("…" if len(unrated) > 20 else "")
        result.differences.append(
            _("%(n)s pegawai belum dinilai: %(names)s.") % {"n": len(unrated), "names": names}
        )
    return result


@transaction.atomic
def evaluation_finalise(
    *, actor, unit: Unit, kind: str, period_start: date, acknowledge: bool = False, reason: str = ""
) -> EvaluationFinalisation:
    """Finalises the unit's evaluations of a period. Differences from the organisation's rating are listed
    and refused, unless acknowledged with a reason (kept with the finalisation and in the audit trail)."""
    _require_unit(actor, unit, FINALISE)
    start, end = evaluation_period(kind, period_start.year, period_number(kind, period_start))
    if start != period_start:
        raise ValidationError({"period_start": _("Periode tidak sesuai dengan jenis evaluasi.")})
    if _finalisation_of(unit.pk, kind, start):
        raise ValidationError(_("Evaluasi unit ini untuk periode tersebut sudah ditetapkan."))
    distribution = unit_distribution(unit, kind, start, end)
    if not distribution.rated:
        raise ValidationError(_("Belum ada pegawai yang dinilai untuk periode ini."))
    reason = (reason or "").strip()
    if distribution.differences and not (acknowledge and reason):
        raise ValidationError(
            {
                "reason": _(
                    "Distribusi predikat berbeda dengan ketentuan: %(list)s Untuk tetap menetapkan, "
                    "nyatakan bahwa selisih ini diterima dan tulis alasannya."
                )
                % {"list": " ".join(distribution.differences)}
            },
            code="distribution_differences",
        )
    finalisation = EvaluationFinalisation(
        unit=unit,
        kind=kind,
        period_start=start,
        period_end=end,
        org_rating=distribution.org_rating.rating if distribution.org_rating else "",
        distribution=distribution.counts,
        differences=distribution.differences,
        reason=reason if distribution.differences else "",
        finalised_by=actor,
    )
    finalisation.full_clean()
    finalisation.save()
    audit_write(
        actor=actor,
        action="performance.evaluation_finalise",
        instance=finalisation,
        after=snapshot(finalisation),
        note=finalisation.reason,
    )
    return finalisation
