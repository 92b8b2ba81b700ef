"""Reads of the core app: the home page figures per role, the calendar year, the audit trail, everything
processed about one NIK, and a user's background jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from layan.core import calendar
from layan.core.models import AuditEvent, DayOff, Job, Notification, PersonalDataRead
from layan.core.personal_data import NikField, keyed_hash
from layan.core.roles import Role
from layan.core.scopes import code_prefix_q, require_permission, roles_of, scoped

# The role a home page is named after when a user holds several: the widest responsibility first.
ROLE_ORDER: list[str] = [
    Role.ADMIN_SISTEM,
    Role.PIMPINAN,
    Role.ADMIN_BKPSDM,
    Role.CAMAT,
    Role.LURAH,
    Role.KEPALA_DESA,
    Role.KEPALA_UNIT,
    Role.OPERATOR_PENGADUAN,
    Role.PETUGAS_BANSOS,
    Role.OPERATOR_DESA,
    Role.TENAGA_KESEHATAN,
    Role.ATASAN,
    Role.PEGAWAI,
]
AREA_HEAD_ROLES = frozenset({Role.CAMAT, Role.LURAH, Role.KEPALA_DESA, Role.KEPALA_UNIT})


def ordered_roles(actor) -> list[str]:
    held = roles_of(actor)
    return [role for role in ROLE_ORDER if role in held]


def _active_employees():
    return apps.get_model("org", "Employee").objects.filter(employment_end__isnull=True)


@dataclass
class HomeSummary:
    roles: list[str]
    primary_role: str | None
    employee: object | None = None
    team_count: int | None = None
    staff_total: int | None = None
    staff_by_unit: list[dict] = field(default_factory=list)
    staff_by_kind: list[dict] = field(default_factory=list)
    pending_jobs: list[Job] = field(default_factory=list)
    unit_count: int | None = None
    kecamatan_count: int | None = None
    village_count: int | None = None


def home_summary(actor, *, max_units: int = 15) -> HomeSummary:
    """What the home page shows, per role the actor holds, limited to the actor's scope."""
    roles = ordered_roles(actor)
    held = set(roles)
    summary = HomeSummary(roles=roles, primary_role=roles[0] if roles else None)
    if Role.PEGAWAI in held:
        from layan.org.selectors import employee_of  # (org stands on core: imported when used)

        summary.employee = employee_of(actor)
    if Role.ATASAN in held and summary.employee is not None:
        summary.team_count = _active_employees().filter(supervisor=summary.employee).count()
    wide = held & {Role.ADMIN_BKPSDM, Role.PIMPINAN}
    if held & AREA_HEAD_ROLES or wide:
        staff = scoped(_active_employees(), actor, "org.view_employee")
        summary.staff_total = staff.count()
        summary.staff_by_unit = list(
            staff.values("unit__name")
            .annotate(count=Count("id"))
            .order_by("-count", "unit__name")[:max_units]
        )
    if wide:
        kinds = dict(apps.get_model("org", "Employee").Kind.choices)
        summary.staff_by_kind = [
            {"kind": row["kind"], "label": kinds.get(row["kind"], row["kind"]), "count": row["count"]}
            for row in staff.values("kind").annotate(count=Count("id")).order_by("kind")
        ]
    if Role.ADMIN_BKPSDM in held:
        summary.pending_jobs = list(
            Job.objects.filter(started_by=actor, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])[:10]
        )
    if Role.PIMPINAN in held:
        unit_model = apps.get_model("org", "Unit")
        region_model = apps.get_model("regions", "Region")
        summary.unit_count = scoped(unit_model.objects.filter(is_active=True), actor, "org.view_unit").count()
        under = region_model.objects.filter(code_prefix_q("code", settings.LAYAN_REGION_CODE))
        summary.kecamatan_count = under.filter(level=3).count()
        summary.village_count = under.filter(level=4).count()
    return summary


# --- calendar -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NationalDay:
    date: date
    name: str
    is_cuti_bersama: bool
    is_off: bool  # false when an admin turned it into a working day for this region


