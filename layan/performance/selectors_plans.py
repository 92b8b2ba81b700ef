"""Reads of performance plans and evaluations, limited to the actor's scope (layan.core.scopes).

A plan (``Skp``) is personal data of its employee: the owner, their supervisor, and roles over their unit or
region see it; anyone else gets 404. The unit cascade and the predikat distribution are read per unit the
actor may see with ``performance.view_unit``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When

from layan.core.models import RoleAssignment
from layan.core.roles import Role
from layan.core.scopes import get_in_scope_or_404, scoped
from layan.org import selectors as org_selectors
from layan.org.models import Employee, Unit
from layan.performance.models import (
    DailyReport,
    Evaluation,
    EvaluationFinalisation,
    Indicator,
    OrganisationRating,
    PredikatDistributionRule,
    Rhk,
    Skp,
)
from layan.performance.services import REVIEW, VIEW
from layan.performance.services_plans import AGREE_TOP, supervisor_rhks


def _skp_queryset() -> QuerySet[Skp]:
    return Skp.objects.select_related(
        "employee__unit", "employee__position", "employee__supervisor", "employee__user", "supervisor"
    )


def own_skp(employee: Employee, year: int) -> Skp | None:
    return _skp_queryset().filter(employee=employee, year=year).first()


def own_years(employee: Employee) -> list[int]:
    return list(Skp.objects.filter(employee=employee).values_list("year", flat=True))


def skp_get(*, actor, pk) -> Skp:
    """One plan the actor may see (owner, supervisor, unit/region roles such as the pimpinan), or 404."""
    return get_in_scope_or_404(_skp_queryset(), actor, VIEW, pk=pk)


def reports_visible(*, actor) -> QuerySet[DailyReport]:
    """Daily reports the actor may see (own, team, area), newest first."""
    return scoped(DailyReport.objects.select_related("employee", "rhk"), actor, VIEW).order_by("-date", "-id")


def skps_visible(*, actor) -> QuerySet[Skp]:
    return scoped(_skp_queryset(), actor, VIEW)


def indicators_in_order() -> Prefetch:
    """Indicators as the plan lists them: quantity, quality, time."""
    order = Case(
        *(When(aspect=value, then=Value(i)) for i, value in enumerate(Indicator.Aspect.values)),
        output_field=IntegerField(),
    )
    return Prefetch("indicators", queryset=Indicator.objects.annotate(_order=order).order_by("_order", "id"))


def rhks_of(skp: Skp) -> list[Rhk]:
    return list(
        skp.rhks.select_related("parent__skp__employee")
        .prefetch_related(indicators_in_order())
        .annotate(children_count=Count("children"))
        .order_by("id")
    )


def behaviours_of(skp: Skp) -> dict[str, str]:
    return dict(skp.behaviours.values_list("value", "expectation"))


def parent_options(skp: Skp) -> list[Rhk]:
    """The supervisor's agreed RHK this plan's RHK may hang under, with their indicators."""
    return list(supervisor_rhks(skp).prefetch_related("indicators"))


def rhk_get_own(*, actor, pk) -> Rhk:
    """An RHK of the actor's own plan, or 404."""
    return get_in_scope_or_404(
        Rhk.objects.select_related("skp__employee", "skp__supervisor", "parent").filter(
            skp__employee__user=actor
        ),
        actor,
        VIEW,
        pk=pk,
    )


def bkpsdm_contacts(employee: Employee, on: date | None = None) -> list[str]:
    """Names of the admin BKPSDM accounts whose scope covers the employee (who can fix their record)."""
    unit = employee.unit
    # A region assignment covers the employee when its code is a prefix of the unit's region code.
    parts = unit.region_id.split(".")
    prefixes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    line = [int(p) for p in (unit.path or "").strip("/").split("/") if p]
    condition = Q(scope_region__in=prefixes) | Q(scope_unit_id__in=line)
    rows = (
        RoleAssignment.objects.filter(condition, role=Role.ADMIN_BKPSDM)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on or date.today()))
        .select_related("user")
        .order_by("user__full_name", "user__username")[:5]
    )
    return [str(a.user) for a in rows]


# --- the supervisor's list -----------------------------------------------------------------------------


def team_plans(*, actor, year: int) -> list[dict]:
    """The actor's direct reports with their plan for the year (or none), those waiting first."""
    team = list(org_selectors.team_of(actor).select_related("position"))
    plans = {s.employee_id: s for s in Skp.objects.filter(employee__in=[e.pk for e in team], year=year)}
    order = {
        Skp.Status.SUBMITTED: 0,
        None: 1,
        Skp.Status.DRAFT: 2,
        Skp.Status.RETURNED: 2,
        Skp.Status.AGREED: 3,
    }
    rows = [{"employee": e, "skp": plans.get(e.pk)} for e in team]
    rows.sort(key=lambda r: (order[r["skp"].status if r["skp"] else None], r["employee"].name))
    return rows


