"""Pages of performance plans (SKP) and evaluations: the employee's plan, the supervisor's decisions, the
unit's cascade as a tree, the ratings and the predikat distribution before finalising, the organisation
ratings entered by BKPSDM. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layan.core.scopes import has_permission, require_permission
from layan.org import selectors as org_selectors
from layan.performance import selectors_plans as selectors
from layan.performance import services
from layan.performance import services_plans as plans
from layan.performance.forms_plans import (
    BehaviourForm,
    EvaluationForm,
    FinaliseForm,
    IndicatorFormSet,
    OrgRatingForm,
    PeriodForm,
    RhkForm,
    SkpDecisionForm,
    indicator_initial,
)
from layan.performance.models import (
    BerAkhlak,
    Evaluation,
    OrgRating,
    Predikat,
    Rating,
    Skp,
)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _year(request) -> int:
    value = request.GET.get("tahun", "")
    if value.isdigit() and plans.MIN_YEAR <= int(value) <= plans.MAX_YEAR:
        return int(value)
    return timezone.localdate().year


def _is_owner(request, skp: Skp) -> bool:
    return skp.employee.user_id == request.user.pk


# --- plans ---------------------------------------------------------------------------------------------


@login_required
def my_skp(request):
    """The actor's plan for a year: opens it, or offers to start it."""
    employee = org_selectors.own_employee(request.user)
    year = _year(request)
    if request.method == "POST":
        try:
            skp = plans.skp_create(actor=request.user, year=request.POST.get("tahun", year))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("performance:my_skp")
        return redirect("performance:skp_detail", pk=skp.pk)
    skp = selectors.own_skp(employee, year)
    if skp is not None:
        return redirect("performance:skp_detail", pk=skp.pk)
    return render(
        request,
        "performance/skp_start.html",
        {"year": year, "years": selectors.own_years(employee), "employee": employee},
    )


def _problem_rows(request, skp: Skp) -> list[dict]:
    """Each problem with who can fix it and, where the viewer can act, the link or button that fixes it."""
    owner = _is_owner(request, skp)
    can_fix_record = org_selectors.can_manage_employee(request.user, skp.employee)
    rows = []
    for problem in plans.skp_problems(skp):
        row = {"problem": problem, "who": "", "contacts": [], "link": "", "link_label": "", "post": ""}
        if problem.fixer == plans.Fixer.BKPSDM:
            row["who"] = _("Admin BKPSDM")
            row["contacts"] = selectors.bkpsdm_contacts(skp.employee)
            if can_fix_record:
                row["link"] = reverse("org:employee_edit", args=[skp.employee_id])
                row["link_label"] = _("Perbaiki data atasan pegawai")
        elif problem.fixer == plans.Fixer.SUPERVISOR:
            supervisor = skp.employee.supervisor
            row["who"] = supervisor.name if supervisor else _("Atasan langsung")
        else:
            row["who"] = _("Anda") if owner else skp.employee.name
            if owner and problem.code == "supervisor_changed":
                row["post"] = reverse("performance:skp_refresh", args=[skp.pk])
                row["link_label"] = _("Perbarui atasan SKP")
            elif owner and problem.rhk_id and skp.is_editable:
                row["link"] = reverse("performance:rhk_edit", args=[problem.rhk_id])
                row["link_label"] = _("Ubah RHK")
            elif owner and problem.code == "no_rhk":
                row["link"] = reverse("performance:rhk_create", args=[skp.pk])
                row["link_label"] = _("Tambah RHK")
        rows.append(row)
    return rows


@login_required
def skp_detail(request, pk):
    skp = selectors.skp_get(actor=request.user, pk=pk)
    behaviours = selectors.behaviours_of(skp)
    return render(
        request,
        "performance/skp_detail.html",
        {
            "skp": skp,
            "rhks": selectors.rhks_of(skp),
            "behaviours": [(label, behaviours.get(value, "")) for value, label in BerAkhlak.choices],
            "problems": _problem_rows(request, skp),
            "is_owner": _is_owner(request, skp),
            "can_decide": skp.status == Skp.Status.SUBMITTED and plans.can_decide(request.user, skp),
            "decision_form": SkpDecisionForm(),
        },
    )


