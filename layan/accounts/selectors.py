"""Reads for accounts: role assignments within the granter's scope, the units they may grant, tokens,
and the "who am I" summary of the API."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from layan.accounts.backends import user_for_login
from layan.core.models import ApiToken, RoleAssignment, User
from layan.core.roles import PRIVILEGED_ROLES, ROLE_PERMISSIONS, Role
from layan.core.scopes import active_assignments, code_prefix_q, require_permission, roles_of
from layan.org.selectors import employee_of

MANAGE_ROLES = "core.manage_roles"
# Roles that only an admin sistem may grant or end: they reach everything or manage the system itself.
TOP_ROLES = frozenset({Role.ADMIN_SISTEM, Role.PIMPINAN})


def granter_assignments(actor) -> list[RoleAssignment]:
    """The actor's assignments in force that let them manage roles; their scopes bound what they grant."""
    return [a for a in active_assignments(actor) if MANAGE_ROLES in ROLE_PERMISSIONS[a.role]]


def _region_within(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + ".")


def scope_within_granter(actor, *, scope_region: str = "", scope_unit=None) -> bool:
    """Whether a scope lies inside one of the actor's role-managing scopes.

    A region-scoped granter covers region codes under theirs and units located there; a unit-scoped
    granter covers only their unit subtree (never a region: that would reach beyond their units)."""
    for assignment in granter_assignments(actor):
        if assignment.scope_region:
            if scope_region and _region_within(scope_region, assignment.scope_region):
                return True
            if scope_unit is not None and _region_within(scope_unit.region_id, assignment.scope_region):
                return True
        elif (
            assignment.scope_unit_id
            and scope_unit is not None
            and scope_unit.path.startswith(assignment.scope_unit.path)
        ):
            return True
    return False


def may_grant_role(actor, role: str) -> bool:
    return role not in TOP_ROLES or Role.ADMIN_SISTEM in roles_of(actor)


def grantable_roles(actor) -> list[tuple[str, str]]:
    from layan.core.roles import ASSIGNABLE_ROLES

    return [(r.value, r.label) for r in ASSIGNABLE_ROLES if may_grant_role(actor, r.value)]


def _granter_q(actor) -> Q | None:
    condition: Q | None = None
    for assignment in granter_assignments(actor):
        if assignment.scope_region:
            part = code_prefix_q("scope_region", assignment.scope_region) | code_prefix_q(
                "scope_unit__region__code", assignment.scope_region
            )
        else:
            part = code_prefix_q("scope_unit__path", assignment.scope_unit.path, separator="/")
        condition = part if condition is None else condition | part
    return condition


def role_assignments_visible(actor) -> QuerySet[RoleAssignment]:
    """Assignments whose scope lies inside the actor's role-managing scopes (404 without the permission)."""
    require_permission(actor, MANAGE_ROLES)
    condition = _granter_q(actor)
    qs = RoleAssignment.objects.select_related("user", "user__employee", "scope_unit", "assigned_by")
    return qs.none() if condition is None else qs.filter(condition)


def role_assignment_status_q(status: str, on: date | None = None) -> Q:
    on = on or timezone.localdate()
    if status == "active":
        return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    if status == "future":
        return Q(valid_from__gt=on)
    if status == "ended":
        return Q(valid_to__lt=on)
    return Q()


def role_assignment_status(assignment: RoleAssignment, on: date | None = None) -> str:
    on = on or timezone.localdate()
    if assignment.valid_from > on:
        return "future"
    if assignment.valid_to is not None and assignment.valid_to < on:
        return "ended"
    return "active"


def role_assignment_get(actor, pk) -> RoleAssignment:
    return get_object_or_404(role_assignments_visible(actor), pk=pk)


def units_grantable_by(actor):
    """Units the actor may use as a role scope (their region(s) or unit subtree(s))."""
    from layan.org.models import Unit

    condition: Q | None = None
    for assignment in granter_assignments(actor):
        if assignment.scope_region:
            part = code_prefix_q("region__code", assignment.scope_region)
        else:
            part = code_prefix_q("path", assignment.scope_unit.path, separator="/")
        condition = part if condition is None else condition | part
    if condition is None:
        return Unit.objects.none()
    return Unit.objects.filter(condition, is_active=True).order_by("path")


def user_by_login(identifier: str) -> User | None:
    return user_for_login(identifier)


def api_tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_of(user, pk) -> ApiToken:
    return get_object_or_404(ApiToken, user=user, pk=pk)


def needs_second_factor(user) -> bool:
    return bool(roles_of(user) & PRIVILEGED_ROLES) or bool(getattr(user, "is_superuser", False))


def account_summary(user) -> dict:
    """What the mobile client needs to know about the signed-in user (no NIK, no personal data of others)."""
    assigned = []
    for a in active_assignments(user):
        unit = a.scope_unit
        assigned.append(
            {
                "role": a.role,
                "label": str(Role(a.role).label),
                "scope_region": a.scope_region or None,
                "scope_unit": {"id": unit.pk, "code": unit.code, "name": unit.name} if unit else None,
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
            }
        )
    derived = sorted(set(roles_of(user)) - {a.role for a in active_assignments(user)})
    for role in derived:
        assigned.append(
            {
                "role": role,
                "label": str(Role(role).label),
                "scope_region": None,
                "scope_unit": None,
                "valid_from": None,
                "valid_to": None,
            }
        )
    employee = employee_of(user)
    employee_data = None
    if employee is not None:
        employee_data = {
            "id": employee.pk,
            "nip": employee.nip,
            "name": employee.name,
            "kind": employee.kind,
            "unit": {"id": employee.unit_id, "code": employee.unit.code, "name": employee.unit.name},
            "position": employee.position.name if employee.position_id else None,
            "supervisor": employee.supervisor.name if employee.supervisor_id else None,
        }
    return {
        "username": user.username,
        "name": user.full_name or user.username,
        "email": user.email,
        "language": user.language,
        "second_factor_required": needs_second_factor(user),
        "roles": assigned,
        "employee": employee_data,
    }


# --- account management (admin sistem) -------------------------------------------------------------------

MANAGE_USERS = "core.manage_users"


def users_managed_by(actor) -> QuerySet[User]:
    """Every account, for the system administrators who keep them (404 to anyone else)."""
    require_permission(actor, MANAGE_USERS)
    return User.objects.order_by("username")


def user_security(user: User) -> dict:
    """What an administrator needs to help someone who cannot log in: second factor, lockout, tokens."""
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    attempts = AccessAttempt.objects.filter(username=user.username)
    locked_from = list(attempts.filter(_lockout_q()).values_list("ip_address", flat=True))
    return {
        "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
        "needs_second_factor": bool(roles_of(user) & PRIVILEGED_ROLES),
        "failed_attempts": sum(attempts.values_list("failures_since_start", flat=True)),
        "locked_from": locked_from,
        "active_tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True).count(),
        "roles": sorted(str(Role(r).label) for r in roles_of(user)),
    }


def _lockout_q() -> Q:
    """Attempts that lock their username+address now: enough failures, the cool-off not yet over."""
    from axes.helpers import get_cool_off
    from django.conf import settings

    since = timezone.now() - (get_cool_off() or timedelta(minutes=15))
    return Q(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)


def locked_usernames() -> QuerySet:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(_lockout_q()).values("username")
