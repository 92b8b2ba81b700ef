"""Pages of complaints: the citizen's side (guided form, tracking by code, public list/map/statistics) and the
officers' side (inbox, case page with its actions, overdue view, messages, categories, leaders' view)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from layan.complaints import selectors, services, sla
from layan.complaints.forms import (
    AssignForm,
    CaseForm,
    CategoryForm,
    CitizenReplyForm,
    ConvertForm,
    DuplicateForm,
    FollowForm,
    PeriodForm,
    RatingForm,
    RejectForm,
    ReopenForm,
    ReplyForm,
    ResponseTemplateForm,
    RouteForm,
    TextForm,
    TrackForm,
    VerifyForm,
)
from layan.complaints.models import (
    Attachment,
    Case,
    Category,
    Channel,
    Clock,
    InboundMessage,
    Kind,
    ResponseTemplate,
    State,
)
from layan.core.exports import download
from layan.core.listing import paginate, querystring_without
from layan.core.scopes import get_in_scope_or_404, require_permission

HANDLE, VERIFY, MANAGE, STATS = (
    "complaints.handle",
    "complaints.verify",
    "complaints.manage",
    "complaints.view_stats",
)


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _too_many(request, message: str) -> HttpResponse:
    return render(
        request,
        "error.html",
        {"status": 429, "title": _("Terlalu banyak permintaan"), "message": message},
        status=429,
    )


# --- citizen side -----------------------------------------------------------------------------------------


def submit_case(request):
    """The public guided form (no account)."""
    form = CaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_submit(
                actor=None,
                kind=data["kind"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                region_code=data["region_code"],
                location_detail=data["location_detail"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                occurred_on=data["occurred_on"],
                reporter_name=data["reporter_name"],
                reporter_email=data["reporter_email"],
                reporter_phone=data["reporter_phone"],
                is_anonymous=data["is_anonymous"],
                is_confidential=data["is_confidential"],
                attachments=data["attachments"],
                client_key=data["client_key"],
                channel=Channel.WEB,
                ip=_ip(request),
            )
        except services.RateLimited as exc:
            return _too_many(request, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            request.session["complaints_new_code"] = case.code
            return redirect("complaints:track_case", code=case.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "complaints/submit.html",
        {"form": form, "tile_url": settings.LAYAN_MAP_TILE_URL, "kinds": Kind},
        status=status,
    )


@require_GET
def similar_cases(request):
    """htmx: open public cases like the one being written ("ikuti saja" instead of filing again)."""
    category = (
        Category.objects.filter(pk=request.GET.get("category") or 0).first()
        if (request.GET.get("category") or "").isdigit()
        else None
    )
    cases = selectors.similar_open_cases(
        category=category,
        region_code=request.GET.get("region_code", ""),
        text=request.GET.get("description", ""),
    )
    return render(request, "complaints/_similar.html", {"cases": cases, "follow_form": FollowForm()})


@require_POST
def follow_case(request, code):
    case = selectors.case_by_code(code)
    form = FollowForm(request.POST)
    if form.is_valid():
        try:
            services.case_follow(
                case=case, email=form.cleaned_data["email"], phone=form.cleaned_data["phone"], ip=_ip(request)
            )
            messages.success(
                request, _("Anda akan menerima kabar perkembangan laporan %(code)s.") % {"code": case.code}
            )
        except services.RateLimited as exc:
            return _too_many(request, exc.message)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _("Alamat surel tidak sah."))
    return redirect("complaints:submit")


def _check_lookup_rate(request) -> None:
    services.check_rate(
        "track",
        _ip(request),
        limit=getattr(settings, "LAYAN_COMPLAINTS_LOOKUPS_PER_10_MIN", 30),
        window_seconds=600,
    )


def track(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        return redirect("complaints:track_case", code=form.cleaned_data["code"].strip().upper())
    return render(request, "complaints/track_form.html", {"form": form})


def track_case(request, code):
    """The citizen's page: status, expected date, public replies; reply, reopen, close, rate (rate limited,
    and the same "not found" for a wrong code as for a malformed one)."""
    try:
        if request.method == "GET":
            _check_lookup_rate(request)
    except services.RateLimited as exc:
        return _too_many(request, exc.message)
    case = selectors.case_by_code(code)
    new_code = request.session.pop("complaints_new_code", None) == case.code
    context = {
        "case": case,
        "new_code": new_code,
        "events": selectors.timeline(case, public_only=True),
        "expected": case.due_at if case.clock != Clock.AUTO_CLOSE else None,
        "reply_form": CitizenReplyForm(),
        "reopen_form": ReopenForm(),
        "rating_form": RatingForm(),
        "can_reply": case.state
        in {State.BARU, State.DIVERIFIKASI, State.DIDISPOSISIKAN, State.DIPROSES, State.MENUNGGU_PELAPOR},
        "can_reopen": case.state in {State.SELESAI, State.DITUTUP},
        "can_rate": case.state in {State.SELESAI, State.DITUTUP},
    }
    response = render(request, "complaints/track.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def track_action(request, code, action):
    case = selectors.case_by_code(code)
    try:
        if action == "balas":
            form = CitizenReplyForm(request.POST, request.FILES)
            if form.is_valid():
                services.case_citizen_reply(
                    case=case,
                    body=form.cleaned_data["body"],
                    attachments=form.cleaned_data["attachments"],
                    ip=_ip(request),
                )
                messages.success(request, _("Balasan Anda terkirim ke petugas."))
            else:
                messages.error(request, _("Tulis balasan Anda terlebih dahulu."))
        elif action == "buka-kembali":
            form = ReopenForm(request.POST)
            if form.is_valid():
                services.case_reopen(
                    actor=None, case=case, reason=form.cleaned_data["reason"], ip=_ip(request)
                )
                messages.success(request, _("Laporan dibuka kembali dan diteruskan ke petugas."))
            else:
                messages.error(request, _("Tuliskan mengapa masalahnya belum selesai."))
        elif action == "tutup":
            services.case_close(actor=None, case=case, by_citizen=True)
            messages.success(request, _("Terima kasih. Laporan ditutup."))
        elif action == "nilai":
            form = RatingForm(request.POST)
            if form.is_valid():
                services.case_rate(
                    case=case,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    ip=_ip(request),
                )
                messages.success(request, _("Terima kasih atas penilaian Anda."))
            else:
                messages.error(request, _("Pilih nilai 1 sampai 5."))
        else:
            raise Http404
    except services.RateLimited as exc:
        return _too_many(request, exc.message)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("complaints:track_case", code=case.code)


def public_list(request):
    qs = selectors.public_cases()
    if request.GET.get("category"):
        qs = qs.filter(category__code=request.GET["category"])
    if request.GET.get("state"):
        qs = qs.filter(state=request.GET["state"])
    if request.GET.get("export") in {"csv", "xlsx"}:
        names = selectors.public_region_names(qs.values_list("region_code", flat=True)[:50000])
        rows = (
            (
                c.code,
                c.received_at,
                c.get_kind_display(),
                c.category.name if c.category else "",
                names.get(c.region_code, c.region_code),
                c.get_state_display(),
                c.verified_at,
                c.first_answer_at,
                c.resolved_at,
            )
            for c in qs[:50000]
        )
        return download(
            "laporan-publik",
            [
                _("Kode"),
                _("Diterima"),
                _("Jenis"),
                _("Kategori"),
                _("Desa/kelurahan"),
                _("Status"),
                _("Diverifikasi"),
                _("Ditanggapi"),
                _("Diselesaikan"),
            ],
            rows,
            request.GET["export"],
        )
    page = paginate(request, qs, per_page=20)
    names = selectors.public_region_names(c.region_code for c in page.object_list)
    return render(
        request,
        "complaints/public_list.html",
        {
            "page": page,
            "names": names,
            "qs": querystring_without(request, "page", "export"),
            "categories": selectors.categories(),
            "states": selectors.PUBLIC_STATES,
            "tile_url": settings.LAYAN_MAP_TILE_URL,
            "state_labels": dict(State.choices),
        },
    )


@require_GET
def public_map_data(request):
    """GeoJSON of public cases with a pin (never the reporter, never a confidential case)."""
    qs = selectors.public_cases().filter(latitude__isnull=False).order_by("-received_at")[:2000]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(c.longitude), float(c.latitude)]},
            "properties": {
                "code": c.code,
                "title": c.title,
                "state": c.get_state_display(),
                "category": c.category.name if c.category else "",
            },
        }
        for c in qs
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def public_statistics(request):
    since = timezone.now() - timedelta(days=365)
    stats = selectors.unit_statistics(selectors.public_cases().filter(received_at__gte=since))
    return render(
        request,
        "complaints/public_stats.html",
        {"stats": stats, "minimum": getattr(settings, "LAYAN_COMPLAINTS_MIN_RANK_VOLUME", 10)},
    )


# --- officers ---------------------------------------------------------------------------------------------


def _case_rows(qs):
    for c in qs.iterator(chunk_size=2000):
        yield (
            c.code,
            c.received_at,
            c.get_kind_display(),
            c.get_channel_display(),
            c.category.name if c.category else "",
            c.get_state_display(),
            str(c.assigned_unit or ""),
            str(c.assigned_officer or ""),
            c.due_at,
            c.first_answer_at,
            c.resolved_at,
            c.rating,
        )


EXPORT_HEADERS = [
    "Kode",
    "Diterima",
    "Jenis",
    "Saluran",
    "Kategori",
    "Status",
    "Unit",
    "Petugas",
    "Jatuh tempo",
    "Tanggapan pertama",
    "Diselesaikan",
    "Kepuasan",
]


@login_required
def inbox(request):
    qs = selectors.filter_cases(selectors.cases_for(request.user), request.GET)
    if request.GET.get("export") in {"csv", "xlsx"}:
        return download("laporan", [_(h) for h in EXPORT_HEADERS], _case_rows(qs), request.GET["export"])
    page = paginate(request, qs, per_page=25)
    return render(
        request,
        "complaints/inbox.html",
        {
            "page": page,
            "qs": querystring_without(request, "page", "export"),
            "title": _("Kotak masuk pengaduan"),
            "categories": selectors.categories(),
            "states": State.choices,
            "kinds": Kind.choices,
            "channels": Channel.choices,
            "params": request.GET,
            "now": timezone.now(),
        },
    )


@login_required
def overdue(request):
    qs = selectors.overdue(selectors.cases_for(request.user))
    if request.GET.get("export") in {"csv", "xlsx"}:
        return download(
            "laporan-terlambat", [_(h) for h in EXPORT_HEADERS], _case_rows(qs), request.GET["export"]
        )
    page = paginate(request, qs, per_page=25)
    return render(
        request,
        "complaints/inbox.html",
        {
            "page": page,
            "qs": querystring_without(request, "page", "export"),
            "title": _("Laporan terlambat"),
            "overdue_view": True,
            "now": timezone.now(),
            "params": request.GET,
        },
    )


def _clocks(case: Case) -> list[dict]:
    rows = []
    for label, due, clock in (
        (_("Verifikasi & disposisi"), case.verify_due, Clock.VERIFY),
        (_("Tanggapan unit"), case.answer_due, Clock.ANSWER),
        (_("Penyelesaian"), case.resolve_due, Clock.RESOLVE),
        (_("Tutup otomatis"), case.close_due, Clock.AUTO_CLOSE),
    ):
        if due is None:
            continue
        rows.append(
            {
                "label": label,
                "due": due,
                "running": case.clock == clock
                and case.is_open
                or (clock == Clock.AUTO_CLOSE and case.state == State.SELESAI),
                "left": sla.working_days_left(due, case.region_code),
            }
        )
    return rows


@login_required
def case_detail(request, code):
    case = selectors.case_for(request.user, code)
    can_verify = selectors.can(request.user, case, VERIFY)
    assign_form = AssignForm()
    assign_form.fields["officer"].choices = (
        [(u.pk, str(u)) for u in services.eligible_officers(case)]
        if case.state in {State.DIDISPOSISIKAN, State.DIPROSES}
        else []
    )
    verify_form = VerifyForm(
        initial={"category": case.category_id or case.suggested_category_id, "kind": case.kind}
    )
    route_form = RouteForm(initial={"unit": case.category.unit_id if case.category else None})
    templates = selectors.response_templates_for(case)
    # Without JavaScript a template link reloads the page with ?templat=<id> and pre-fills its form.
    prefill = {}
    chosen = request.GET.get("templat", "")
    for action, offers in templates.items():
        for offer in offers:
            if str(offer["pk"]) == chosen:
                prefill[action] = offer["text"]
    return render(
        request,
        "complaints/case_detail.html",
        {
            "case": case,
            "events": selectors.timeline(case, public_only=False),
            "clocks": _clocks(case),
            "can_verify": can_verify,
            "attachments": case.attachments.all(),
            "verify_form": verify_form,
            "route_form": route_form,
            "assign_form": assign_form,
            "reply_form": ReplyForm(initial={"body": prefill.get("reply", "")}),
            "reject_form": RejectForm(initial={"reason": prefill.get("reject", "")}),
            "duplicate_form": DuplicateForm(),
            "info_form": TextForm(initial={"text": prefill.get("request_info", "")}),
            "resolve_form": TextForm(initial={"text": prefill.get("resolve", "")}),
            "templates": templates,
            "similar": selectors.similar_open_cases(
                category=case.category,
                region_code=case.region_code,
                text=case.description,
                latitude=case.latitude,
                longitude=case.longitude,
                exclude_pk=case.pk,
            )
            if can_verify and case.is_open
            else [],
            "region_name": selectors.public_region_names([case.region_code]).get(
                case.region_code, case.region_code
            ),
        },
    )


@login_required
@require_POST
def case_action(request, code, action):
    case = selectors.case_for(request.user, code)
    user = request.user
    handlers = {
        "verifikasi": (
            VerifyForm,
            lambda d: services.case_verify(
                actor=user, case=case, category=d["category"], kind=d["kind"], note=d["note"]
            ),
        ),
        "disposisi": (
            RouteForm,
            lambda d: services.case_route(actor=user, case=case, unit=d["unit"], note=d["note"]),
        ),
        "tugaskan": (None, None),
        "tanggapi": (
            ReplyForm,
            lambda d: services.case_reply(
                actor=user, case=case, body=d["body"], public=d["public"], attachments=d["attachments"]
            ),
        ),
        "minta-keterangan": (
            TextForm,
            lambda d: services.case_request_info(actor=user, case=case, question=d["text"]),
        ),
        "selesaikan": (TextForm, lambda d: services.case_resolve(actor=user, case=case, answer=d["text"])),
        "tutup": (None, lambda d: services.case_close(actor=user, case=case)),
        "buka-kembali": (TextForm, lambda d: services.case_reopen(actor=user, case=case, reason=d["text"])),
        "tolak": (
            RejectForm,
            lambda d: services.case_reject(
                actor=user,
                case=case,
                reason=d["reason"],
                not_authority=d["not_authority"],
                redirect_to=d["redirect_to"],
            ),
        ),
        "duplikat": (
            DuplicateForm,
            lambda d: services.case_mark_duplicate(
                actor=user,
                case=case,
                original=selectors.case_for(user, d["original"].strip().upper(), VERIFY),
            ),
        ),
    }
    if action not in handlers:
        raise Http404
    form_class, handler = handlers[action]
    if action == "tugaskan":
        form = AssignForm(request.POST)
        form.fields["officer"].choices = [(u.pk, str(u)) for u in services.eligible_officers(case)]

        def handler(d):
            from layan.core.models import User

            return services.case_assign(actor=user, case=case, officer=User.objects.get(pk=d["officer"]))
    else:
        form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(
            request,
            _("Isian belum lengkap: %(errors)s")
            % {
                "errors": "; ".join(
                    f"{form.fields[f].label or f}: {' '.join(e)}" if f in form.fields else " ".join(e)
                    for f, e in form.errors.items()
                )
            },
        )
        return redirect("complaints:case_detail", code=case.code)
    try:
        handler(form.cleaned_data if form is not None else {})
        messages.success(request, _("Tersimpan."))
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("complaints:case_detail", code=case.code)


@login_required
def attachment_file(request, pk):
    attachment = get_in_scope_or_404(Attachment.objects.select_related("case"), request.user, HANDLE, pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = (
        "inline" if attachment.content_type.startswith("image/") else "attachment"
    )
    return response


@login_required
def operator_submit(request):
    """Phone and walk-in reports entered by an operator on the citizen's behalf."""
    require_permission(request.user, VERIFY)
    form = CaseForm(request.POST or None, request.FILES or None, operator=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_submit(
                actor=request.user,
                kind=data["kind"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                region_code=data["region_code"],
                location_detail=data["location_detail"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                occurred_on=data["occurred_on"],
                reporter_name=data["reporter_name"],
                reporter_email=data["reporter_email"],
                reporter_phone=data["reporter_phone"],
                is_anonymous=data["is_anonymous"],
                is_confidential=data["is_confidential"],
                attachments=data["attachments"],
                client_key=data["client_key"],
                channel=data["channel"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Laporan %(code)s tercatat. Sampaikan kode ini kepada pelapor.") % {"code": case.code},
            )
            return redirect("complaints:case_detail", code=case.code)
    return render(
        request,
        "complaints/submit.html",
        {"form": form, "operator": True, "tile_url": settings.LAYAN_MAP_TILE_URL},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def message_list(request):
    qs = selectors.inbox_messages(request.user, request.GET)
    page = paginate(request, qs, per_page=25)
    return render(
        request,
        "complaints/message_list.html",
        {
            "page": page,
            "qs": querystring_without(request, "page"),
            "statuses": InboundMessage.Status.choices,
            "channels": Channel.choices,
            "params": request.GET,
        },
    )


@login_required
def message_detail(request, pk):
    message = selectors.message_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "convert":
                form = ConvertForm(request.POST)
                if form.is_valid():
                    d = form.cleaned_data
                    case = services.message_convert(
                        actor=request.user,
                        message=message,
                        kind=d["kind"],
                        category=d["category"],
                        title=d["title"],
                        region_code=d["region_code"],
                    )
                    messages.success(request, _("Laporan %(code)s dibuat.") % {"code": case.code})
                    return redirect("complaints:case_detail", code=case.code)
                messages.error(request, _("Isian belum lengkap."))
            elif action == "merge":
                target = selectors.case_for(
                    request.user, request.POST.get("code", "").strip().upper(), VERIFY
                )
                services.message_merge(actor=request.user, message=message, case=target)
                messages.success(request, _("Pesan digabung ke laporan %(code)s.") % {"code": target.code})
            elif action == "answer":
                services.message_answer(
                    actor=request.user, message=message, answer=request.POST.get("answer", "")
                )
                messages.success(request, _("Jawaban terkirim."))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect("complaints:message_detail", pk=message.pk)
    return render(
        request, "complaints/message_detail.html", {"message": message, "convert_form": ConvertForm()}
    )


@login_required
def category_list(request):
    require_permission(request.user, MANAGE)
    return render(
        request, "complaints/category_list.html", {"categories": selectors.categories(active_only=False)}
    )


@login_required
def category_edit(request, pk):
    require_permission(request.user, MANAGE)
    category = get_object_or_404(Category, pk=pk)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.category_update(
                actor=request.user,
                category=Category.objects.get(pk=pk),
                name=d["name"],
                unit=d["unit"],
                is_active=d["is_active"],
                description=d["description"],
            )
            messages.success(request, _("Kategori tersimpan."))
            return redirect("complaints:category_list")
        except ValidationError as exc:
            _form_errors(form, exc)
    return render(request, "complaints/category_edit.html", {"form": form, "category": category})


@login_required
def template_list(request):
    require_permission(request.user, MANAGE)
    return render(
        request,
        "complaints/template_list.html",
        {"templates": ResponseTemplate.objects.all(), "state_labels": dict(State.choices)},
    )


@login_required
def template_edit(request, pk=None):
    require_permission(request.user, MANAGE)
    template = get_object_or_404(ResponseTemplate, pk=pk) if pk else None
    form = ResponseTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.response_template_save(
                actor=request.user,
                template=ResponseTemplate.objects.get(pk=pk) if pk else None,
                name=d["name"],
                state=d["state"],
                action=d["action"],
                body=d["body"],
                is_active=d["is_active"],
                sort_order=d["sort_order"],
            )
            messages.success(request, _("Templat tersimpan."))
            return redirect("complaints:template_list")
        except ValidationError as exc:
            _form_errors(form, exc)
    return render(
        request,
        "complaints/template_edit.html",
        {"form": form, "template": template},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def leaders(request):
    require_permission(request.user, STATS)
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end, kecamatan = today - timedelta(days=90), today, ""
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        kecamatan = form.cleaned_data["kecamatan"] or ""
    if end < start:
        start, end = end, start
    summary = selectors.leaders_summary(request.user, start=start, end=end, kecamatan=kecamatan)
    if request.GET.get("export") == "xlsx":
        rows = [
            (
                u.unit_name,
                u.volume,
                u.answered,
                u.on_time_share,
                u.median_answer_days,
                u.satisfaction,
                _("ya") if u.ranked else _("belum"),
            )
            for u in summary["units"]
        ]
        return download(
            "pimpinan-pengaduan",
            [
                _("Unit"),
                _("Jumlah"),
                _("Ditanggapi"),
                _("Tepat waktu"),
                _("Median hari kerja ke tanggapan"),
                _("Kepuasan"),
                _("Diperingkat"),
            ],
            rows,
            "xlsx",
        )
    channel_labels = dict(Channel.choices)
    return render(
        request,
        "complaints/leaders.html",
        {
            "form": form,
            "summary": summary,
            "start": start,
            "end": end,
            "channel_labels": channel_labels,
            "qs": querystring_without(request, "export"),
            "export_url": reverse("complaints:leaders"),
        },
    )