def _indicator_items(formset) -> list[dict]:
    return [
        {
            "aspect": f.cleaned_data["aspect"],
            "description": f.cleaned_data["description"],
            "target": f.cleaned_data["target"],
            "target_unit": f.cleaned_data["target_unit"],
        }
        for f in formset.forms
        if f.is_filled
    ]


def _rhk_page(request, skp: Skp, rhk=None):
    options = [
        (r.pk, f"{r.title} — {skp.supervisor.name if skp.supervisor else ''}")
        for r in selectors.parent_options(skp)
    ]
    if request.method == "POST":
        form = RhkForm(request.POST, parent_options=options)
        formset = IndicatorFormSet(request.POST, prefix="ind")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            arguments = {
                "actor": request.user,
                "title": data["title"],
                "parent_id": data["parent"],
                "behaviour_expectation": data["behaviour_expectation"],
                "indicators": _indicator_items(formset),
            }
            try:
                if rhk is None:
                    saved = plans.rhk_add(skp=skp, **arguments)
                else:
                    saved = plans.rhk_update(rhk=rhk, **arguments)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.message_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("RHK tersimpan."))
                return redirect(reverse("performance:skp_detail", args=[skp.pk]) + f"#rhk-{saved.pk}")
        status = 400
    else:
        initial = {}
        if rhk is not None:
            initial = {
                "title": rhk.title,
                "parent": rhk.parent_id,
                "behaviour_expectation": rhk.behaviour_expectation,
            }
        form = RhkForm(initial=initial, parent_options=options)
        formset = IndicatorFormSet(initial=indicator_initial(rhk), prefix="ind")
        status = 200
    return render(
        request,
        "performance/rhk_form.html",
        {
            "skp": skp,
            "rhk": rhk,
            "form": form,
            "formset": formset,
            "parents": selectors.parent_options(skp),
            "problems": [p for p in plans.skp_problems(skp) if not p.rhk_id],
        },
        status=status,
    )


@login_required
def rhk_create(request, pk):
    skp = selectors.skp_get(actor=request.user, pk=pk)
    if not _is_owner(request, skp):
        raise Http404
    if not skp.is_editable:
        messages.error(request, _("SKP ini tidak dapat diubah sekarang."))
        return redirect("performance:skp_detail", pk=skp.pk)
    return _rhk_page(request, skp)


@login_required
def rhk_edit(request, pk):
    rhk = selectors.rhk_get_own(actor=request.user, pk=pk)
    if not rhk.skp.is_editable:
        messages.error(request, _("SKP ini tidak dapat diubah sekarang."))
        return redirect("performance:skp_detail", pk=rhk.skp_id)
    return _rhk_page(request, rhk.skp, rhk)


@login_required
@require_POST
def rhk_delete(request, pk):
    rhk = selectors.rhk_get_own(actor=request.user, pk=pk)
    try:
        plans.rhk_delete(actor=request.user, rhk=rhk)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("RHK dihapus."))
    return redirect("performance:skp_detail", pk=rhk.skp_id)