def top_plans_waiting(*, actor, year: int) -> QuerySet[Skp]:
    """Submitted plans without a supervisor (top of a chain), for a pimpinan to agree."""
    return scoped(_skp_queryset(), actor, AGREE_TOP).filter(
        year=year, supervisor__isnull=True, status=Skp.Status.SUBMITTED
    )


# --- the unit's cascade as a tree ----------------------------------------------------------------------


@dataclass
class CascadeNode:
    rhk: Rhk
    children: list[CascadeNode] = field(default_factory=list)
    problem: str = ""
    outside_parent: bool = False  # hangs under an RHK outside the unit (the head's, under the Sekda's)
    depth: int = 0

    @property
    def target(self):
        """The quantity indicator (or the first one): the RHK's target in one line."""
        indicators = list(self.rhk.indicators.all())
        return next((i for i in indicators if i.aspect == "quantity"), indicators[0] if indicators else None)

    @property
    def owner(self) -> Employee:
        return self.rhk.skp.employee


@dataclass
class Cascade:
    unit: Unit
    year: int
    roots: list[CascadeNode]
    without_plan: list[Employee]
    rhk_count: int
    problem_count: int


def cascade_tree(unit: Unit, year: int) -> Cascade:
    """The RHK of the unit's employees for the year as a tree: each RHK under the RHK it hangs from. An RHK
    whose parent is outside the unit (the unit head's, under the Sekda's) is a root showing that parent; an
    RHK without a parent, or under someone who is no longer the owner's supervisor, carries a problem."""
    from django.utils.translation import gettext as _

    staff = list(
        Employee.objects.filter(unit=unit, employment_end__isnull=True)
        .select_related("position")
        .order_by("name", "id")
    )
    rhks = list(
        Rhk.objects.filter(skp__employee__in=[e.pk for e in staff], skp__year=year)
        .select_related("skp__employee__position", "parent__skp__employee")
        .prefetch_related("indicators")
        .order_by("id")
    )
    nodes = {r.pk: CascadeNode(r) for r in rhks}
    supervisors = {e.pk: e.supervisor_id for e in staff}
    roots: list[CascadeNode] = []
    for node in nodes.values():
        rhk = node.rhk
        supervisor = supervisors.get(rhk.skp.employee_id)
        if rhk.parent_id is None:
            if supervisor is not None:
                node.problem = _("Belum dicantolkan pada RHK atasan.")
            elif rhk.skp.status != Skp.Status.AGREED:
                node.problem = _("Atasan langsung belum tercatat.")
        elif rhk.parent.skp.employee_id != supervisor:
            node.problem = _("Tercantol pada RHK orang yang kini bukan atasan langsungnya.")
        if rhk.parent_id in nodes:
            nodes[rhk.parent_id].children.append(node)
        else:
            node.outside_parent = rhk.parent_id is not None
            roots.append(node)
    # Heads first (their RHK hang outside the unit or nowhere), problems last within each level.
    roots.sort(key=lambda n: (n.rhk.parent_id is None and bool(n.problem), n.owner.name, n.rhk.pk))
    stack = [(root, 0) for root in roots]
    while stack:
        node, depth = stack.pop()
        node.depth = depth
        node.children.sort(key=lambda n: (n.owner.name, n.rhk.pk))
        stack.extend((child, depth + 1) for child in node.children)
    with_plan = {r.skp.employee_id for r in rhks} | set(
        Skp.objects.filter(employee__in=[e.pk for e in staff], year=year).values_list(
            "employee_id", flat=True
        )
    )
    return Cascade(
        unit=unit,
        year=year,
        roots=roots,
        without_plan=[e for e in staff if e.pk not in with_plan],
        rhk_count=len(rhks),
        problem_count=sum(1 for n in nodes.values() if n.problem),
    )


def units_for(*, actor, permission: str) -> QuerySet[Unit]:
    return org_selectors.units_visible_to(actor, permission).filter(is_active=True).order_by("name")


def unit_get(*, actor, pk, permission: str) -> Unit:
    return org_selectors.unit_for(actor, pk, permission)


# --- evaluations ---------------------------------------------------------------------------------------


