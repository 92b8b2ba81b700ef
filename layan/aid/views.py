"""Pages of the aid module (bansos). Thin: parse input, call a selector or service, render."""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_GET, require_POST

from layan.aid import forms, selectors, services
from layan.aid.importing import ALL_COLUMNS, REPORT_COLUMNS
from layan.aid.models import (
    VULNERABILITY_FLAGS,
    AsnPackage,
    AsnPledge,
    DuplicatePair,
    Enrolment,
    Evidence,
    Family,
    Program,
    Resident,
    Round,
)
from layan.aid.templatetags.aid_format import desa_time, thousands
from layan.core import request_context
from layan.core.audit import personal_data_read
from layan.core.exports import download
from layan.core.listing import paginate, querystring_without
from layan.core.pdf import PDF_MAX_ROWS, pdf_download
from layan.core.personal_data import masked
from layan.core.scopes import has_permission, require_permission
from layan.core.stored_text import message, shown, shown_all
from layan.core.uploads import stored_file_response
from layan.org import selectors as org_selectors

EXPORT_FORMATS = {"xlsx", "csv"}
NIK_PURPOSE = "Pengelolaan data penerima bansos"
LOOKUP_LIMIT = 10  # public lookups per address per 10 minutes
LOOKUP_WINDOW = 600


def _qs(request) -> str:
    return querystring_without(request, "page", "export")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- residents ----------------------------------------------------------------------------------------


@login_required
def resident_list(request):
    actor = request.user
    require_permission(actor, "aid.view_resident")
    form = forms.ResidentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    residents = selectors.resident_search(
        actor,
        text=data.get("q", ""),
        nik=data.get("nik", ""),
        kk=data.get("kk", ""),
        desa=data.get("desa", ""),
        warnings_only=data.get("peringatan", False),
    )
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        headers = [
            _("Nama"),
            _("NIK"),
            _("Jenis kelamin"),
            _("Tanggal lahir"),
            _("Desa"),
            _("Alamat"),
            _("RT"),
            _("RW"),
            _("Kerentanan"),
            _("Peringatan data"),
        ]
        rows = (
            [
                r.name,
                masked(r.nik),
                r.sex,
                r.birth_date,
                r.desa.name,
                r.address,
                r.rt,
                r.rw,
                ", ".join(r.vulnerability_labels),
                shown(r.data_warnings),
            ]
            for r in residents.iterator(chunk_size=1000)
        )
        return download(_("penduduk"), headers, rows, fmt=export)
    return render(
        request,
        "aid/resident_list.html",
        {
            "page": paginate(request, residents),
            "filters": form,
            "qs": _qs(request),
            "can_manage": has_permission(actor, "aid.manage_resident"),
        },
    )


def _nik_context(request, resident: Resident) -> dict:
    """NIK masked; in clear only for aid.view_nik on request, and every such read is logged."""
    reveal = request.GET.get("nik") == "tampil" and has_permission(request.user, "aid.view_nik")
    if reveal and resident.nik:
        personal_data_read(actor=request.user, instance=resident, fields=["nik", "kk"], purpose=NIK_PURPOSE)
        return {"nik": resident.nik, "kk": resident.family.kk if resident.family else "", "revealed": True}
    return {
        "nik": masked(resident.nik),
        "kk": masked(resident.family.kk) if resident.family else "",
        "revealed": False,
        "can_reveal": has_permission(request.user, "aid.view_nik") and bool(resident.nik),
    }


@login_required
def resident_detail(request, pk: int):
    resident = selectors.resident_get(request.user, pk)
    members = resident.family.members.order_by("birth_date") if resident.family else []
    return render(
        request,
        "aid/resident_detail.html",
        {
            "resident": resident,
            "aid": selectors.aid_of_resident(resident),
            "members": members,
            "sources": selectors.source_records_of(resident),
            "pairs": selectors.duplicate_pairs_of(resident),
            "memberships": resident.memberships.select_related("family").order_by("valid_from"),
            **_nik_context(request, resident),
        },
    )


@login_required
def aid_by_nik(request):
    """All aid for one NIK (a POST, so the NIK stays out of URLs and server logs)."""
    actor = request.user
    require_permission(actor, "aid.view_resident")
    form = forms.NikLookupForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.aid_for_nik(actor, form.cleaned_data["nik"])
        for resident, _lines in results:
            personal_data_read(actor=actor, instance=resident, fields=["nik"], purpose=NIK_PURPOSE)
    return render(request, "aid/aid_by_nik.html", {"form": form, "results": results})


# --- import -------------------------------------------------------------------------------------------


