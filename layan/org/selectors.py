"""Every read of the organisation, limited to the actor's scope (layan.core.scopes).

Employees are personal data: ``employees_visible_to`` / ``employee_for`` are the only way in, and an employee
outside the actor's scope does not exist for them (404). The NIK is shown masked unless the actor holds
``org.view_nik`` over that employee; revealing it is logged (UU 27/2022).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.http import Http404

from layan.core.audit import personal_data_read
from layan.core.personal_data import masked
from layan.core.scopes import get_in_scope_or_404, has_permission, scope_q, scoped
from layan.org.models import Employee, EmployeeMove, OfficeLocation, Position, Unit

NIK_PERMISSION = "org.view_nik"


def _employee_queryset() -> QuerySet:
    return Employee.objects.select_related("unit", "position", "supervisor", "user")


def with_nik_flag(queryset: QuerySet, actor) -> QuerySet:
    """Annotate ``can_view_nik``: whether the actor may see each employee's NIK in clear."""
    condition = scope_q(Employee, actor, NIK_PERMISSION)
    if condition is None:
        return queryset.annotate(can_view_nik=Value(False, output_field=BooleanField()))
    return queryset.annotate(
        can_view_nik=Case(
            When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def employees_visible_to(actor) -> QuerySet:
    """Employees the actor may see: their scope (region/unit), themself, and their direct reports."""
    return with_nik_flag(scoped(_employee_queryset(), actor, "org.view_employee"), actor)


def employee_for(actor, pk) -> Employee:
    """One employee in the actor's scope, or 404."""
    return get_in_scope_or_404(with_nik_flag(_employee_queryset(), actor), actor, "org.view_employee", pk=pk)


def employee_managed_by(actor, pk) -> Employee:
    """One employee the actor may change (``org.manage_employee`` in scope), or 404."""
    return get_in_scope_or_404(_employee_queryset(), actor, "org.manage_employee", pk=pk)


def can_manage_employee(actor, employee: Employee) -> bool:
    return scoped(Employee.objects.filter(pk=employee.pk), actor, "org.manage_employee").exists()


def can_view_nik(actor, employee: Employee) -> bool:
    flag = getattr(employee, "can_view_nik", None)
    if flag is not None:
        return bool(flag)
    return scoped(Employee.objects.filter(pk=employee.pk), actor, NIK_PERMISSION).exists()


def nik_display(actor, employee: Employee) -> str:
    """The NIK as this actor may see it on a list or page without asking: always masked."""
    return masked(employee.nik)


def employee_nik_reveal(actor, employee: Employee, *, purpose: str = "Tampilkan NIK pegawai") -> str:
    """The NIK in clear for an actor holding ``org.view_nik`` over the employee; the read is logged."""
    if not employee.nik or not can_view_nik(actor, employee):
        raise Http404
    personal_data_read(actor=actor, instance=employee, fields=["nik"], purpose=purpose)
    return employee.nik


def moves_of(employee: Employee) -> QuerySet:
    return (
        EmployeeMove.objects.filter(employee=employee)
        .select_related("from_unit", "to_unit", "from_position", "to_position", "created_by")
        .order_by("effective_date", "id")
    )


def unit_on(employee: Employee, day: date) -> Unit | None:
    """The unit the employee belonged to on ``day``, from the move history; None outside the employment."""
    if day < employee.employment_start or (employee.employment_end and day > employee.employment_end):
        return None
    moves = list(moves_of(employee))
    latest_before = [m for m in moves if m.effective_date <= day]
    if latest_before:
        return latest_before[-1].to_unit
    if moves:
        # Before the first move: the unit it moved from (the unit at appointment).
        return moves[0].from_unit or employee.unit
    return employee.unit


def supervisor_chain(employee: Employee, limit: int = 20) -> list[Employee]:
    """Direct supervisor, their supervisor, … up to the top (a guard stops at a loop or ``limit``)."""
    chain, seen = [], {employee.pk}
    current = employee.supervisor
    while current is not None and current.pk not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current.pk)
        current = (
            Employee.objects.select_related("unit", "position", "supervisor").get(pk=current.pk).supervisor
        )
    return chain


def employee_of(actor) -> Employee | None:
    """The actor's own employee record, or None (an account without one)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    if Employee.user.field.remote_field.is_cached(actor):  # loaded with the user by the token authentication
        return getattr(actor, "employee", None)
    return Employee.objects.filter(user=actor).select_related("unit", "position").first()


def own_employee(actor) -> Employee:
    """The actor's own active employee record; 404 for accounts without one (pages for employees only)."""
    employee = employee_of(actor)
    if employee is None or employee.employment_end is not None:
        raise Http404
    return employee


def team_of(actor) -> QuerySet:
    """The actor's active direct reports (empty when the actor is no one's supervisor)."""
    me = employee_of(actor)
    if me is None:
        return Employee.objects.none()
    return with_nik_flag(_employee_queryset().filter(supervisor=me, employment_end__isnull=True), actor)


def direct_reports_visible(actor, employee: Employee) -> QuerySet:
    return employees_visible_to(actor).filter(supervisor=employee)


# --- units ------------------------------------------------------------------------------------------------


def units_visible_to(actor, permission: str = "org.view_unit") -> QuerySet:
    return scoped(Unit.objects.select_related("region", "parent"), actor, permission)


def unit_for(actor, pk, permission: str = "org.view_unit") -> Unit:
    return get_in_scope_or_404(Unit.objects.select_related("region", "parent"), actor, permission, pk=pk)


def with_staff_counts(queryset: QuerySet) -> QuerySet:
    """Active employees directly in each unit (numbers, not personal data)."""
    return queryset.annotate(staff_count=Count("employees", filter=Q(employees__employment_end__isnull=True)))


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    depth: int


def unit_tree(units: QuerySet | None = None) -> list[TreeRow]:
    """Units in tree order (each parent before its children, siblings by name) with their display depth.

    A unit whose parent is not in ``units`` (e.g. outside the actor's scope) shows as a root."""
    units = list(units if units is not None else Unit.objects.all())
    ids = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    for group in children.values():
        group.sort(key=lambda u: (u.name.lower(), u.pk))
    rows: list[TreeRow] = []
    stack = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        rows.append(TreeRow(unit=unit, depth=depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.pk, [])))
    return rows


def unit_subtree_q(unit: Unit, field: str = "unit__path") -> Q:
    return Q(**{f"{field}__startswith": unit.path})


def office_locations_visible_to(actor) -> QuerySet:
    """Office locations of the units the actor may see, plus those of their own unit (for check-in)."""
    condition = Q(unit__in=units_visible_to(actor).values("pk"))
    me = employee_of(actor)
    if me is not None:
        condition |= Q(unit_id=me.unit_id)
    return OfficeLocation.objects.filter(condition).select_related("unit")


def positions() -> QuerySet:
    """Positions are an organisational catalogue, not personal data."""
    # A GROUP BY query drops Meta.ordering, so the order is stated again (stable pagination).
    return Position.objects.annotate(
        staff_count=Count("employees", filter=Q(employees__employment_end__isnull=True))
    ).order_by("-kelas_jabatan", "name")


def can(actor, permission: str) -> bool:
    return has_permission(actor, permission)
