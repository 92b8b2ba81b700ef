"""Pages of the organisation module. Thin: parse input with a form, call a selector or a service, render.

Every object comes through a scoped selector, so an employee or unit outside the actor's scope is a 404;
pages without an object call ``require_permission`` (also 404)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from layan.core.exports import XLSX_TYPE, download
from layan.core.jobs import job_start
from layan.core.listing import paginate, querystring_without, search_q
from layan.core.models import Job
from layan.core.scopes import has_permission, require_permission
from layan.core.stored_text import message, shown
from layan.core.uploads import read_table_upload
from layan.org import selectors, services
from layan.org.forms import (
    EmployeeEndForm,
    EmployeeFilterForm,
    EmployeeForm,
    EmployeeMoveForm,
    ImportForm,
    OfficeLocationForm,
    PositionForm,
    UnitFilterForm,
    UnitForm,
)
from layan.org.imports import check_headers, template_xlsx
from layan.org.models import Employee, OfficeLocation, Position
from layan.org.tasks import import_employees_task

EXPORT_FORMATS = {"xlsx", "csv"}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _list_qs(request) -> str:
    return querystring_without(request, "page", "export")


# --- employees --------------------------------------------------------------------------------------------


def _filtered_employees(request, actor):
    employees = selectors.employees_visible_to(actor)
    form = EmployeeFilterForm(request.GET or None, units=selectors.units_visible_to(actor))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            employees = employees.filter(search_q(data["q"], ["name", "nip"]))
        if data["unit"]:
            employees = employees.filter(selectors.unit_subtree_q(data["unit"]))
        if data["kind"]:
            employees = employees.filter(kind=data["kind"])
        if data["active"] == "1":
            employees = employees.filter(employment_end__isnull=True)
        elif data["active"] == "0":
            employees = employees.filter(employment_end__isnull=False)
    return employees, form


@login_required
def employee_list(request):
    actor = request.user
    require_permission(actor, "org.view_employee")
    employees, form = _filtered_employees(request, actor)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        headers = [
            _("NIP"),
            _("Nama"),
            _("Jenis"),
            _("Unit"),
            _("Jabatan"),
            _("Kelas jabatan"),
            _("Atasan"),
            _("TMT"),
            _("Tanggal berhenti"),
        ]
        rows = (
            [
                e.nip or "",
                e.name,
                e.get_kind_display(),
                e.unit.name,
                e.position.name if e.position else "",
                e.position.kelas_jabatan if e.position else "",
                e.supervisor.name if e.supervisor else "",
                e.employment_start,
                e.employment_end,
            ]
            for e in employees.iterator(chunk_size=500)
        )
        return download(pgettext("plural", "pegawai"), headers, rows, fmt=export)
    return render(
        request,
        "org/employee_list.html",
        {
            "page": paginate(request, employees),
            "filters": form,
            "qs": _list_qs(request),
            "can_manage": has_permission(actor, "org.manage_employee"),
        },
    )


def _supervisor_from_nip(actor, nip: str) -> Employee | None:
    from layan.core.identifiers import normalize_digits

    nip = normalize_digits(nip)
    if not nip:
        return None
    supervisor = selectors.employees_visible_to(actor).filter(nip=nip).first()
    if supervisor is None:
        raise ValidationError(
            {
                "supervisor_nip": _("Atasan dengan NIP %(nip)s tidak ditemukan di wilayah kerja Anda.")
                % {"nip": nip}
            }
        )
    return supervisor


def _show_warnings(request, employee: Employee) -> None:
    for warning in employee.data_warnings:
        messages.warning(request, shown(warning))


@login_required
def employee_create(request):
    actor = request.user
    require_permission(actor, "org.manage_employee")
    units = selectors.units_visible_to(actor, "org.manage_employee").filter(is_active=True)
    form = EmployeeForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            supervisor = _supervisor_from_nip(actor, data.pop("supervisor_nip"))
            employee = services.employee_create(actor=actor, supervisor=supervisor, **data)
        except ValidationError as exc:
            form.apply_service_error(_rename_supervisor(exc))
        else:
            messages.success(request, _("Pegawai %(name)s tersimpan.") % {"name": employee.name})
            _show_warnings(request, employee)
            return redirect("org:employee_detail", pk=employee.pk)
    return render(
        request,
        "org/employee_form.html",
        {"form": form, "title": _("Tambah pegawai")},
        status=400 if form.is_bound and form.errors else 200,
    )


def _rename_supervisor(exc: ValidationError) -> ValidationError:
    if hasattr(exc, "error_dict") and "supervisor" in exc.error_dict:
        data = exc.message_dict
        data["supervisor_nip"] = data.pop("supervisor")
        return ValidationError(data)
    return exc


@login_required
def employee_detail(request, pk: int):
    actor = request.user
    employee = selectors.employee_for(actor, pk)
    return render(request, "org/employee_detail.html", _employee_context(actor, employee))


def _employee_context(actor, employee: Employee, **extra) -> dict:
    chain = selectors.supervisor_chain(employee)
    visible_ids = set(
        selectors.employees_visible_to(actor)
        .filter(pk__in=[e.pk for e in chain])
        .values_list("pk", flat=True)
    )
    return {
        "employee": employee,
        "moves": selectors.moves_of(employee),
        "chain": [(boss, boss.pk in visible_ids) for boss in chain],
        "reports": selectors.direct_reports_visible(actor, employee).filter(employment_end__isnull=True),
        "nik_masked": selectors.nik_display(actor, employee),
        "can_view_nik": bool(employee.nik) and selectors.can_view_nik(actor, employee),
        "can_manage": selectors.can_manage_employee(actor, employee),
        "can_view_unit": selectors.units_visible_to(actor).filter(pk=employee.unit_id).exists(),
        **extra,
    }


@login_required
@require_POST
def employee_nik(request, pk: int):
    """Reveal the NIK (only with ``org.view_nik`` in scope; the read is logged)."""
    actor = request.user
    employee = selectors.employee_for(actor, pk)
    nik = selectors.employee_nik_reveal(actor, employee)
    if _is_htmx(request):
        return render(request, "org/_nik.html", {"nik": nik, "revealed": True})
    return render(request, "org/employee_detail.html", _employee_context(actor, employee, nik_revealed=nik))


@login_required
def employee_edit(request, pk: int):
    actor = request.user
    employee = selectors.employee_managed_by(actor, pk)
    initial = {
        "kind": employee.kind,
        "nip": employee.nip or "",
        "name": employee.name,
        "nik": employee.nik,
        "sex": employee.sex,
        "birth_place": employee.birth_place,
        "birth_date": employee.birth_date,
        "employment_start": employee.employment_start,
        "phone": employee.phone,
        "email": employee.email,
        "supervisor_nip": employee.supervisor.nip if employee.supervisor else "",
    }
    form = EmployeeForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["supervisor"] = _supervisor_from_nip(actor, data.pop("supervisor_nip"))
            employee = services.employee_update(actor=actor, employee=employee, **data)
        except ValidationError as exc:
            form.apply_service_error(_rename_supervisor(exc))
        else:
            messages.success(request, _("Data pegawai tersimpan."))
            _show_warnings(request, employee)
            return redirect("org:employee_detail", pk=employee.pk)
    return render(
        request,
        "org/employee_form.html",
        {"form": form, "employee": employee, "title": _("Ubah data pegawai")},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def employee_move(request, pk: int):
    actor = request.user
    employee = selectors.employee_managed_by(actor, pk)
    units = selectors.units_visible_to(actor, "org.manage_employee").filter(is_active=True)
    form = EmployeeMoveForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.employee_move(actor=actor, employee=employee, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            messages.success(request, _("Mutasi tercatat."))
            return redirect("org:employee_detail", pk=employee.pk)
    return render(
        request,
        "org/employee_move.html",
        {"form": form, "employee": employee, "moves": selectors.moves_of(employee)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def employee_end(request, pk: int):
    actor = request.user
    employee = selectors.employee_managed_by(actor, pk)
    form = EmployeeEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.employee_end(actor=actor, employee=employee, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            messages.success(request, _("Pegawai dinyatakan berhenti; akunnya dinonaktifkan."))
            return redirect("org:employee_detail", pk=employee.pk)
    return render(
        request,
        "org/employee_end.html",
        {"form": form, "employee": employee},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def employee_link_user(request, pk: int):
    actor = request.user
    employee = selectors.employee_managed_by(actor, pk)
    try:
        user = services.employee_link_user(
            actor=actor, employee=employee, username=request.POST.get("username", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Akun %(username)s terhubung. Pegawai masuk dengan NIP; kata sandi diatur "
                "melalui atur ulang kata sandi."
            )
            % {"username": user.username},
        )
    return redirect("org:employee_detail", pk=employee.pk)


# --- import -----------------------------------------------------------------------------------------------


@login_required
def employee_import(request):
    actor = request.user
    require_permission(actor, "org.manage_employee")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            headers, _rows = read_table_upload(upload)
            check_headers(headers)
        except ValidationError as exc:
            form.apply_service_error(ValidationError({"file": exc.messages}))
        else:
            upload.seek(0)
            path = default_storage.save(f"imports/org/{uuid.uuid4().hex}.upload", ContentFile(upload.read()))
            job = job_start(
                actor=actor,
                kind="org.import_employees",
                task=import_employees_task,
                title=message(N_("Impor pegawai: %(name)s"), name=upload.name[:120]),
                params={"file": path, "filename": upload.name[:200]},
            )
            return redirect("org:employee_import_status", job_id=job.pk)
    jobs = Job.objects.filter(started_by=actor, kind="org.import_employees")[:10]
    return render(
        request,
        "org/employee_import.html",
        {"form": form, "jobs": jobs},
        status=400 if form.is_bound and form.errors else 200,
    )


def _import_job(request, job_id) -> Job:
    """An import job is its starter's own: the report holds the rows they uploaded."""
    require_permission(request.user, "org.manage_employee")
    return get_object_or_404(Job, pk=job_id, kind="org.import_employees", started_by=request.user)


