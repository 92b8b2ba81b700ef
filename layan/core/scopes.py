"""The one mechanism that limits every query of personal data to the actor's scope.

A model that holds personal data declares where its scope is read from:

    class Employee(models.Model):
        scope_paths = ScopePaths(region="unit__region__code", unit="unit__path",
                                 owner="user", supervisor="supervisor__user")

and every selector goes through ``scoped(queryset, actor, "org.view_employee")`` or
``get_in_scope_or_404(...)``. Outside the scope an object does not exist (404), in the UI and the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from layan.core.models import RoleAssignment
from layan.core.roles import ROLE_PERMISSIONS, Role


@dataclass(frozen=True)
class ScopePaths:
    region: str | None = None  # lookup path to a region code, e.g. "unit__region__code" or "desa__code"
    unit: str | None = None  # lookup path to a unit's materialised path, e.g. "unit__path"
    owner: str | None = None  # lookup path to the user the record is about (pegawai sees their own)
    supervisor: str | None = None  # lookup path to the user who supervises it (atasan sees the team)


def code_prefix_q(field: str, prefix: str, separator: str = ".") -> Q:
    """``field`` equal to ``prefix`` or below it in a dotted code tree, as one indexed prefix query.

    PostgreSQL serves ``startswith`` from Django's ``varchar_pattern_ops`` index; SQLite's LIKE cannot
    use an index, so there the same condition is added as a range (binary collation)."""
    if not prefix:
        return Q()
    below = prefix if prefix.endswith(separator) else prefix + separator
    condition = Q(**{f"{field}__startswith": below})
    if connection.vendor == "sqlite":
        upper = below[:-1] + chr(ord(below[-1]) + 1)
        condition &= Q(**{f"{field}__gte": below, f"{field}__lt": upper})
    return condition if prefix.endswith(separator) else condition | Q(**{field: prefix})


def active_assignments(actor, on: date | None = None) -> list[RoleAssignment]:
    """The actor's role assignments in force today (cached on the user object for the request)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    on = on or timezone.localdate()
    cache_key = f"_layan_assignments_{on.isoformat()}"
    cached = getattr(actor, cache_key, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=actor, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .select_related("scope_unit")
        )
        setattr(actor, cache_key, cached)
    return cached


def region_prefixes(actor, permission: str) -> list[str] | None:
    """The region codes under which ``actor`` holds ``permission`` (a unit-scoped role counts with its
    unit's region); None for the system, which has no limit."""
    if actor is None:
        return None
    prefixes = []
    for assignment in active_assignments(actor):
        if permission not in ROLE_PERMISSIONS[assignment.role]:
            continue
        if assignment.scope_region:
            prefixes.append(assignment.scope_region)
        elif assignment.scope_unit_id:
            prefixes.append(assignment.scope_unit.region_id)
    return prefixes


def holders_over_region(permission: str, region_code: str, on: date | None = None) -> list[int]:
    """The ids of users who hold ``permission`` today over ``region_code`` (their area is that region or
    contains it): whom to tell when something there waits for them, such as a list to legalise."""
    on = on or timezone.localdate()
    roles = [role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]
    parts = region_code.split(".")
    areas = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return list(
        RoleAssignment.objects.filter(role__in=roles, scope_region__in=areas, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def roles_of(actor) -> set[str]:
    """Assigned roles in force plus the derived ones (pegawai, atasan)."""
    roles = {a.role for a in active_assignments(actor)}
    employee = employee_record(actor)
    if employee is not None:
        roles.add(Role.PEGAWAI)
        if employee.has_direct_reports:
            roles.add(Role.ATASAN)
    return roles


def has_permission(actor, permission: str) -> bool:
    """Whether any role of the actor grants ``permission`` somewhere (where is for ``scoped``)."""
    return any(permission in ROLE_PERMISSIONS[role] for role in roles_of(actor))


def employee_record(actor):
    """The employee record of a signed-in user, or None (a citizen's or an external leader's account)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    try:
        return actor.employee
    except Exception:  # noqa: BLE001 - no employee record (RelatedObjectDoesNotExist)
        return None


def scope_q(model, actor, permission: str) -> Q | None:
    """The condition selecting what ``actor`` may see with ``permission``; None when nothing."""
    paths: ScopePaths = model.scope_paths
    conditions: list[Q] = []
    for assignment in active_assignments(actor):
        if permission not in ROLE_PERMISSIONS[assignment.role]:
            continue
        if assignment.scope_region and paths.region:
            conditions.append(code_prefix_q(paths.region, assignment.scope_region))
        if assignment.scope_unit_id and paths.unit:
            conditions.append(code_prefix_q(paths.unit, assignment.scope_unit.path, separator="/"))
        elif assignment.scope_unit_id and paths.region:
            # Data tied to places, not units: a unit-scoped role sees its unit's region.
            conditions.append(code_prefix_q(paths.region, assignment.scope_unit.region_id))
    if paths.owner and permission in ROLE_PERMISSIONS[Role.PEGAWAI]:
        conditions.append(Q(**{paths.owner: actor}))
    if paths.supervisor and permission in ROLE_PERMISSIONS[Role.ATASAN]:
        employee = employee_record(actor)
        if employee is not None and paths.supervisor.endswith("__user"):
            # "supervisor__user = actor" joins the supervisor's row; "supervisor_id = <employee>" does not.
            conditions.append(Q(**{paths.supervisor.removesuffix("__user"): employee}))
        elif employee is not None:
            conditions.append(Q(**{paths.supervisor: actor}))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def scoped(queryset: QuerySet, actor, permission: str) -> QuerySet:
    """``queryset`` limited to what ``actor`` may see with ``permission``."""
    condition = scope_q(queryset.model, actor, permission)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def get_in_scope_or_404(queryset: QuerySet, actor, permission: str, **lookup):
    """One object the actor may see, or 404 — an object out of scope does not exist for them."""
    try:
        return scoped(queryset, actor, permission).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require_permission(actor, permission: str) -> None:
    """Pages without a single object (lists, forms) answer 404 to anyone whose roles lack ``permission``."""
    if not has_permission(actor, permission):
        raise Http404
