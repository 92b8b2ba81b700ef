"""The shared mechanisms: encrypted NIK with keyed-hash lookup, masked audit diffs, the scope filter,
and dated rules that may not overlap."""

from datetime import date

import pytest
from django.db import connection

from layan.conftest import assign, make_user
from layan.core.audit import audit_write, snapshot
from layan.core.models import AuditEvent, RoleAssignment
from layan.core.personal_data import keyed_hash
from layan.core.scopes import code_prefix_q, get_in_scope_or_404, roles_of, scoped
from layan.org.models import Employee
from layan.regions.models import Region


def test_nik_is_stored_encrypted_and_found_by_its_keyed_hash(people):
    employee = people["staff"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, nik_hash FROM org_employee WHERE id = %s", [employee.pk])
        stored, stored_hash = cursor.fetchone()
    assert "7201011001920004" not in stored
    assert stored_hash == keyed_hash("7201011001920004")
    assert Employee.objects.get(nik_hash=keyed_hash("7201 0110 0192 0004")).pk == employee.pk
    assert Employee.objects.get(pk=employee.pk).nik == "7201011001920004"


def test_audit_diff_masks_the_nik_and_is_findable_by_nik(people):
    employee = people["staff"]
    before = snapshot(employee)
    employee.nik = "7201011001920009"
    employee.name = "Budi S."
    employee.save()
    event = audit_write(
        actor=None, action="org.employee.update", instance=employee, before=before, after=snapshot(employee)
    )
    assert event.changes["nik"] == ["7201********0004", "7201********0009"]
    assert event.changes["name"] == ["Budi Santoso", "Budi S."]
    assert "nik_hash" not in event.changes
    assert AuditEvent.objects.filter(subject_hash=keyed_hash("7201011001920009")).count() == 1


def test_prefix_query_does_not_confuse_sibling_codes(regions):
    Region.objects.create(code="72.10", name="Kabupaten Lain", level=2, parent_id="72")
    codes = set(Region.objects.filter(code_prefix_q("code", "72.01")).values_list("code", flat=True))
    assert "72.10" not in codes
    assert {"72.01", "72.01.01", "72.01.02.2002"} <= codes
    assert "72" not in codes


def test_camat_sees_only_their_kecamatan_and_sibling_gets_404(people, camat, sibling, outsider):
    base = Employee.objects.all()
    assert set(scoped(base, camat, "org.view_employee")) == {people["head"], people["staff"]}
    assert set(scoped(base, sibling, "org.view_employee")) == {people["batui"]}
    assert not scoped(base, outsider, "org.view_employee").exists()
    from django.http import Http404

    with pytest.raises(Http404):
        get_in_scope_or_404(base, sibling, "org.view_employee", pk=people["staff"].pk)


def test_pegawai_sees_themself_and_atasan_their_team(people):
    staff_user, head_user = people["staff"].user, people["head"].user
    assert list(scoped(Employee.objects.all(), staff_user, "org.view_employee")) == [people["staff"]]
    assert set(scoped(Employee.objects.all(), head_user, "org.view_employee")) == {
        people["head"],
        people["staff"],
    }
    assert roles_of(head_user) == {"pegawai", "atasan"}


def test_unit_scoped_role_sees_the_unit_subtree(people, units):
    head = make_user("kepala.setda")
    assign(head, "kepala_unit", unit=units["setda"])
    assert scoped(Employee.objects.all(), head, "org.view_employee").count() == 3
    toili_head = make_user("kepala.toili")
    assign(toili_head, "kepala_unit", unit=units["kec_toili"])
    assert scoped(Employee.objects.all(), toili_head, "org.view_employee").count() == 2


def test_ended_or_future_assignments_give_no_access(people, regions):
    user = make_user("mantan.camat")
    RoleAssignment.objects.create(
        user=user,
        role="camat",
        scope_region="72.01.01",
        valid_from=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
    )
    RoleAssignment.objects.create(
        user=user, role="camat", scope_region="72.01.02", valid_from=date(2099, 1, 1)
    )
    assert not scoped(Employee.objects.all(), user, "org.view_employee").exists()


def test_permission_a_role_lacks_gives_nothing_even_in_scope(people, camat):
    assert not scoped(Employee.objects.all(), camat, "org.manage_employee").exists()