@login_required
def employee_import_status(request, job_id):
    job = _import_job(request, job_id)
    template = "org/_import_progress.html" if _is_htmx(request) else "org/employee_import_status.html"
    return render(request, template, {"job": job})


@login_required
def employee_import_report(request, job_id):
    job = _import_job(request, job_id)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=f"impor-pegawai-bermasalah-{job.created_at:%Y%m%d-%H%M}.xlsx",
        content_type=XLSX_TYPE,
    )


@login_required
def employee_import_template(request):
    require_permission(request.user, "org.manage_employee")
    response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-pegawai.xlsx"'
    return response


# --- units ------------------------------------------------------------------------------------------------


@login_required
def unit_list(request):
    actor = request.user
    require_permission(actor, "org.view_unit")
    units = selectors.with_staff_counts(selectors.units_visible_to(actor))
    form = UnitFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            units = units.filter(search_q(data["q"], ["name", "code"]))
        if data["kind"]:
            units = units.filter(kind=data["kind"])
        if data["active"] in ("0", "1"):
            units = units.filter(is_active=data["active"] == "1")
    rows = selectors.unit_tree(units)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        headers = [
            _("Kode"),
            _("Nama"),
            _("Jenis"),
            _("Kode wilayah"),
            _("Unit induk"),
            _("Zona waktu"),
            _("Jumlah pegawai aktif"),
            _("Aktif"),
        ]
        data_rows = (
            [
                r.unit.code,
                r.unit.name,
                r.unit.get_kind_display(),
                r.unit.region_id,
                r.unit.parent.name if r.unit.parent else "",
                r.unit.time_zone_label,
                r.unit.staff_count,
                _("ya") if r.unit.is_active else _("tidak"),
            ]
            for r in rows
        )
        return download(_("unit-kerja"), headers, data_rows, fmt=export)
    return render(
        request,
        "org/unit_list.html",
        {
            "page": paginate(request, rows, per_page=50),
            "filters": form,
            "qs": _list_qs(request),
            "can_manage": has_permission(actor, "org.manage_unit"),
        },
    )