@login_required
def import_list(request):
    actor = request.user
    require_permission(actor, "aid.manage_resident")
    desa = selectors.own_desa(actor, "aid.manage_resident")
    initial = {"source": _("Daftar Desa %(name)s") % {"name": desa.name}} if desa else {}
    form = forms.ImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = services.read_upload_bytes(upload)
            record = services.resident_import_start(
                actor=actor, data=data, file_name=upload.name, source=form.cleaned_data["source"]
            )
        except ValidationError as exc:
            form.add_error("file", _errors(exc))
        else:
            messages.success(request, _("Berkas diterima; impor berjalan di latar belakang."))
            return redirect("aid:import_detail", pk=record.pk)
    return render(
        request,
        "aid/import_list.html",
        {
            "form": form,
            "page": paginate(request, selectors.imports_visible(actor)),
            "columns": ALL_COLUMNS,
            "status": 400 if form.errors else 200,
        },
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request, pk: int):
    actor = request.user
    record = selectors.import_get(actor, pk)
    rejected = record.rejected_rows.all()
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        rows = []
        for row in rejected.iterator(chunk_size=1000):
            values = json.loads(row.data)
            reasons = " | ".join(shown_all(row.reasons))
            rows.append([row.row_number, *[values.get(c, "") for c in ALL_COLUMNS], reasons])
        # The column names stay as the import expects them, so the corrected file can be imported again.
        return download(
            _("baris-ditolak"), [REPORT_COLUMNS[0], *ALL_COLUMNS, REPORT_COLUMNS[1]], rows, fmt=export
        )
    page = paginate(request, rejected, per_page=50)
    rows = [(row, json.loads(row.data)) for row in page]
    return render(
        request, "aid/import_detail.html", {"record": record, "page": page, "rows": rows, "qs": _qs(request)}
    )


# --- rounds -------------------------------------------------------------------------------------------


@login_required
def program_list(request):
    require_permission(request.user, "aid.view_coverage")
    return render(request, "aid/program_list.html", {"programs": selectors.programs_all()})