@login_required
def skp_behaviours(request, pk):
    skp = selectors.skp_get(actor=request.user, pk=pk)
    if not _is_owner(request, skp):
        raise Http404
    if request.method == "POST":
        form = BehaviourForm(request.POST)
        if form.is_valid():
            try:
                plans.skp_behaviours_set(actor=request.user, skp=skp, expectations=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Ekspektasi perilaku tersimpan."))
                return redirect("performance:skp_detail", pk=skp.pk)
        status = 400
    else:
        form = BehaviourForm(initial=selectors.behaviours_of(skp))
        status = 200
    return render(request, "performance/skp_behaviours.html", {"skp": skp, "form": form}, status=status)


@login_required
@require_POST
def skp_action(request, pk, action):
    """Submit, refresh the supervisor, reopen for a change: the owner's buttons on the plan page."""
    skp = selectors.skp_get(actor=request.user, pk=pk)
    service = {
        "ajukan": plans.skp_submit,
        "perbarui-atasan": plans.skp_refresh_supervisor,
        "ubah": plans.skp_revise,
    }.get(action)
    if service is None or not _is_owner(request, skp):
        raise Http404
    try:
        service(actor=request.user, skp=skp)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Tersimpan."))
    return redirect("performance:skp_detail", pk=skp.pk)


@login_required
@require_POST
def skp_decide(request, pk):
    skp = selectors.skp_get(actor=request.user, pk=pk)
    form = SkpDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau kembalikan."))
        return redirect("performance:skp_detail", pk=skp.pk)
    try:
        plans.skp_decide(
            actor=request.user,
            skp=skp,
            agree=form.cleaned_data["decision"] == "agree",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Keputusan tersimpan."))
    return redirect("performance:skp_detail", pk=skp.pk)


@login_required
def team_skp(request):
    """The supervisor's team with their plans (waiting ones first); plans of the top of a chain for a
    pimpinan."""
    reviewer = has_permission(request.user, services.REVIEW)
    top = has_permission(request.user, plans.AGREE_TOP)
    if not (reviewer or top):
        raise Http404
    year = _year(request)
    return render(
        request,
        "performance/skp_team.html",
        {
            "year": year,
            "rows": selectors.team_plans(actor=request.user, year=year) if reviewer else [],
            "top_waiting": selectors.top_plans_waiting(actor=request.user, year=year) if top else [],
        },
    )


def _unit_choice(request, permission: str):
    units = selectors.units_for(actor=request.user, permission=permission)
    value = request.GET.get("unit", "")
    unit = units.filter(pk=int(value)).first() if value.isdigit() else None
    if unit is None:
        me = org_selectors.employee_of(request.user)
        unit = units.filter(pk=me.unit_id).first() if me else None
    return units, unit or units.first()


@login_required
def cascade(request):
    """The unit's cascade as a tree: the head's RHK, the RHK hanging under them, and so on down."""
    require_permission(request.user, plans.VIEW_UNIT)
    units, unit = _unit_choice(request, plans.VIEW_UNIT)
    year = _year(request)
    tree = selectors.cascade_tree(unit, year) if unit else None
    return render(
        request, "performance/cascade.html", {"units": units, "unit": unit, "year": year, "tree": tree}
    )


# --- evaluations ---------------------------------------------------------------------------------------


def _period(request):
    """(form, kind, start, end) from the query string; the current month when it is not valid."""
    form = PeriodForm.from_request(request)
    today = timezone.localdate()
    kind, year, number = Evaluation.Kind.MONTHLY, today.year, today.month
    # (the fallback when the query string is not valid: the current month)
    if form.is_valid():
        kind, year, number = (
            form.cleaned_data["jenis"],
            form.cleaned_data["tahun"],
            form.cleaned_data["ke"] or 1,
        )
    try:
        start, end = plans.evaluation_period(kind, year, number)
    except ValidationError as exc:
        form.add_error("ke", _error_text(exc))
        kind = Evaluation.Kind.MONTHLY
        start, end = plans.evaluation_period(kind, today.year, today.month)
    return form, kind, start, end


def _period_query(kind: str, start) -> str:
    return urlencode({"jenis": kind, "tahun": start.year, "ke": plans.period_number(kind, start)})


@login_required
def evaluation_team(request):
    require_permission(request.user, services.REVIEW)
    form, kind, start, end = _period(request)
    return render(
        request,
        "performance/evaluation_team.html",
        {
            "form": form,
            "kind": kind,
            "start": start,
            "end": end,
            "label": plans.period_label(kind, start),
            "query": _period_query(kind, start),
            "rows": selectors.team_evaluations(actor=request.user, kind=kind, start=start, end=end),
            "can_view_unit": has_permission(request.user, plans.VIEW_UNIT),
        },
    )


@login_required
def evaluation_form(request, employee_pk):
    employee = selectors.employee_to_evaluate(actor=request.user, pk=employee_pk)
    if not plans.can_evaluate(request.user, employee):
        raise Http404
    period_form, kind, start, end = _period(request)
    evaluation = selectors.evaluation_of(employee, kind, start)
    status = 200
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        if form.is_valid():
            try:
                plans.evaluation_record(
                    actor=request.user,
                    employee=employee,
                    kind=kind,
                    period_start=start,
                    period_end=end,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Penilaian tersimpan."))
                return redirect(reverse("performance:evaluation_team") + "?" + _period_query(kind, start))
        status = 400
    else:
        initial = {}
        if evaluation:
            initial = {
                "result_rating": evaluation.result_rating,
                "behaviour_rating": evaluation.behaviour_rating,
                "feedback": evaluation.feedback,
            }
        form = EvaluationForm(initial=initial)
    skp = selectors.own_skp(employee, start.year)
    behaviours = selectors.behaviours_of(skp) if skp else {}
    return render(
        request,
        "performance/evaluation_form.html",
        {
            "employee": employee,
            "form": form,
            "period_form": period_form,
            "kind": kind,
            "start": start,
            "end": end,
            "label": plans.period_label(kind, start),
            "query": _period_query(kind, start),
            "evaluation": evaluation,
            "skp": skp,
            "behaviours": [
                (label, behaviours[value]) for value, label in BerAkhlak.choices if value in behaviours
            ],
            "progress": selectors.rhk_progress(employee, start.year, start, end),
            "matrix": _matrix(),
        },
        status=status,
    )


def _matrix() -> list[dict]:
    """The predikat matrix (DOMAIN.md) as rows for display: results above → below, behaviour below → above."""
    columns = [Rating.BELOW, Rating.AS_EXPECTED, Rating.ABOVE]
    return [
        {
            "label": result.label,
            "cells": [Predikat(services.predikat_for(result=result, behaviour=b)).label for b in columns],
        }
        for result in (Rating.ABOVE, Rating.AS_EXPECTED, Rating.BELOW)
    ]


@login_required
def my_evaluations(request):
    employee = org_selectors.own_employee(request.user)
    return render(
        request, "performance/my_evaluations.html", {"evaluations": selectors.own_evaluations(employee)[:60]}
    )


@login_required
def evaluation_unit(request):
    """The unit's predikat for a period against the bounds of its organisation rating; finalising."""
    require_permission(request.user, plans.VIEW_UNIT)
    units, unit = _unit_choice(request, plans.VIEW_UNIT)
    period_form, kind, start, end = _period(request)
    can_finalise = (
        unit is not None
        and selectors.units_for(actor=request.user, permission=plans.FINALISE).filter(pk=unit.pk).exists()
    )
    form = FinaliseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if unit is None or not can_finalise:
            raise Http404
        if form.is_valid():
            try:
                plans.evaluation_finalise(
                    actor=request.user,
                    unit=unit,
                    kind=kind,
                    period_start=start,
                    acknowledge=form.cleaned_data["acknowledge"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
                    form.add_error("reason", exc.error_dict["reason"])
                else:
                    form.add_error(None, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("Evaluasi unit ditetapkan."))
                return redirect(
                    reverse("performance:evaluation_unit") + f"?unit={unit.pk}&" + _period_query(kind, start)
                )
        else:
            status = 400
    distribution = plans.unit_distribution(unit, kind, start, end) if unit else None
    return render(
        request,
        "performance/evaluation_unit.html",
        {
            "units": units,
            "unit": unit,
            "period_form": period_form,
            "kind": kind,
            "start": start,
            "label": plans.period_label(kind, start),
            "query": _period_query(kind, start),
            "distribution": distribution,
            "evaluations": selectors.unit_evaluations(unit, kind, start) if unit else [],
            "can_finalise": can_finalise,
            "form": form,
        },
        status=status,
    )


@login_required
def org_ratings(request):
    """BKPSDM enters each unit's organisation rating per year; the bounds it sets are shown beside."""
    require_permission(request.user, plans.RATE_ORG)
    units = selectors.units_for(actor=request.user, permission=plans.RATE_ORG)
    year = _year(request)
    form = OrgRatingForm(request.POST or None, units=units, initial={"year": year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            unit = units.filter(pk=form.cleaned_data["unit"]).first()
            try:
                plans.org_rating_set(
                    actor=request.user,
                    unit=unit,
                    year=form.cleaned_data["year"],
                    rating=form.cleaned_data["rating"],
                    basis=form.cleaned_data["basis"],
                )
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
                status = 400
            else:
                messages.success(request, _("Predikat kinerja organisasi tersimpan."))
                return redirect(reverse("performance:org_ratings") + f"?tahun={form.cleaned_data['year']}")
        else:
            status = 400
    ratings = selectors.org_ratings_visible(actor=request.user, permission=plans.RATE_ORG).filter(year=year)
    day = timezone.localdate().replace(year=year, month=12, day=31)
    rules = selectors.distribution_rules(day)
    rule_rows = [
        {"label": label, "rules": [r for r in rules if r.org_rating == value]}
        for value, label in OrgRating.choices
    ]
    return render(
        request,
        "performance/org_ratings.html",
        {"form": form, "ratings": ratings, "year": year, "rule_rows": rule_rows},
        status=status,
    )