@login_required
def unit_detail(request, pk: int):
    actor = request.user
    unit = selectors.unit_for(actor, pk)
    staff = selectors.employees_visible_to(actor).filter(unit=unit, employment_end__isnull=True)
    children = selectors.with_staff_counts(selectors.units_visible_to(actor).filter(parent=unit))
    can_manage = selectors.units_visible_to(actor, "org.manage_unit").filter(pk=unit.pk).exists()
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "locations": unit.locations.all(),
            "children": children,
            "page": paginate(request, staff),
            "qs": _list_qs(request),
            "can_manage": can_manage,
            "location_form": OfficeLocationForm() if can_manage else None,
        },
    )


def _unit_form_response(request, form, unit=None, status=200):
    title = _("Ubah unit") if unit else _("Tambah unit")
    return render(request, "org/unit_form.html", {"form": form, "unit": unit, "title": title}, status=status)


@login_required
def unit_create(request):
    actor = request.user
    require_permission(actor, "org.manage_unit")
    parents = selectors.units_visible_to(actor, "org.manage_unit").filter(is_active=True)
    initial = {"parent": request.GET.get("induk")} if request.GET.get("induk", "").isdigit() else {}
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_error(exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Unit %(name)s tersimpan.") % {"name": unit.name})
            return redirect("org:unit_detail", pk=unit.pk)
    return _unit_form_response(request, form, status=400 if form.is_bound and form.errors else 200)


@login_required
def unit_edit(request, pk: int):
    actor = request.user
    unit = selectors.unit_for(actor, pk, "org.manage_unit")
    parents = (
        selectors.units_visible_to(actor, "org.manage_unit")
        .filter(is_active=True)
        .exclude(path__startswith=unit.path)
    )
    initial = {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "region": unit.region_id,
        "parent": unit.parent_id,
        "is_active": unit.is_active,
    }
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_update(actor=actor, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_error(exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Unit tersimpan."))
            return redirect("org:unit_detail", pk=unit.pk)
    return _unit_form_response(request, form, unit, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def unit_deactivate(request, pk: int):
    actor = request.user
    unit = selectors.unit_for(actor, pk, "org.manage_unit")
    try:
        services.unit_deactivate(actor=actor, unit=unit)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Unit dinonaktifkan."))
    return redirect("org:unit_detail", pk=unit.pk)


@login_required
def location_create(request, pk: int):
    actor = request.user
    unit = selectors.unit_for(actor, pk, "org.manage_unit")
    form = OfficeLocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_location_create(actor=actor, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            messages.success(request, _("Lokasi kantor tersimpan."))
            return redirect("org:unit_detail", pk=unit.pk)
    return render(
        request,
        "org/location_form.html",
        {"form": form, "unit": unit},
        status=400 if form.is_bound and form.errors else 200,
    )


def _location_managed(actor, pk: int) -> OfficeLocation:
    location = get_object_or_404(OfficeLocation.objects.select_related("unit"), pk=pk)
    selectors.unit_for(actor, location.unit_id, "org.manage_unit")  # 404 outside the actor's scope
    return location


@login_required
def location_edit(request, pk: int):
    actor = request.user
    location = _location_managed(actor, pk)
    initial = {
        "name": location.name,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "radius_m": location.radius_m,
        "is_active": location.is_active,
    }
    form = OfficeLocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_location_update(actor=actor, location=location, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            messages.success(request, _("Lokasi kantor tersimpan."))
            return redirect("org:unit_detail", pk=location.unit_id)
    return render(
        request,
        "org/location_form.html",
        {"form": form, "unit": location.unit, "location": location},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def location_delete(request, pk: int):
    actor = request.user
    location = _location_managed(actor, pk)
    services.office_location_delete(actor=actor, location=location)
    messages.success(request, _("Lokasi kantor dihapus."))
    return redirect("org:unit_detail", pk=location.unit_id)


# --- positions --------------------------------------------------------------------------------------------


@login_required
def position_list(request):
    actor = request.user
    require_permission(actor, "org.view_unit")
    can_manage = has_permission(actor, "org.manage_unit")
    form = PositionForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.position_create(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                form.apply_service_error(exc)
            else:
                messages.success(request, _("Jabatan tersimpan."))
                return redirect("org:position_list")
    positions = selectors.positions()
    q = request.GET.get("q", "").strip()
    if q:
        positions = positions.filter(search_q(q, ["name"]))
    kind = request.GET.get("kind", "")
    if kind in Position.Kind.values:
        positions = positions.filter(kind=kind)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        headers = [_("Nama jabatan"), _("Jenis"), _("Kelas jabatan"), _("Jumlah pegawai aktif")]
        rows = ([p.name, p.get_kind_display(), p.kelas_jabatan, p.staff_count] for p in positions)
        return download(_("jabatan"), headers, rows, fmt=export)
    return render(
        request,
        "org/position_list.html",
        {
            "page": paginate(request, positions, per_page=50),
            "qs": _list_qs(request),
            "q": q,
            "kind": kind,
            "kinds": Position.Kind.choices,
            "form": form,
            "can_manage": can_manage,
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
def position_edit(request, pk: int):
    actor = request.user
    require_permission(actor, "org.manage_unit")
    position = get_object_or_404(Position, pk=pk)
    form = PositionForm(
        request.POST or None,
        initial={"name": position.name, "kind": position.kind, "kelas_jabatan": position.kelas_jabatan},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.position_update(actor=actor, position=position, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_error(exc)
        else:
            messages.success(request, _("Jabatan tersimpan."))
            return redirect(reverse("org:position_list"))
    return render(
        request,
        "org/position_form.html",
        {"form": form, "position": position},
        status=400 if form.is_bound and form.errors else 200,
    )
