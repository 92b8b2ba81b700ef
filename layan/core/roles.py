"""Roles and what each may do. Scopes (where) are on each RoleAssignment; this says what.

``pegawai`` (every user with an employee record, scope: themself) and ``atasan`` (anyone with direct
reports, scope: their team) are derived, never assigned. Modules add their permission codes here so
that the whole access model reads in one place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PEGAWAI = "pegawai", _("Pegawai")
    ATASAN = "atasan", _("Atasan langsung")
    KEPALA_UNIT = "kepala_unit", _("Kepala unit")
    ADMIN_BKPSDM = "admin_bkpsdm", _("Admin BKPSDM")
    OPERATOR_PENGADUAN = "operator_pengaduan", _("Operator pengaduan")
    PETUGAS_BANSOS = "petugas_bansos", _("Petugas bansos")
    OPERATOR_DESA = "operator_desa", _("Operator desa")
    TENAGA_KESEHATAN = "tenaga_kesehatan", _("Tenaga kesehatan")
    CAMAT = "camat", _("Camat")
    LURAH = "lurah", _("Lurah")
    KEPALA_DESA = "kepala_desa", _("Kepala desa")
    PIMPINAN = "pimpinan", _("Pimpinan daerah")
    ADMIN_SISTEM = "admin_sistem", _("Admin sistem")


DERIVED_ROLES = frozenset({Role.PEGAWAI, Role.ATASAN})
ASSIGNABLE_ROLES = [r for r in Role if r not in DERIVED_ROLES]
# Roles that must log in with a second factor (TOTP).
PRIVILEGED_ROLES = frozenset({Role.ADMIN_BKPSDM, Role.PIMPINAN, Role.ADMIN_SISTEM})

_AREA_HEADS = {Role.CAMAT, Role.LURAH, Role.KEPALA_DESA}

_ATTENDANCE_SELF = {"attendance.view", "performance.view"}
_ATTENDANCE_TEAM = {"attendance.view", "attendance.review", "performance.view", "performance.review"}
_COMPLAINT_UNIT = {"complaints.handle"}
_AID_AREA = {"aid.view_resident", "aid.view_coverage"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # aid.asn_pledge: every employee may pledge to ASN Peduli (and sees only their own pledges).
    Role.PEGAWAI: frozenset({"org.view_employee", *_ATTENDANCE_SELF, "aid.asn_pledge"}),
    Role.ATASAN: frozenset({"org.view_employee", *_ATTENDANCE_TEAM}),
    Role.KEPALA_UNIT: frozenset(
        {
            "org.view_employee",
            "org.view_unit",
            *_ATTENDANCE_TEAM,
            "attendance.manage_roster",
            "attendance.view_units",
            "performance.view_unit",
            "performance.finalise_evaluation",
            *_COMPLAINT_UNIT,
            "aid.asn_collect",  # the unit collects its employees' ASN Peduli donations
        }
    ),
    Role.ADMIN_BKPSDM: frozenset(
        {
            "org.view_employee",
            "org.manage_employee",
            "org.view_nik",
            "org.view_unit",
            "org.manage_unit",
            "core.manage_roles",
            "core.manage_calendar",
            "core.view_audit",
            *_ATTENDANCE_TEAM,
            "attendance.manage_roster",
            "attendance.manage_rules",
            "attendance.view_units",
            "performance.manage_tpp",
            "performance.view_unit",
            "performance.finalise_evaluation",
            "performance.rate_organisation",
        }
    ),
    Role.OPERATOR_PENGADUAN: frozenset({*_COMPLAINT_UNIT, "complaints.verify", "complaints.manage"}),
    Role.PETUGAS_BANSOS: frozenset(
        {
            *_AID_AREA,
            "aid.view_nik",
            "aid.manage_resident",
            "aid.manage_program",
            "aid.distribute",
            "aid.asn_collect",
        }
    ),
    Role.OPERATOR_DESA: frozenset({*_AID_AREA, "aid.view_nik", "aid.manage_resident", "aid.distribute"}),
    Role.TENAGA_KESEHATAN: frozenset({"aid.view_resident"}),
    Role.CAMAT: frozenset(
        {"org.view_employee", "org.view_unit", "attendance.view", *_AID_AREA, "aid.approve_round"}
    ),
    Role.LURAH: frozenset({"org.view_employee", "org.view_unit", "attendance.view", *_AID_AREA}),
    # The kepala desa signs the village meeting's list; the camat or bupati legalises it (DOMAIN.md).
    Role.KEPALA_DESA: frozenset({"org.view_employee", "org.view_unit", *_AID_AREA}),
    Role.PIMPINAN: frozenset(
        {
            "org.view_employee",
            "org.view_unit",
            "core.view_dashboard",
            "attendance.view",
            "attendance.view_units",
            "performance.view",
            "performance.view_unit",
            "performance.agree_top_skp",  # plans without a supervisor (the Sekda's) go to the regional head
            "complaints.view_stats",
            "aid.view_coverage",
            "aid.approve_round",
        }
    ),
    Role.ADMIN_SISTEM: frozenset(
        {
            "org.view_employee",
            "org.manage_employee",
            "org.view_unit",
            "org.manage_unit",
            "core.manage_roles",
            "core.manage_users",
            "core.manage_calendar",
            "core.view_audit",
            "core.export_processing",
            "regions.manage",
            "attendance.manage_rules",
            "complaints.manage",
            "aid.manage_program",
            "aid.asn_collect",
        }
    ),
}
assert set(ROLE_PERMISSIONS) == set(Role), "every role lists its permissions"