@login_required
def round_list(request):
    actor = request.user
    if not selectors.can_view_rounds(actor):
        raise Http404
    rounds = selectors.rounds_visible(actor)
    status = request.GET.get("status", "")
    if status in Round.Status.values:
        rounds = rounds.filter(status=status)
    desa = selectors.own_desa(actor, "aid.distribute")
    form = forms.RoundForm(request.POST or None, initial={"area": desa.code} if desa else {})
    can_create = has_permission(actor, "aid.distribute")
    if request.method == "POST":
        if not can_create:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                rnd = services.round_create(
                    actor=actor,
                    program=data["program"],
                    area=data["area"].strip(),
                    stage=data["stage"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                return redirect("aid:round_detail", pk=rnd.pk)
    return render(
        request,
        "aid/round_list.html",
        {
            "page": paginate(request, rounds),
            "form": form,
            "can_create": can_create,
            "status": status,
            "statuses": forms.ROUND_STATUS_CHOICES,
            "qs": _qs(request),
        },
        status=400 if form.errors else 200,
    )


def _find_target(actor, data) -> Resident | Family:
    if data["nik"]:
        found = selectors.resident_search(actor, nik=data["nik"]).first()
    else:
        found = Family.objects.filter(
            pk__in=selectors.resident_search(actor, kk=data["kk"]).values("family_id")
        ).first()
    if found is None:
        raise ValidationError(_("NIK/KK tidak ditemukan di wilayah kerja Anda."))
    return found


@login_required
def round_detail(request, pk: int):
    actor = request.user
    rnd = selectors.round_get(actor, pk)
    enrolments = (
        rnd.enrolments.select_related("resident", "family__head", "desa", "distribution")
        .prefetch_related("distribution__evidence")
        .order_by("id")
    )
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        headers = [_("Penerima"), _("NIK/KK"), _("Kode desa"), _("Desa"), _("Konflik"), _("Disalurkan")]
        rows = (
            [
                str(e.resident or e.family),
                masked(e.resident.nik if e.resident else e.family.kk),
                e.desa_id,
                e.desa.name,
                " | ".join(shown_all(e.conflicts)),
                desa_time(e.distribution.handed_at, e.desa_id) if hasattr(e, "distribution") else "",
            ]
            for e in enrolments
        )
        return download(str(rnd), headers, rows, fmt=export)
    enrol_form = forms.EnrolmentForm(request.POST if request.POST.get("action") == "add" else None)
    submit_form = forms.SubmitRoundForm(request.POST if request.POST.get("action") == "submit" else None)
    approve_form = forms.ApproveRoundForm(request.POST if request.POST.get("action") == "approve" else None)
    warnings = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add" and enrol_form.is_valid():
                target = _find_target(actor, enrol_form.cleaned_data)
                result = services.enrolment_add(
                    actor=actor,
                    rnd=rnd,
                    resident=target if isinstance(target, Resident) else None,
                    family=target if isinstance(target, Family) else None,
                )
                warnings = result.warnings
                # The person or the family ("KK Ahmad Yani"), not the enrolment ("3: KK Ahmad Yani").
                added = result.enrolment.resident or result.enrolment.family
                messages.success(request, _("%(name)s ditambahkan ke daftar.") % {"name": added})
                enrol_form = forms.EnrolmentForm()
            elif action == "submit" and submit_form.is_valid():
                rnd = services.round_submit(actor=actor, rnd=rnd, **submit_form.cleaned_data)
                messages.success(
                    request,
                    _("Daftar diajukan untuk pengesahan; batas pengesahan %(day)s.")
                    % {"day": date_format(rnd.legalisation_due, "d-m-Y")},
                )
                return redirect("aid:round_detail", pk=rnd.pk)
            elif action == "approve" and approve_form.is_valid():
                services.round_approve(actor=actor, rnd=rnd)
                messages.success(request, _("Daftar disahkan dan dikunci."))
                return redirect("aid:round_detail", pk=rnd.pk)
            elif action == "return":
                services.round_return_to_draft(actor=actor, rnd=rnd)
                return redirect("aid:round_detail", pk=rnd.pk)
            elif action == "propose":
                added = services.round_propose_from_eligibility(actor=actor, rnd=rnd)
                messages.success(request, _("%(n)s penerima diusulkan dari kriteria.") % {"n": added})
                return redirect("aid:round_detail", pk=rnd.pk)
            elif action == "refresh":
                services.round_refresh_conflicts(actor=actor, rnd=rnd)
                return redirect("aid:round_detail", pk=rnd.pk)
            elif action == "remove":
                enrolment = get_object_or_404(Enrolment, pk=request.POST.get("enrolment"), round=rnd)
                services.enrolment_remove(actor=actor, enrolment=enrolment)
                return redirect("aid:round_detail", pk=rnd.pk)
            elif action == "close":
                services.round_close(actor=actor, rnd=rnd)
                return redirect("aid:round_detail", pk=rnd.pk)
        except ValidationError as exc:
            if action == "submit" and hasattr(exc, "error_dict"):
                # Next to the field, with the submit form left open (a date in the future, …).
                for field, errors in exc.error_dict.items():
                    submit_form.add_error(field if field in submit_form.fields else None, errors)
            else:
                messages.error(request, _errors(exc))
        rnd.refresh_from_db()
    page = paginate(request, enrolments, per_page=50)
    return render(
        request,
        "aid/round_detail.html",
        {
            "round": rnd,
            "page": page,
            "enrol_form": enrol_form,
            "submit_form": submit_form,
            "approve_form": approve_form,
            "warnings": warnings,
            "conflict_count": sum(1 for e in rnd.enrolments.all() if e.conflicts),
            "open_count": rnd.enrolments.filter(distribution__isnull=True).count(),
            "qs": _qs(request),
            "can_edit": has_permission(actor, "aid.distribute") and rnd.status == Round.Status.DRAFT,
            "can_distribute": has_permission(actor, "aid.distribute") and rnd.accepts_handovers,
            "can_approve": has_permission(actor, "aid.approve_round")
            and rnd.status == Round.Status.TO_APPROVE,
            "can_residents": has_permission(actor, "aid.view_resident"),
        },
        status=400 if (enrol_form.errors or submit_form.errors or approve_form.errors) else 200,
    )


def _evidence_inputs(data: dict, now) -> list:
    """The photo and/or short video of an evidence form, with the phone's capture time and position."""
    return [
        services.EvidenceInput(
            upload=data[kind],
            taken_at=data["taken_at"] or now,
            latitude=data["latitude"],
            longitude=data["longitude"],
            kind=Evidence.Kind.PHOTO if kind == "photo" else Evidence.Kind.VIDEO,
        )
        for kind in ("photo", "video")
        if data.get(kind)
    ]


@login_required
def distribution_create(request, pk: int):
    actor = request.user
    enrolment = selectors.enrolment_for_distribution(actor, pk)
    if not enrolment.round.accepts_handovers:
        messages.error(request, _("Penyerahan hanya untuk daftar yang sudah disahkan dan belum selesai."))
        return redirect("aid:round_detail", pk=enrolment.round_id)
    program = enrolment.round.program
    form = forms.DistributionForm(
        request.POST or None,
        request.FILES or None,
        initial={"client_uuid": uuid.uuid4(), "amount": program.amount_per_period or None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = timezone.now()
        try:
            services.distribution_record(
                actor=actor,
                enrolment=enrolment,
                amount=data["amount"] if program.benefit == Program.Benefit.CASH else None,
                handed_at=data["taken_at"] or now,
                confirmed_by_recipient=data["confirmed_by_recipient"],
                receiver_name=data["receiver_name"],
                note=data["note"],
                client_uuid=data["client_uuid"] or None,
                evidence=_evidence_inputs(data, now),
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Penyerahan dicatat."))
            return redirect("aid:round_detail", pk=enrolment.round_id)
    return render(
        request,
        "aid/distribution_form.html",
        {"form": form, "enrolment": enrolment, "cash": program.benefit == Program.Benefit.CASH},
        status=400 if form.errors else 200,
    )


# --- coverage -----------------------------------------------------------------------------------------


@login_required
def coverage(request):
    actor = request.user
    require_permission(actor, "aid.view_coverage")
    form = forms.CoverageFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    level = int(data.get("tingkat") or 4)
    rows = selectors.coverage_by_area(
        actor, area=data.get("wilayah", ""), year=data.get("tahun"), level=level
    )
    total = selectors.coverage_totals(rows)
    codes = sorted(total.by_program)
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        headers = [
            _("Kode"),
            _("Wilayah"),
            _("Keluarga"),
            _("Menerima bantuan"),
            _("Sudah diserahkan"),
            _("Tidak menerima apa pun"),
            _("Rentan, tidak menerima"),
            _("Penduduk"),
            *[c.upper() for c in codes],
        ]
        table = [
            [
                r.code,
                r.name,
                r.families,
                r.covered,
                r.handed_over,
                r.uncovered,
                r.vulnerable_uncovered,
                r.people,
                *[r.by_program.get(c, 0) for c in codes],
            ]
            for r in [*rows, total]
        ]
        return download(_("cakupan-bansos"), headers, table, fmt=export)
    return render(
        request,
        "aid/coverage.html",
        {
            "form": form,
            "total": total,
            "grid": selectors.coverage_grid(rows) if level == 4 else [],
            "legend": ["< 20%", "20–40%", "40–60%", "60–80%", "≥ 80%"],
            "codes": codes,
            "qs": _qs(request),
            "rows": [(r, [r.by_program.get(c, 0) for c in codes]) for r in rows],
            "double": selectors.double_recipients(
                actor, area=data.get("wilayah", ""), year=data.get("tahun"), limit=50
            ),
        },
    )


@login_required
def uncovered_families(request):
    actor = request.user
    require_permission(actor, "aid.view_coverage")
    form = forms.CoverageFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    families = selectors.families_receiving_nothing(
        actor, area=data.get("wilayah", ""), year=data.get("tahun"), vulnerable_only=data.get("rentan", False)
    )
    export = request.GET.get("export")
    if export in EXPORT_FORMATS:
        headers = [_("Kepala keluarga"), _("No. KK"), _("Desa"), _("Alamat"), _("Rentan")]
        rows = (
            [
                f.head.name if f.head else "",
                masked(f.kk),
                f.desa.name,
                f.address,
                _("ya") if f.vulnerable else "",
            ]
            for f in families.iterator(chunk_size=1000)
        )
        return download(_("keluarga-tanpa-bantuan"), headers, rows, fmt=export)
    return render(
        request, "aid/uncovered.html", {"form": form, "page": paginate(request, families), "qs": _qs(request)}
    )


# --- duplicates ---------------------------------------------------------------------------------------


@login_required
def duplicate_list(request):
    actor = request.user
    require_permission(actor, "aid.manage_resident")
    counts = selectors.duplicate_pair_counts(actor)
    status = request.GET.get("status") or selectors.duplicate_default_tab(counts)
    pairs = selectors.duplicate_pairs_visible(
        actor, status=status if status in DuplicatePair.Status.values else ""
    )
    return render(
        request,
        "aid/duplicate_list.html",
        {
            "page": paginate(request, pairs),
            "status": status,
            "statuses": [(value, label, counts[value]) for value, label in DuplicatePair.Status.choices],
            "qs": _qs(request),
            "can_run": has_permission(actor, "aid.manage_program"),
        },
    )


@login_required
def duplicate_detail(request, pk: int):
    actor = request.user
    pair = selectors.duplicate_pair_get(actor, pk)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.duplicate_decide(
            actor=actor,
            pair=pair,
            same_person=form.cleaned_data["decision"] == "same",
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Keputusan disimpan; pencarian duplikat berikutnya akan menghormatinya."))
        # The list opens on the first tab that still has pairs to decide.
        return redirect("aid:duplicate_list")
    left, right = pair.resident_a, pair.resident_b
    can_reveal = has_permission(actor, "aid.view_nik") and bool(left.nik or right.nik)
    revealed = can_reveal and request.GET.get("nik") == "tampil"
    if revealed:
        for resident in (left, right):
            if resident.nik:
                personal_data_read(actor=actor, instance=resident, fields=["nik"], purpose=NIK_PURPOSE)
    return render(
        request,
        "aid/duplicate_detail.html",
        {
            "pair": pair,
            "form": form,
            "left": left,
            "right": right,
            "left_sources": selectors.source_records_of(left),
            "right_sources": selectors.source_records_of(right),
            "left_nik": left.nik if revealed else masked(left.nik),
            "right_nik": right.nik if revealed else masked(right.nik),
            "nik_difference": selectors.nik_difference(left.nik, right.nik),
            "both_niks": bool(left.nik and right.nik),
            "revealed": revealed,
            "can_reveal": can_reveal,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def duplicate_run(request):
    from layan.aid.tasks import run_find_duplicates
    from layan.core.jobs import job_start

    require_permission(request.user, "aid.manage_program")
    job = job_start(
        actor=request.user,
        kind="aid.find_duplicates",
        title=message(N_("Cari duplikat penduduk")),
        task=run_find_duplicates,
    )
    return redirect("core:job_detail", job_id=job.pk)


# --- public: resident's lookup, gallery ---------------------------------------------------------------


def _client_ip(request) -> str:
    return request_context.current().ip or request.META.get("REMOTE_ADDR", "") or "unknown"


def public_lookup(request):
    """A resident checks which aid they are listed for: exact NIK and name, rate limited, logged."""
    form = forms.PublicLookupForm(request.POST or None)
    result, limited, searched = None, False, False
    if request.method == "POST":
        key = f"layan:aid:lookup:{_client_ip(request)}"
        count = cache.get_or_set(key, 0, LOOKUP_WINDOW)
        if count >= LOOKUP_LIMIT:
            limited = True
            # Say only that: the entered values stay, without checking them.
            form = forms.PublicLookupForm(initial=request.POST.dict())
        else:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, LOOKUP_WINDOW)
            if form.is_valid():
                searched = True
                resident = selectors.public_lookup(
                    nik=form.cleaned_data["nik"], name=form.cleaned_data["name"]
                )
                if resident is not None:
                    personal_data_read(
                        actor=None,
                        instance=resident,
                        fields=["nik", "bansos"],
                        purpose="Cek mandiri penerima bansos oleh penduduk",
                    )
                    result = selectors.aid_of_resident(resident)
    status = 429 if limited else 200
    return render(
        request,
        "aid/public_lookup.html",
        {"form": form, "result": result, "limited": limited, "searched": searched},
        status=status,
    )


def _public_evidence():
    """A handed-over package's first photo (``photos``; the image and the link preview) and first video
    (``videos``; shown only when there is no photo): a video is never given to an <img> or og:image."""
    return (
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(kind=Evidence.Kind.PHOTO).order_by("id"),
            to_attr="photos",
        ),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(kind=Evidence.Kind.VIDEO).order_by("id"),
            to_attr="videos",
        ),
    )


def gallery(request):
    packages = selectors.packages_public().prefetch_related(*_public_evidence())
    units, total = selectors.asn_totals()
    return render(
        request,
        "aid/gallery.html",
        {"page": paginate(request, packages, per_page=12), "units": units, "total": total},
    )


def gallery_item(request, token: uuid.UUID):
    package = get_object_or_404(
        AsnPackage.objects.prefetch_related(*_public_evidence()),
        share_token=token,
        status=AsnPackage.Status.HANDED_OVER,
    )
    photo = package.photos[0] if package.consent_public and package.photos else None
    video = package.videos[0] if package.consent_public and package.videos and photo is None else None
    photo_url = (
        request.build_absolute_uri(reverse("aid:gallery_evidence", args=[token, photo.pk])) if photo else ""
    )
    return render(
        request,
        "aid/gallery_item.html",
        {
            "package": package,
            "share_url": request.build_absolute_uri(),
            "photo": photo,
            "photo_url": photo_url,
            "video": video,
        },
    )


@login_required
def evidence_file(request, pk: int):
    """A handover's photo or video, only to those who may see its round or package (never a public URL)."""
    return stored_file_response(selectors.evidence_get(request.user, pk).file)


def gallery_evidence(request, token: uuid.UUID, pk: int):
    """A photo or video of the public gallery: a handed-over package whose family consented."""
    return stored_file_response(selectors.evidence_public(token, pk).file, cache="public, max-age=3600")


@login_required
def home(request):
    actor = request.user
    if not (has_permission(actor, "aid.view_resident") or has_permission(actor, "aid.view_coverage")):
        raise Http404
    return render(
        request,
        "aid/home.html",
        {
            "can_residents": has_permission(actor, "aid.view_resident"),
            "can_manage": has_permission(actor, "aid.manage_resident"),
            "programs": Program.objects.filter(is_active=True),
            "flags": VULNERABILITY_FLAGS,
        },
    )


# --- field handover (works without signal) ------------------------------------------------------------

HANDOVER_SW = Path(__file__).resolve().parent / "static" / "aid" / "handover-sw.js"


def _recipient_label(enrolment: Enrolment) -> tuple[str, str]:
    """The recipient's name and masked NIK (a person) or KK (a family), as printed on lists."""
    if enrolment.resident_id:
        return enrolment.resident.name, masked(enrolment.resident.nik)
    head = enrolment.family.head
    return (head.name if head else str(enrolment.family)), masked(enrolment.family.kk)


@login_required
def handover(request, pk: int):
    """The village officer's handover page for a legalised list: the recipients are part of the page (kept
    on the phone by the service worker) and each handover is queued on the phone until it can be sent."""
    actor = request.user
    rnd = selectors.round_get(actor, pk, "aid.distribute")
    if not rnd.is_frozen:
        raise Http404
    rows = []
    for enrolment in selectors.round_recipients(actor, rnd):
        name, identifier = _recipient_label(enrolment)
        rows.append(
            {
                "enrolment": enrolment,
                "name": name,
                "identifier": identifier,
                "distribution": getattr(enrolment, "distribution", None),
            }
        )
    response = render(
        request,
        "aid/handover.html",
        {
            "round": rnd,
            "rows": rows,
            "open": rnd.accepts_handovers,
            "done_count": sum(1 for r in rows if r["distribution"]),
            "max_video_bytes": settings.LAYAN_MAX_VIDEO_BYTES,
            "max_video_seconds": settings.LAYAN_MAX_VIDEO_SECONDS,
        },
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def handover_service_worker(request):
    """Served under /bansos/putaran/ (the field handover pages of every round) and /bansos/asn-peduli/
    (the ASN Peduli packages' field page): a service worker's scope is the path it is served from."""
    response = HttpResponse(HANDOVER_SW.read_text(encoding="utf-8"), content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def asn_handover(request):
    """The ASN Peduli packages an officer takes to the families they were aimed at, on a page the service
    worker keeps on the phone: a handover is recorded without signal and sent when it returns."""
    require_permission(request.user, "aid.distribute")
    packages = selectors.asn_packages_to_hand_over(request.user)
    response = render(
        request,
        "aid/asn_handover.html",
        {
            "packages": packages,
            "done_count": sum(1 for p in packages if p.status == AsnPackage.Status.HANDED_OVER),
            "max_video_bytes": settings.LAYAN_MAX_VIDEO_BYTES,
            "max_video_seconds": settings.LAYAN_MAX_VIDEO_SECONDS,
        },
    )
    response["Cache-Control"] = "private, no-cache"
    return response


# --- the frozen list as a PDF -------------------------------------------------------------------------


@login_required
def round_pdf(request, pk: int):
    """The official list of a legalised round (camat/bupati legalisation): masked NIK/KK, desa, benefit,
    the village meeting record, the legalisation and a sign-off block. Only a frozen list is printed."""
    rnd = selectors.round_get(request.user, pk)
    if not rnd.is_frozen:
        raise Http404
    enrolments = selectors.round_pdf_rows(rnd)
    if enrolments.count() > PDF_MAX_ROWS:
        messages.error(
            request,
            _("PDF daftar paling banyak %(n)s penerima: unduh daftarnya sebagai Excel.")
            % {"n": PDF_MAX_ROWS},
        )
        return redirect("aid:round_detail", rnd.pk)
    rows = []
    for number, enrolment in enumerate(enrolments, start=1):
        name, identifier = _recipient_label(enrolment)
        rows.append(
            {
                "number": number,
                "name": name,
                "identifier": identifier,
                "desa": enrolment.desa.name,
                "conflicts": sorted({c.get("kind", "") for c in enrolment.conflicts}),
            }
        )
    signer = selectors.round_legaliser(rnd)
    program = rnd.program
    total = program.amount_per_period * len(rows) if program.amount_per_period else None
    return pdf_download(
        f"daftar-{program.code}-{rnd.area_id}-tahap-{rnd.stage}",
        "aid/pdf/round.html",
        {
            "round": rnd,
            "rows": rows,
            "total": total,
            "signer_title": signer.title,
            "signer_name": signer.name,
            "signoff_place": signer.place,
            "signed_on": rnd.approved_at,
        },
    )


# --- ASN Peduli ---------------------------------------------------------------------------------------


def _first_of_month(day=None):
    return (day or timezone.localdate()).replace(day=1)


@login_required
def asn_home(request):
    """ASN Peduli for an employee: their pledges (cash per month or goods, a suggestion by kelas jabatan),
    what they gave, and the totals per unit and for the kabupaten."""
    actor = request.user
    can_pledge = has_permission(actor, "aid.asn_pledge")
    can_collect = has_permission(actor, "aid.asn_collect")
    can_distribute = has_permission(actor, "aid.distribute")
    if not (can_pledge or can_collect or can_distribute):
        raise Http404
    employee = org_selectors.employee_of(actor) if can_pledge else None
    tier = selectors.asn_pledge_tier(employee) if employee else None
    action = request.POST.get("action") if request.method == "POST" else None
    form = forms.AsnPledgeForm(
        request.POST if action == "pledge" else None,
        initial={"kind": AsnPledge.Kind.CASH, "amount_per_month": tier, "start_month": _first_of_month()},
    )
    end_form = forms.AsnPledgeEndForm(request.POST if action == "end" else None)
    if action and employee is None:
        raise Http404
    try:
        if action == "pledge" and form.is_valid():
            services.asn_pledge_create(actor=actor, employee=employee, **form.cleaned_data)
            messages.success(request, _("Terima kasih. Janji ASN Peduli Anda dicatat."))
            return redirect("aid:asn_home")
        if action == "end" and end_form.is_valid():
            pledge = get_object_or_404(selectors.asn_own_pledges(actor), pk=end_form.cleaned_data["pledge"])
            services.asn_pledge_end(
                actor=actor, pledge=pledge, last_month=end_form.cleaned_data["last_month"]
            )
            messages.success(request, _("Janji diakhiri."))
            return redirect("aid:asn_home")
    except ValidationError as exc:
        form.add_error(None, _errors(exc))
    units, total = selectors.asn_totals()
    return render(
        request,
        "aid/asn_home.html",
        {
            "employee": employee,
            "pledges": selectors.asn_own_pledges(actor) if employee else [],
            "form": form,
            "tier": tier,
            "units": units,
            "total": total,
            "can_collect": can_collect,
            "can_distribute": can_distribute,
        },
        status=400 if form.errors or end_form.errors else 200,
    )


@login_required
def asn_collect(request):
    """The unit's collector: pledges running this month (paid or not), donations received against them,
    packages assembled from what was collected, with the unit's balance."""
    actor = request.user
    require_permission(actor, "aid.asn_collect")
    month = _first_of_month()
    month_param = request.GET.get("bulan", "")
    if month_param:
        with contextlib.suppress(ValueError):
            month = datetime.strptime(month_param, "%Y-%m").date()
    pledges = selectors.asn_pledges_collected(actor, month=month)
    units = selectors.asn_collector_units(actor)
    action = request.POST.get("action") if request.method == "POST" else None
    all_pledges = selectors.asn_pledges_collected(actor, month=None)
    donation_form = forms.AsnDonationForm(
        request.POST if action == "donation" else None, pledges=all_pledges, initial={"month": month}
    )
    package_form = forms.AsnPackageForm(
        request.POST if action == "package" else None, units=units, initial={"client_uuid": uuid.uuid4()}
    )
    pledge_form = forms.AsnPledgeForEmployeeForm(
        request.POST if action == "pledge_for" else None,
        find_employees=lambda text: selectors.asn_collectable_employees_matching(actor, text),
        initial={"kind": AsnPledge.Kind.CASH, "start_month": month},
        prefix="for",
    )
    try:
        if action == "pledge_for" and pledge_form.is_valid():
            data = dict(pledge_form.cleaned_data)
            employee = data.pop("employee")
            services.asn_pledge_create(actor=actor, employee=employee, **data)
            messages.success(request, _("Janji ASN Peduli %(name)s dicatat.") % {"name": employee.name})
            return redirect(reverse("aid:asn_collect") + f"?bulan={data['start_month']:%Y-%m}")
        if action == "donation" and donation_form.is_valid():
            data = donation_form.cleaned_data
            services.asn_donation_record(
                actor=actor,
                pledge=data["pledge"],
                month=data["month"],
                amount=data["amount"],
                goods=data["goods"],
            )
            messages.success(request, _("Donasi %(name)s dicatat.") % {"name": data["pledge"].employee.name})
            return redirect(reverse("aid:asn_collect") + f"?bulan={data['month']:%Y-%m}")
        if action == "package" and package_form.is_valid():
            data = package_form.cleaned_data
            balance = selectors.asn_unit_balance(data["unit"])
            package = services.asn_package_create(
                actor=actor,
                unit=data["unit"],
                contents=data["contents"],
                value=data["value"],
                client_uuid=data["client_uuid"],
            )
            if data["value"] > balance.available and getattr(package, "was_created", True):
                messages.warning(
                    request,
                    _(
                        "Nilai paket melebihi sisa uang terkumpul unit (Rp%(available)s): pastikan "
                        "selisihnya berasal dari donasi barang."
                    )
                    % {"available": thousands(balance.available)},
                )
            messages.success(request, _("Paket disiapkan: %(contents)s.") % {"contents": package.contents})
            return redirect("aid:asn_collect")
    except ValidationError as exc:
        failed = {"donation": donation_form, "pledge_for": pledge_form}.get(action, package_form)
        failed.add_error(None, _errors(exc))
    balances = selectors.asn_unit_balances(units[:50])
    return render(
        request,
        "aid/asn_collect.html",
        {
            "month": month,
            "pledges": pledges,
            "paid": sum(1 for p in pledges if p.paid),
            "donations": selectors.asn_donations_collected(actor)[:30],
            "donation_form": donation_form,
            "package_form": package_form,
            "pledge_form": pledge_form,
            "balances": balances,
            "packages": selectors.asn_packages_visible(actor).filter(unit__in=units)[:30],
        },
        status=400 if donation_form.errors or package_form.errors or pledge_form.errors else 200,
    )


@login_required
def asn_packages(request):
    """Packages to hand over (not yet aimed at anyone) and those aimed at or handed to families in the
    actor's area."""
    actor = request.user
    if not (has_permission(actor, "aid.distribute") or has_permission(actor, "aid.asn_collect")):
        raise Http404
    packages = selectors.asn_packages_visible(actor).order_by("status", "-created_at")
    page = paginate(request, packages, per_page=30)
    visible = selectors.visible_family_ids(actor, [p.family_id for p in page if p.family_id])
    return render(request, "aid/asn_packages.html", {"page": page, "visible": visible, "qs": _qs(request)})


@login_required
def asn_package_detail(request, pk: int):
    """Aim a package at a vulnerable family receiving nothing (the coverage list) and hand it over with a
    photo or a short video."""
    actor = request.user
    package = selectors.asn_package_get(actor, pk)
    can_distribute = has_permission(actor, "aid.distribute")
    family_visible = bool(package.family_id) and package.family_id in selectors.visible_family_ids(
        actor, [package.family_id]
    )
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not can_distribute:
        raise Http404
    target_form = forms.AsnTargetForm(request.POST if action == "target" else None)
    hand_form = forms.AsnHandOverForm(
        request.POST if action == "handover" else None, request.FILES if action == "handover" else None
    )
    error = ""
    try:
        if action == "target" and target_form.is_valid():
            family = selectors.family_get(actor, target_form.cleaned_data["family"])
            services.asn_package_target(actor=actor, package=package, family=family)
            if not selectors.family_is_vulnerable(family):
                messages.warning(request, _("Keluarga ini tidak tercatat rentan; utamakan keluarga rentan."))
            messages.success(request, _("Paket ditujukan kepada %(family)s.") % {"family": family})
            return redirect("aid:asn_package_detail", pk=package.pk)
        if action == "handover" and hand_form.is_valid():
            data = hand_form.cleaned_data
            now = timezone.now()
            services.asn_package_hand_over(
                actor=actor,
                package=package,
                handed_at=data["taken_at"] or now,
                evidence=_evidence_inputs(data, now),
                consent_public=data["consent_public"],
            )
            messages.success(request, _("Paket diserahkan. Terima kasih."))
            return redirect("aid:asn_package_detail", pk=package.pk)
    except ValidationError as exc:
        error = _errors(exc)
    targets = None
    year = timezone.localdate().year
    if can_distribute and package.status == AsnPackage.Status.ASSEMBLED and not package.family_id:
        targets = paginate(
            request,
            selectors.asn_target_families(actor, year=year, area=request.GET.get("wilayah", "")[:13]),
            per_page=20,
        )
    return render(
        request,
        "aid/asn_package_detail.html",
        {
            "package": package,
            "family_visible": family_visible,
            "can_distribute": can_distribute,
            "targets": targets,
            "year": year,
            "hand_form": hand_form,
            "error": error,
            "evidence": package.evidence.all(),
            "qs": _qs(request),
        },
        status=400 if (error or hand_form.errors) else 200,
    )
