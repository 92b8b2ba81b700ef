"""Performance plans (SKP): cascading under the supervisor's agreed RHK, submission and agreement, the
fixable problems of wrong or missing supervisor data, and the pages (own plan, team, unit cascade tree)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from layan.conftest import assign, client_for, make_employee, make_user, verified_client_for
from layan.core.models import AuditEvent
from layan.org.models import EmployeeMove
from layan.performance import services
from layan.performance import services_plans as plans
from layan.performance.models import Rhk, Skp

YEAR = 2021
QUANTITY = [{"aspect": "quantity", "description": "Dokumen selesai", "target": 120, "target_unit": "dokumen"}]


@pytest.fixture
def pimpinan(regions):
    user = make_user("bupati")
    assign(user, "pimpinan", region="72.01")
    return user


def agreed_plan(employee, title, *, parent=None, decider=None):
    """An agreed plan with one RHK (under ``parent``), through the services."""
    skp = plans.skp_create(actor=employee.user, year=YEAR)
    rhk = plans.rhk_add(
        actor=employee.user,
        skp=skp,
        title=title,
        parent_id=parent.pk if parent else None,
        indicators=QUANTITY,
    )
    plans.skp_submit(actor=employee.user, skp=skp)
    plans.skp_decide(actor=decider or employee.supervisor.user, skp=skp, agree=True)
    return rhk


@pytest.fixture
def head_rhk(people, pimpinan):
    """The head of Toili (no supervisor: top of this chain) with an agreed plan, agreed by the pimpinan."""
    return agreed_plan(people["head"], "Pelayanan administrasi prima", decider=pimpinan)


# --- cascading -----------------------------------------------------------------------------------------


def test_rhk_hangs_only_under_the_supervisors_agreed_rhk(people, pimpinan):
    head, staff = people["head"], people["staff"]
    head_skp = plans.skp_create(actor=head.user, year=YEAR)
    draft_rhk = plans.rhk_add(actor=head.user, skp=head_skp, title="Pelayanan prima", indicators=QUANTITY)
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    with pytest.raises(ValidationError, match="SKP atasan belum disetujui"):
        plans.rhk_add(actor=staff.user, skp=skp, title="Data mutakhir", parent_id=draft_rhk.pk)
    plans.skp_submit(actor=head.user, skp=head_skp)
    plans.skp_decide(actor=pimpinan, skp=head_skp, agree=True)
    rhk = plans.rhk_add(
        actor=staff.user, skp=skp, title="Data mutakhir", parent_id=draft_rhk.pk, indicators=QUANTITY
    )
    assert rhk.parent == draft_rhk and rhk.indicators.count() == 1
    # The employee's own RHK, and someone else's agreed RHK, are refused as parents.
    with pytest.raises(ValidationError, match="bukan milik atasan langsung Anda"):
        plans.rhk_add(actor=staff.user, skp=skp, title="X", parent_id=rhk.pk)
    batui = people["batui"]
    batui.user = make_user("andi.batui")
    batui.save()
    other = plans.rhk_add(
        actor=batui.user, skp=plans.skp_create(actor=batui.user, year=YEAR), title="Lain", indicators=QUANTITY
    )
    with pytest.raises(ValidationError, match="bukan milik atasan langsung Anda"):
        plans.rhk_update(actor=staff.user, rhk=rhk, title="Data mutakhir", parent_id=other.pk)
    assert Rhk.objects.get(pk=rhk.pk).parent == draft_rhk


def test_a_report_may_serve_only_the_employees_own_rhk(people, head_rhk):
    def submit(rhk):
        return services.daily_report_submit(
            actor=people["staff"].user,
            client_uuid=uuid.uuid4(),
            day=date(2021, 3, 2),
            activity="x",
            rhk_id=rhk.pk,
        )

    with pytest.raises(ValidationError, match="bukan milik SKP Anda"):
        submit(head_rhk)
    skp = plans.skp_create(actor=people["staff"].user, year=YEAR)
    own = plans.rhk_add(
        actor=people["staff"].user, skp=skp, title="Data", parent_id=head_rhk.pk, indicators=QUANTITY
    )
    assert submit(own).report.rhk == own


def test_only_the_owner_writes_a_plan(people, head_rhk, outsider):
    skp = plans.skp_create(actor=people["staff"].user, year=YEAR)
    for actor in (people["head"].user, outsider):
        with pytest.raises(Http404):
            plans.rhk_add(actor=actor, skp=skp, title="Titipan")
        with pytest.raises(Http404):
            plans.skp_submit(actor=actor, skp=skp)
    with pytest.raises(Http404):
        plans.skp_create(actor=outsider, year=YEAR)  # no employee record


def test_indicators_and_year_are_checked(people, head_rhk):
    skp = plans.skp_create(actor=people["staff"].user, year=YEAR)
    bad = [{"aspect": "quantity", "description": "Dokumen", "target": 0, "target_unit": "dokumen"}]
    with pytest.raises(ValidationError, match="Indikator 1"):
        plans.rhk_add(
            actor=people["staff"].user, skp=skp, title="Data", parent_id=head_rhk.pk, indicators=bad
        )
    assert not skp.rhks.exists()
    with pytest.raises(ValidationError, match="Tahun"):
        plans.skp_create(actor=people["staff"].user, year=1900)


# --- submission and agreement --------------------------------------------------------------------------


def test_submit_lists_what_is_missing(people, head_rhk):
    staff = people["staff"]
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    with pytest.raises(ValidationError, match="belum berisi RHK"):
        plans.skp_submit(actor=staff.user, skp=skp)
    rhk = plans.rhk_add(actor=staff.user, skp=skp, title="Data mutakhir")
    with pytest.raises(ValidationError) as refused:
        plans.skp_submit(actor=staff.user, skp=skp)
    text = " ".join(refused.value.messages)
    assert "belum dicantolkan" in text and "belum punya indikator" in text
    plans.rhk_update(
        actor=staff.user, rhk=rhk, title="Data mutakhir", parent_id=head_rhk.pk, indicators=QUANTITY
    )
    assert plans.skp_submit(actor=staff.user, skp=skp).status == Skp.Status.SUBMITTED
    with pytest.raises(ValidationError, match="sedang diperiksa"):
        plans.rhk_add(actor=staff.user, skp=skp, title="Tambahan")


def test_supervisor_agrees_or_returns_with_a_note(people, head_rhk, outsider, sibling):
    staff, head = people["staff"], people["head"]
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    rhk = plans.rhk_add(actor=staff.user, skp=skp, title="Data", parent_id=head_rhk.pk, indicators=QUANTITY)
    plans.skp_submit(actor=staff.user, skp=skp)
    for actor in (staff.user, outsider, sibling):
        with pytest.raises(Http404):
            plans.skp_decide(actor=actor, skp=skp, agree=True)
    with pytest.raises(ValidationError, match="Tulis catatan"):
        plans.skp_decide(actor=head.user, skp=skp, agree=False)
    returned = plans.skp_decide(actor=head.user, skp=skp, agree=False, note="Target terlalu rendah")
    assert returned.status == Skp.Status.RETURNED and returned.return_note == "Target terlalu rendah"
    plans.rhk_update(
        actor=staff.user,
        rhk=rhk,
        title="Data",
        parent_id=head_rhk.pk,
        indicators=[{**QUANTITY[0], "target": 200}],
    )
    plans.skp_submit(actor=staff.user, skp=skp)
    agreed = plans.skp_decide(actor=head.user, skp=skp, agree=True)
    assert agreed.status == Skp.Status.AGREED and agreed.agreed_at and agreed.return_note == ""
    actions = set(AuditEvent.objects.filter(object_id=str(skp.pk)).values_list("action", flat=True))
    assert {"performance.skp_submit", "performance.skp_return", "performance.skp_agree"} <= actions
    with pytest.raises(ValidationError, match="sudah disetujui"):
        plans.rhk_add(actor=staff.user, skp=skp, title="Tambahan")
    assert plans.skp_revise(actor=staff.user, skp=skp).status == Skp.Status.DRAFT


def test_top_of_the_chain_is_agreed_by_the_regional_head(people, pimpinan, sibling):
    head = people["head"]
    skp = plans.skp_create(actor=head.user, year=YEAR)
    plans.rhk_add(actor=head.user, skp=skp, title="Pelayanan prima", indicators=QUANTITY)
    assert [p.code for p in plans.skp_problems(skp)] == ["no_supervisor"]
    plans.skp_submit(actor=head.user, skp=skp)  # the missing supervisor warns but does not block
    with pytest.raises(Http404):
        plans.skp_decide(actor=sibling, skp=skp, agree=True)
    plans.skp_decide(actor=pimpinan, skp=skp, agree=True)
    assert plans.skp_problems(Skp.objects.get(pk=skp.pk)) == []


def test_behaviour_expectations(people, head_rhk):
    staff = people["staff"]
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    plans.skp_behaviours_set(
        actor=staff.user,
        skp=skp,
        expectations={"pelayanan": "Menjawab permintaan OPD hari itu juga", "loyal": ""},
    )
    assert list(skp.behaviours.values_list("value", "expectation")) == [
        ("pelayanan", "Menjawab permintaan OPD hari itu juga")
    ]
    with pytest.raises(ValidationError, match="tidak dikenal"):
        plans.skp_behaviours_set(actor=staff.user, skp=skp, expectations={"jujur": "x"})


def test_rhk_in_use_cannot_be_deleted(people, head_rhk):
    staff, head = people["staff"], people["head"]
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    rhk = plans.rhk_add(actor=staff.user, skp=skp, title="Data", parent_id=head_rhk.pk, indicators=QUANTITY)
    head_skp = head_rhk.skp
    plans.skp_revise(actor=head.user, skp=head_skp)
    with pytest.raises(ValidationError, match="cantolan 1 RHK bawahan"):
        plans.rhk_delete(actor=head.user, rhk=head_rhk)
    services.daily_report_submit(
        actor=staff.user, client_uuid=uuid.uuid4(), day=date(2021, 3, 2), activity="x", rhk_id=rhk.pk
    )
    with pytest.raises(ValidationError, match="laporan harian"):
        plans.rhk_delete(actor=staff.user, rhk=rhk)
    spare = plans.rhk_add(actor=staff.user, skp=skp, title="Cadangan")
    plans.rhk_delete(actor=staff.user, rhk=spare)
    assert not Rhk.objects.filter(pk=spare.pk).exists()


# --- problems of wrong or missing supervisor data ------------------------------------------------------


def codes(skp):
    return [
        p.code for p in plans.skp_problems(Skp.objects.select_related("employee__supervisor").get(pk=skp.pk))
    ]


def test_missing_supervisor_is_a_problem_for_bkpsdm(people):
    staff = people["staff"]
    staff.supervisor = None
    staff.save()
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    problems = plans.skp_problems(skp)
    assert problems[0].code == "no_supervisor" and problems[0].fixer == plans.Fixer.BKPSDM
    assert "Atasan langsung belum tercatat" in problems[0].message


def test_supervisor_without_a_plan_is_a_problem_for_the_supervisor(people):
    skp = plans.skp_create(actor=people["staff"].user, year=YEAR)
    problem = plans.skp_problems(skp)[0]
    assert problem.code == "supervisor_no_skp" and problem.fixer == plans.Fixer.SUPERVISOR
    assert "Siti Rahma" in problem.message
    plans.skp_create(actor=people["head"].user, year=YEAR)
    assert "supervisor_skp_not_agreed" in codes(skp)


def test_supervisor_who_moved_away_is_a_problem(people, units, head_rhk):
    skp = plans.skp_create(actor=people["staff"].user, year=YEAR)
    head = people["head"]
    EmployeeMove.objects.create(
        employee=head,
        effective_date=date(YEAR, 6, 1),
        from_unit=units["kec_toili"],
        to_unit=units["kec_batui"],
    )
    head.unit = units["kec_batui"]
    head.save()
    assert "supervisor_moved" in codes(skp)
    head.employment_end = date(YEAR, 7, 1)
    head.save()
    assert "supervisor_inactive" in codes(skp)


def test_changed_supervisor_is_fixed_by_the_employee(people, units, position, head_rhk):
    staff = people["staff"]
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    plans.rhk_add(actor=staff.user, skp=skp, title="Data", parent_id=head_rhk.pk, indicators=QUANTITY)
    plans.skp_submit(actor=staff.user, skp=skp)
    plans.skp_decide(actor=people["head"].user, skp=skp, agree=True)
    new_head = make_employee(
        units["kec_toili"], "Rahmat Hidayat", "198501012010011009", position=position,
        user=make_user("kasi.baru"), nik="7201010101850009",
    )  # fmt: skip
    staff.supervisor = new_head
    staff.save()
    assert "supervisor_changed" in codes(skp)
    refreshed = plans.skp_refresh_supervisor(actor=staff.user, skp=skp)
    assert refreshed.supervisor == new_head and refreshed.status == Skp.Status.DRAFT
    # The RHK still hangs under the former supervisor's RHK: to be re-cascaded, and the new one has no plan.
    assert {"supervisor_no_skp", "rhk_parent_outdated"} <= set(codes(skp))


# --- pages ---------------------------------------------------------------------------------------------


def rhk_post(title, parent="", rows=(("quantity", "Dokumen selesai", "120", "dokumen"),)):
    data = {
        "title": title,
        "parent": parent,
        "behaviour_expectation": "",
        "ind-TOTAL_FORMS": str(len(rows) + 1),
    }
    data.update({"ind-INITIAL_FORMS": "0", "ind-MIN_NUM_FORMS": "0", "ind-MAX_NUM_FORMS": "12"})
    for index, (aspect, description, target, unit) in enumerate([*rows, ("time", "", "", "")]):
        data.update(
            {
                f"ind-{index}-aspect": aspect,
                f"ind-{index}-description": description,
                f"ind-{index}-target": target,
                f"ind-{index}-target_unit": unit,
            }
        )
    return data


def test_employee_drafts_and_submits_and_the_supervisor_agrees_on_the_pages(people, head_rhk):
    staff, head = client_for(people["staff"].user), client_for(people["head"].user)
    start = staff.get(reverse("performance:my_skp") + "?tahun=2021")
    assert start.status_code == 200 and "Susun SKP 2021" in start.content.decode()
    created = staff.post(reverse("performance:my_skp"), {"tahun": "2021"})
    skp = Skp.objects.get(employee=people["staff"])
    assert created.url == reverse("performance:skp_detail", args=[skp.pk])
    assert "SKP belum berisi RHK" in staff.get(created.url).content.decode()
    form = staff.get(reverse("performance:rhk_create", args=[skp.pk]))
    assert form.status_code == 200 and "Pelayanan administrasi prima" in form.content.decode()
    half = rhk_post("Data kependudukan mutakhir", head_rhk.pk, rows=[("quantity", "Dokumen", "", "")])
    assert staff.post(reverse("performance:rhk_create", args=[skp.pk]), half).status_code == 400
    saved = staff.post(
        reverse("performance:rhk_create", args=[skp.pk]), rhk_post("Data mutakhir", head_rhk.pk)
    )
    assert saved.status_code == 302
    rhk = skp.rhks.get()
    assert rhk.parent == head_rhk and rhk.indicators.get().target == 120
    staff.post(
        reverse("performance:skp_behaviours", args=[skp.pk]),
        {"pelayanan": "Menjawab permintaan hari itu juga"},
    )
    staff.post(reverse("performance:skp_action", args=[skp.pk, "ajukan"]))
    page = head.get(reverse("performance:skp_detail", args=[skp.pk])).content.decode()
    assert "Setujui SKP" in page and "Menjawab permintaan hari itu juga" in page
    assert "Budi Santoso" in head.get(reverse("performance:team_skp") + "?tahun=2021").content.decode()
    head.post(reverse("performance:skp_decide", args=[skp.pk]), {"decision": "return", "note": ""})
    assert Skp.objects.get(pk=skp.pk).status == Skp.Status.SUBMITTED  # a return needs a note
    head.post(reverse("performance:skp_decide", args=[skp.pk]), {"decision": "agree"})
    assert Skp.objects.get(pk=skp.pk).status == Skp.Status.AGREED


def test_parent_must_be_one_of_the_listed_rhk(people, head_rhk):
    staff = client_for(people["staff"].user)
    skp = plans.skp_create(actor=people["staff"].user, year=YEAR)
    own = plans.rhk_add(actor=people["staff"].user, skp=skp, title="Milik sendiri")
    response = staff.post(reverse("performance:rhk_create", args=[skp.pk]), rhk_post("X", own.pk))
    assert response.status_code == 400 and skp.rhks.count() == 1


def test_problem_says_who_fixes_it_and_links_bkpsdm_to_the_record(people, bkpsdm):
    staff = people["staff"]
    staff.supervisor = None
    staff.save()
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    url = reverse("performance:skp_detail", args=[skp.pk])
    edit = reverse("org:employee_edit", args=[staff.pk])
    own = client_for(staff.user).get(url).content.decode()
    assert "Atasan langsung belum tercatat" in own and "Admin BKPSDM" in own and "Admin.Bkpsdm" in own
    assert edit not in own
    admin_page = verified_client_for(bkpsdm).get(url)
    assert admin_page.status_code == 200 and edit in admin_page.content.decode()


def test_changed_supervisor_offers_the_refresh_button(people, units, position):
    staff = people["staff"]
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    staff.supervisor = make_employee(
        units["kec_toili"], "Rahmat Hidayat", "198501012010011009", position=position, nik="7201010101850009"
    )
    staff.save()
    client = client_for(staff.user)
    refresh = reverse("performance:skp_refresh", args=[skp.pk])
    assert refresh in client.get(reverse("performance:skp_detail", args=[skp.pk])).content.decode()
    client.post(refresh)
    assert Skp.objects.get(pk=skp.pk).supervisor == staff.supervisor


def test_plan_pages_are_404_outside_scope(people, head_rhk, camat, sibling, outsider, bkpsdm):
    staff = people["staff"]
    skp = plans.skp_create(actor=staff.user, year=YEAR)
    rhk = plans.rhk_add(actor=staff.user, skp=skp, title="Data", parent_id=head_rhk.pk, indicators=QUANTITY)
    url = reverse("performance:skp_detail", args=[skp.pk])
    assert client_for(people["head"].user).get(url).status_code == 200
    assert verified_client_for(bkpsdm).get(url).status_code == 200
    batui = people["batui"]
    batui.user = make_user("andi.batui")
    batui.save()
    for user in (camat, sibling, outsider, batui.user):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("performance:rhk_edit", args=[rhk.pk])).status_code == 404
        assert (
            client.post(reverse("performance:skp_decide", args=[skp.pk]), {"decision": "agree"}).status_code
            == 404
        )
    # The supervisor reads the plan but does not edit it.
    assert (
        client_for(people["head"].user).get(reverse("performance:rhk_edit", args=[rhk.pk])).status_code == 404
    )
    assert (
        client_for(people["head"].user).get(reverse("performance:rhk_create", args=[skp.pk])).status_code
        == 404
    )


def test_unit_cascade_tree(people, units, head_rhk, sibling, outsider):
    staff = people["staff"]
    agreed_plan(staff, "Data kependudukan mutakhir", parent=head_rhk)
    plans.skp_revise(actor=staff.user, skp=staff.skps.get())
    plans.rhk_add(actor=staff.user, skp=staff.skps.get(), title="Arsip tertata", indicators=QUANTITY)
    head_of_unit = make_user("kepala.toili")
    assign(head_of_unit, "kepala_unit", unit=units["kec_toili"])
    url = reverse("performance:cascade") + f"?unit={units['kec_toili'].pk}&tahun={YEAR}"
    page = client_for(head_of_unit).get(url).content.decode()
    head_at = page.index("Pelayanan administrasi prima")
    # The staff RHK is nested inside the head's branch (<details>), the one without a parent is flagged.
    assert head_at < page.index("Data kependudukan mutakhir") < page.index("</details>", head_at)
    assert "Belum dicantolkan pada RHK atasan." in page and "Arsip tertata" in page
    for user in (staff.user, sibling, outsider):
        assert client_for(user).get(url).status_code == 404