def national_days(year: int, region_code: str = "") -> list[NationalDay]:
    """The national holidays and cuti bersama of ``year`` as the ``holidays`` package knows them."""
    effective = calendar.days_off(year, region_code or None)
    return [
        NationalDay(day, name, name.lower().startswith("cuti bersama"), day in effective)
        for day, name in sorted(calendar._national_holidays(year).items())
    ]


def day_offs(year: int, region_code: str = "") -> list[DayOff]:
    """The admin-managed rows of ``year``; with a region, only those that apply to it."""
    rows = DayOff.objects.filter(date__year=year).select_related("created_by")
    if region_code:
        rows = [r for r in rows if not r.region_prefix or region_code.startswith(r.region_prefix)]
    return list(rows)


def working_day_count(year: int, region_code: str = "") -> int:
    return len(calendar.working_days_in(date(year, 1, 1), date(year, 12, 31), region_code or None))


def day_off_or_404(actor, pk) -> DayOff:
    require_permission(actor, "core.manage_calendar")
    try:
        return DayOff.objects.get(pk=pk)
    except (DayOff.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- audit ----------------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(
    actor,
    *,
    pelaku: str = "",
    aksi: str = "",
    jenis: str = "",
    objek: str = "",
    dari: date | None = None,
    sampai: date | None = None,
    subjek: str = "",
) -> QuerySet:
    """The audit trail filtered as the admin asked, newest first. ``subjek`` is a NIK's keyed hash."""
    require_permission(actor, "core.view_audit")
    events = AuditEvent.objects.all()
    if pelaku:
        events = events.filter(Q(actor_label__icontains=pelaku) | Q(actor__full_name__icontains=pelaku))
    if aksi:
        events = events.filter(action__icontains=aksi)
    if jenis:
        events = events.filter(object_type__icontains=jenis)
    if objek:
        events = events.filter(object_id=objek)
    if dari:
        events = events.filter(at__gte=_day_start(dari))
    if sampai:
        events = events.filter(at__lt=_day_start(sampai) + timedelta(days=1))
    if subjek:
        events = events.filter(subject_hash=subjek)
    return events.order_by("-at", "-id")


@dataclass
class ProcessingRecords:
    """Everything Layan holds and did about one NIK (UU 27/2022 art. 31–32)."""

    subject_hash: str
    holdings: list[dict]
    events: list[AuditEvent]
    reads: list[PersonalDataRead]


def _nik_holdings(subject_hash: str) -> list[dict]:
    """Every record that stores this NIK, found through the keyed hash of every NikField."""
    found = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, NikField):
                continue
            for obj in model._default_manager.filter(**{f"{model_field.attname}_hash": subject_hash}):
                found.append(
                    {
                        "object_type": model._meta.label_lower,
                        "object_type_label": str(model._meta.verbose_name),
                        "object_id": str(obj.pk),
                        "object_repr": str(obj)[:255],
                        "field": model_field.name,
                    }
                )
    return found


def processing_records(actor, nik: str) -> ProcessingRecords:
    require_permission(actor, "core.export_processing")
    subject_hash = keyed_hash(nik)
    holdings = _nik_holdings(subject_hash)
    about = Q(subject_hash=subject_hash)
    for holding in holdings:  # writes to those records made before the hash was recorded
        about |= Q(object_type=holding["object_type"], object_id=holding["object_id"])
    events = list(AuditEvent.objects.filter(about).order_by("at", "id"))
    reads = list(PersonalDataRead.objects.filter(subject_hash=subject_hash).order_by("at", "id"))
    return ProcessingRecords(subject_hash=subject_hash, holdings=holdings, events=events, reads=reads)


# --- jobs -----------------------------------------------------------------------------------------------


def jobs_of(actor) -> QuerySet:
    """The jobs the actor started (nobody else sees them)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(started_by=actor).order_by("-created_at")


def job_of_or_404(actor, job_id) -> Job:
    try:
        return jobs_of(actor).get(pk=job_id)
    except (Job.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def notifications_of(actor, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The actor's own notifications, newest first (nobody reads anyone else's)."""
    qs = Notification.objects.filter(user=actor)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_notification_count(actor) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return notifications_of(actor, unread_only=True).count()
