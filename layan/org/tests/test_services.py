"""Employees: identifiers validated per DOMAIN.md, mismatches flagged not rejected, duplicates refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from layan.core.models import AuditEvent
from layan.core.stored_text import shown
from layan.org import services
from layan.org.models import Employee

NEW_NIP = "198503152010011004"  # born 15-03-1985, TMT CPNS 01-2010, male, serial 004
NEW_NIK = "7201011503850007"  # kecamatan 72.01.01, male, born 15-03-85


def create(bkpsdm, units, **overrides):
    data = {
        "kind": Employee.Kind.PNS,
        "name": "Rudi Hartono",
        "nip": NEW_NIP,
        "nik": NEW_NIK,
        "sex": "L",
        "birth_date": date(1985, 3, 15),
        "unit": units["kec_toili"],
    }
    data.update(overrides)
    return services.employee_create(actor=bkpsdm, **data)


def test_create_valid_employee_is_audited_without_warnings(bkpsdm, units):
    employee = create(bkpsdm, units)
    assert employee.pk and employee.data_warnings == []
    assert employee.employment_start == date(2010, 1, 1)  # taken from the NIP's TMT CPNS
    event = AuditEvent.objects.get(action="org.employee_create", object_id=str(employee.pk))
    assert event.changes["nik"][1] == "7201********0007"  # the audit trail never holds the NIK in clear


def test_sex_and_birth_date_come_from_the_nip_when_left_empty(bkpsdm, units):
    employee = create(bkpsdm, units, sex="", birth_date=None)
    assert employee.sex == "L" and employee.birth_date == date(1985, 3, 15)


def test_mismatch_between_nip_nik_and_record_is_flagged_not_rejected(bkpsdm, units):
    employee = create(bkpsdm, units, sex="P", birth_date=date(1985, 3, 16))
    text = shown(employee.data_warnings)
    assert "tidak sesuai NIP" in text and "tidak sesuai NIK" in text
    assert "Jenis kelamin di data (Perempuan) tidak sesuai NIP (Laki-laki)." in text  # words, not L/P
    assert Employee.objects.filter(pk=employee.pk).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "19850315201001100", "NIP harus 18 angka"),
        ("nip", "198513152010011004", "Tanggal lahir dalam NIP"),
        ("nip", "198503152001011004", "kurang dari 18 tahun"),
        ("nik", "7201011503850000", "tidak boleh 0000"),
        ("nik", "7299011503850007", "tidak dikenal"),
        ("nik", "7201013213850007", "bukan tanggal"),
    ],
)
def test_wrong_identifiers_are_refused_with_an_indonesian_message(bkpsdm, units, field, value, message):
    with pytest.raises(ValidationError) as info:
        create(bkpsdm, units, **{field: value})
    assert message in " ".join(info.value.message_dict[field])
    assert not Employee.objects.filter(name="Rudi Hartono").exists()


def test_pppk_uses_the_ni_pppk_rules_and_non_asn_has_no_nip(bkpsdm, units):
    pppk = create(
        bkpsdm,
        units,
        kind=Employee.Kind.PPPK,
        nip="198503152023211001",
        nik="",
        employment_start=date(2023, 2, 1),
    )
    assert pppk.nip == "198503152023211001"
    with pytest.raises(ValidationError) as info:
        create(
            bkpsdm,
            units,
            kind=Employee.Kind.NON_ASN,
            nip="198503152010011005",
            nik="",
            employment_start=date(2015, 1, 1),
        )
    assert "non-ASN" in info.value.message_dict["nip"][0]
    honorer = create(
        bkpsdm,
        units,
        kind=Employee.Kind.NON_ASN,
        nip="",
        name="Honorer",
        nik="",
        employment_start=date(2015, 1, 1),
    )
    assert honorer.nip is None


def test_duplicate_nip_and_nik_are_refused_clearly(bkpsdm, units, people):
    with pytest.raises(ValidationError) as info:
        create(bkpsdm, units, nip=people["head"].nip, nik="", sex="P", birth_date=date(1990, 6, 5))
    assert "sudah terdaftar" in info.value.message_dict["nip"][0]
    with pytest.raises(ValidationError) as info:
        create(bkpsdm, units, nik=people["head"].nik)
    assert "sudah dipakai" in info.value.message_dict["nik"][0]


def test_impossible_dates_are_refused(bkpsdm, units):
    with pytest.raises(ValidationError) as info:
        create(bkpsdm, units, employment_start=date(1990, 1, 1))
    assert "belum berusia" in info.value.message_dict["employment_start"][0]


def test_camat_cannot_create_employees(camat, units):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create(camat, units)


def test_update_changes_own_data_but_not_the_unit(bkpsdm, people, units):
    staff = people["staff"]
    updated = services.employee_update(actor=bkpsdm, employee=staff, phone="0812 3456 7890")
    assert updated.phone == "+6281234567890"
    with pytest.raises(ValidationError):
        services.employee_update(actor=bkpsdm, employee=staff, unit=units["kec_batui"])
    with pytest.raises(ValidationError) as info:
        services.employee_update(actor=bkpsdm, employee=staff, phone="12")
    assert "telepon" in info.value.message_dict["phone"][0]


def test_update_without_change_writes_nothing(bkpsdm, people):
    staff = services.employee_update(actor=bkpsdm, employee=people["staff"], birth_place="Luwuk")
    before = AuditEvent.objects.count()
    services.employee_update(actor=bkpsdm, employee=staff, name=staff.name, birth_place="Luwuk")
    assert AuditEvent.objects.count() == before


def test_link_user_uses_the_nip_as_username(bkpsdm, people):
    batui = people["batui"]
    user = services.employee_link_user(actor=bkpsdm, employee=batui)
    assert user.username == batui.nip and not user.has_usable_password()
    with pytest.raises(ValidationError):
        services.employee_link_user(actor=bkpsdm, employee=batui)


def test_end_disables_the_account(bkpsdm, people):
    staff = people["staff"]
    services.employee_end(actor=bkpsdm, employee=staff, end_date=date(2024, 1, 31), reason="Pensiun dini")
    staff.refresh_from_db()
    staff.user.refresh_from_db()
    assert staff.employment_end == date(2024, 1, 31) and not staff.user.is_active
    with pytest.raises(ValidationError):
        services.employee_end(actor=bkpsdm, employee=staff, end_date=date(2024, 2, 1))