def employee_to_evaluate(*, actor, pk) -> Employee:
    """An employee of the actor's team or scope (never the actor), or 404."""
    queryset = Employee.objects.select_related("unit", "supervisor", "position").exclude(user=actor)
    return get_in_scope_or_404(queryset, actor, REVIEW, pk=pk)


def evaluation_of(employee: Employee, kind: str, start: date) -> Evaluation | None:
    return Evaluation.objects.filter(employee=employee, kind=kind, period_start=start).first()


def own_evaluations(employee: Employee) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(employee=employee).select_related("evaluator")


def evaluations_visible(*, actor) -> QuerySet[Evaluation]:
    return scoped(Evaluation.objects.select_related("employee", "evaluator"), actor, VIEW)


def _report_totals(employee_ids: list[int], start: date, end: date) -> dict[int, dict]:
    rows = (
        DailyReport.objects.filter(employee_id__in=employee_ids, date__range=(start, end))
        .values("employee_id")
        .annotate(
            approved=Count("id", filter=Q(status=DailyReport.Status.APPROVED)),
            waiting=Count("id", filter=Q(status=DailyReport.Status.SUBMITTED)),
            days=Count("date", distinct=True),
        )
        .order_by()
    )
    return {r["employee_id"]: r for r in rows}


def team_evaluations(*, actor, kind: str, start: date, end: date) -> list[dict]:
    """The actor's direct reports with their evaluation for the period and the reports behind it."""
    team = list(org_selectors.team_of(actor).select_related("position"))
    ids = [e.pk for e in team]
    evaluations = {
        e.employee_id: e for e in Evaluation.objects.filter(employee__in=ids, kind=kind, period_start=start)
    }
    totals = _report_totals(ids, start, end)
    plans = dict(Skp.objects.filter(employee__in=ids, year=start.year).values_list("employee_id", "status"))
    return [
        {
            "employee": e,
            "evaluation": evaluations.get(e.pk),
            "reports": totals.get(e.pk, {"approved": 0, "waiting": 0, "days": 0}),
            "skp_status": plans.get(e.pk),
        }
        for e in team
    ]


def rhk_progress(employee: Employee, year: int, start: date, end: date) -> list[dict]:
    """Each RHK of the employee's plan with its indicators, and the approved daily reports serving it in the
    period and since the start of the year (count, quantity, hours); the quantity target's share reached."""
    rhks = list(
        Rhk.objects.filter(skp__employee=employee, skp__year=year)
        .prefetch_related("indicators")
        .order_by("id")
    )
    approved = DailyReport.objects.filter(employee=employee, status=DailyReport.Status.APPROVED)

    def sums(since: date) -> dict:
        rows = (
            approved.filter(date__range=(since, end))
            .values("rhk_id")
            .annotate(n=Count("id"), quantity=Sum("quantity"), minutes=Sum("minutes"))
            .order_by()
        )
        return {r["rhk_id"]: r for r in rows}

    period, to_date = sums(start), sums(date(year, 1, 1))
    empty = {"n": 0, "quantity": 0, "minutes": 0}
    result = []
    for rhk in rhks + [None]:
        key = rhk.pk if rhk else None
        in_period, ytd = period.get(key, empty), to_date.get(key, empty)
        if rhk is None and not in_period["n"]:
            continue
        target = next((i for i in (rhk.indicators.all() if rhk else []) if i.aspect == "quantity"), None)
        reached = (
            round(float(ytd["quantity"] or 0) * 100 / float(target.target), 1)
            if target and target.target
            else None
        )
        result.append(
            {
                "rhk": rhk,
                "period": in_period,
                "hours": round((in_period["minutes"] or 0) / 60, 1),
                "to_date": ytd,
                "target": target,
                "reached": reached,
            }
        )
    return result


def finalisations_of(unit: Unit) -> QuerySet[EvaluationFinalisation]:
    return EvaluationFinalisation.objects.filter(unit=unit).select_related("finalised_by")


def unit_evaluations(unit: Unit, kind: str, start: date) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(
            employee__unit=unit, employee__employment_end__isnull=True, kind=kind, period_start=start
        )
        .select_related("employee", "evaluator")
        .order_by("employee__name")
    )


def org_ratings_visible(*, actor, permission: str) -> QuerySet[OrganisationRating]:
    return scoped(OrganisationRating.objects.select_related("unit", "set_by"), actor, permission)


def distribution_rules(day: date) -> list[PredikatDistributionRule]:
    """The bounds on the predikat distribution in force on ``day``, for every organisation rating."""
    return list(PredikatDistributionRule.in_force(day).order_by("org_rating", "predikats"))
