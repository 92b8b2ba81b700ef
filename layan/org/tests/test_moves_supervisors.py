"""Moves never rewrite the past and answer "which unit on that day"; supervisors never form a loop."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from layan.org import selectors, services
from layan.org.models import EmployeeMove, Unit


@pytest.fixture
def puskesmas(bkpsdm, units):
    return services.unit_create(
        actor=bkpsdm,
        code="PKM-TOILI",
        name="Puskesmas Toili",
        kind=Unit.Kind.PUSKESMAS,
        region="72.01.01",
        parent=units["kec_toili"],
    )


def test_moves_append_history_and_unit_on_answers_by_date(bkpsdm, people, units, puskesmas):
    staff = people["staff"]  # TMT 01-03-2015 in Kecamatan Toili
    first = services.employee_move(
        actor=bkpsdm,
        employee=staff,
        to_unit=units["kec_batui"],
        effective_date=date(2020, 1, 2),
        decree_number="SK-1/2020",
    )
    first_row = EmployeeMove.objects.values().get(pk=first.pk)
    services.employee_move(actor=bkpsdm, employee=staff, to_unit=puskesmas, effective_date=date(2022, 7, 1))
    assert EmployeeMove.objects.values().get(pk=first.pk) == first_row  # the older move is untouched
    staff.refresh_from_db()
    assert staff.unit == puskesmas
    assert selectors.unit_on(staff, date(2015, 3, 1)) == units["kec_toili"]
    assert selectors.unit_on(staff, date(2020, 1, 1)) == units["kec_toili"]
    assert selectors.unit_on(staff, date(2020, 1, 2)) == units["kec_batui"]
    assert selectors.unit_on(staff, date(2022, 6, 30)) == units["kec_batui"]
    assert selectors.unit_on(staff, date(2023, 1, 1)) == puskesmas
    assert selectors.unit_on(staff, date(2014, 12, 31)) is None  # before the TMT


def test_a_backdated_or_future_move_is_refused(bkpsdm, people, units, puskesmas):
    staff = people["staff"]
    services.employee_move(actor=bkpsdm, employee=staff, to_unit=puskesmas, effective_date=date(2022, 7, 1))
    with pytest.raises(ValidationError) as info:
        services.employee_move(
            actor=bkpsdm, employee=staff, to_unit=units["kec_batui"], effective_date=date(2021, 1, 1)
        )
    assert "riwayat tidak ditulis ulang" in info.value.message_dict["effective_date"][0]
    with pytest.raises(ValidationError) as info:
        services.employee_move(
            actor=bkpsdm, employee=staff, to_unit=units["kec_batui"], effective_date=date(2999, 1, 1)
        )
    assert "masa depan" in info.value.message_dict["effective_date"][0]
    with pytest.raises(ValidationError):
        services.employee_move(
            actor=bkpsdm, employee=staff, to_unit=puskesmas, effective_date=date(2023, 1, 1)
        )
    assert EmployeeMove.objects.filter(employee=staff).count() == 1


def test_supervisor_cycles_and_self_are_refused(bkpsdm, people):
    head, staff = people["head"], people["staff"]  # head supervises staff
    with pytest.raises(ValidationError) as info:
        services.employee_set_supervisor(actor=bkpsdm, employee=head, supervisor=staff)
    assert "melingkar" in info.value.message_dict["supervisor"][0]
    with pytest.raises(ValidationError):
        services.employee_set_supervisor(actor=bkpsdm, employee=head, supervisor=head)
    head.refresh_from_db()
    assert head.supervisor is None


def test_team_and_chain(bkpsdm, people):
    head, staff = people["head"], people["staff"]
    assert list(selectors.team_of(head.user)) == [staff]
    assert list(selectors.team_of(staff.user)) == []
    assert selectors.supervisor_chain(staff) == [head]
