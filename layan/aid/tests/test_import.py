# ruff: noqa: E501 -- rows of test data read best one per line
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import Workbook

from layan.aid.models import DuplicatePair, Family, FamilyMembership, RejectedRow, Resident, SourceRecord
from layan.aid.services import resident_import_create, resident_import_run
from layan.aid.tests.conftest import HEADER, ROWS, csv_bytes, import_rows
from layan.core.models import AuditEvent
from layan.core.personal_data import keyed_hash
from layan.core.stored_text import shown, shown_all


def test_valid_rows_become_residents_and_families(registry):
    assert Resident.objects.count() == 5
    assert Family.objects.count() == 4
    ahmad = Resident.objects.get(name="Ahmad Yani")
    assert ahmad.nik == "7201010505600001"
    assert ahmad.nik_hash == keyed_hash("7201010505600001")
    assert ahmad.family.head == ahmad
    assert ahmad.is_elderly and ahmad.phone == "081234567890"
    assert ahmad.family.members.count() == 2
    assert Resident.objects.get(name="Siti Aminah").birth_date == date(1965, 8, 12)  # DD-MM-YYYY
    assert Resident.objects.get(name="Budi Santoso").birth_date == date(1990, 3, 12)  # DD/MM/YYYY
    assert FamilyMembership.objects.filter(valid_to__isnull=True).count() == 5
    assert SourceRecord.objects.filter(source="DTKS").count() == 5
    assert AuditEvent.objects.filter(action="aid.resident_import_run").count() == 1


def test_importing_the_same_file_twice_changes_nothing(registry):
    before = (
        Resident.objects.count(),
        Family.objects.count(),
        SourceRecord.objects.count(),
        DuplicatePair.objects.count(),
        FamilyMembership.objects.count(),
    )
    _record, counts = import_rows(ROWS)
    assert (counts.imported, counts.attached, counts.unchanged, counts.rejected) == (0, 0, 5, 0)
    after = (
        Resident.objects.count(),
        Family.objects.count(),
        SourceRecord.objects.count(),
        DuplicatePair.objects.count(),
        FamilyMembership.objects.count(),
    )
    assert before == after


@pytest.mark.parametrize(
    "header, missing, unknown",
    [
        (HEADER.replace("nama,", "nama_lengkap,"), "nama", "nama_lengkap"),
        (HEADER.replace(",kode_desa", ",desa"), "kode_desa", "desa"),
    ],
)
def test_wrong_column_names_are_named(regions, header, missing, unknown):
    with pytest.raises(ValidationError) as info:
        resident_import_create(actor=None, data=csv_bytes(ROWS[:1], header), file_name="x.csv", source="DTKS")
    message = " ".join(info.value.messages)
    assert f"Kolom wajib tidak ada: {missing}" in message
    assert f"Kolom tidak dikenal: {unknown}" in message
    assert Resident.objects.count() == 0


def test_rejected_rows_are_kept_with_reasons(regions):
    bad = [
        "B1,72010105056000,7201010101100001,Nik Pendek,L,Toili,1960-05-05,Jl,001,002,72.01.01.2001,Petani,,,,",
        "B2,7201010505600009,7201010101100001,Lahir Nanti,L,Toili,2090-01-01,Jl,001,002,72.01.01.2001,Petani,,,,",
        "B3,7201010505600008,7201010101100001,Desa Asing,L,Toili,1960-05-05,Jl,001,002,72.01.09.2001,Petani,,,,",
        "B4,7201013205600007,7201010101100001,Tanggal Nik Salah,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        "B5,9901010505600006,7201010101100001,Wilayah Nik,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        ",7201010505600005,7201010101100001,,X,Toili,31-02-1960,Jl,1234,2,72.01.01.2001,,,,ya,",
    ]
    record, counts = import_rows([*bad, ROWS[0]])
    assert (counts.read, counts.imported, counts.rejected) == (7, 3, 4)
    rows = {r.row_number: r for r in RejectedRow.objects.filter(resident_import=record)}
    assert set(rows) == {2, 3, 4, 7}
    assert "NIK harus 16 angka." in shown_all(rows[2].reasons)
    assert any("masa depan" in r for r in shown_all(rows[3].reasons))
    assert any("Kode desa 72.01.09.2001 tidak dikenal" in r for r in shown_all(rows[4].reasons))
    # Every reason of a row at once, so it can be fixed in one pass.
    assert len(shown_all(rows[7].reasons)) >= 5
    assert "Nik Pendek" in rows[2].data  # the row itself is kept for correction
    record.refresh_from_db()
    assert record.rejected == 4 and record.imported == 3


def test_sixteen_digit_nik_with_an_impossible_date_or_region_is_kept_with_a_warning(regions):
    # A mistyped NIK of a real person: kept (and shown as an invalid-NIK conflict), not dropped.
    rows = [
        "B4,7201013205600007,7201010101100001,Tanggal Nik Salah,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        "B5,9901010505600006,7201010101100001,Wilayah Nik,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
    ]
    _record, counts = import_rows(rows)
    assert (counts.imported, counts.rejected) == (2, 0)
    date_wrong = Resident.objects.get(name="Tanggal Nik Salah")
    assert date_wrong.nik == "7201013205600007"
    assert any(
        w.startswith("NIK tidak sah") and "bukan tanggal yang ada" in w
        for w in shown_all(date_wrong.data_warnings)
    )
    region_wrong = Resident.objects.get(name="Wilayah Nik")
    assert any("99.01.01" in w and "tidak dikenal" in w for w in shown_all(region_wrong.data_warnings))


def test_nik_or_kk_with_a_bad_structure_is_rejected_with_a_reason(regions):
    # Not 16 digits, letters, Excel's scientific notation, another script's digits: not a NIK at all
    # (only a well-formed 16-digit NIK with an impossible date or region is kept, flagged).
    rows = [
        "N1,720101050560000,7201010101100001,Lima Belas,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        "N2,72010105056000011,7201010101100001,Tujuh Belas,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        "N3,72010105O5600001,7201010101100001,Huruf O,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        "N4,7.20101E+15,7201010101100001,Notasi Excel,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        "N5,٧٢٠١٠١٠٥٠٥٦٠٠٠٠١,7201010101100001,Angka Arab,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        "N6,7201010505600001,72010101011000X1,KK Huruf,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
        "N7,7201-0105-0560-0001,7201010101100001,Pakai Tanda Hubung,L,Toili,1960-05-05,Jl,1,2,72.01.01.2001,,,,,",
    ]
    record, counts = import_rows(rows)
    assert (counts.imported, counts.rejected) == (1, 6)
    reasons = {r.row_number: shown_all(r.reasons) for r in RejectedRow.objects.filter(resident_import=record)}
    assert all(reasons[n] == ["NIK harus 16 angka."] for n in (2, 3, 4, 5, 6))
    assert reasons[7] == ["Nomor KK harus 16 angka."]
    assert Resident.objects.get().nik == "7201010505600001"  # dashes pasted with a NIK are not its structure


def test_nik_that_disagrees_with_sex_or_birth_date_is_flagged_not_rejected(regions):
    # Women's NIK day is +40: a woman with day 05 in her NIK, and a birth date off by a day.
    row = "F1,7201010505900001,,Rina,P,Toili,1990-05-06,Jl,1,1,72.01.01.2001,,,,,"
    _record, counts = import_rows([row])
    assert counts.imported == 1
    warnings = shown_all(Resident.objects.get().data_warnings)
    assert any("Jenis kelamin" in w for w in warnings)
    assert any("Tanggal lahir" in w for w in warnings)
    assert any("KK kosong" in w for w in warnings)


def test_same_nik_with_matching_details_is_attached_to_the_existing_person(registry):
    village = [
        "DESA-7,7201010505600001,7201010101100001,AHMAD YANI,L,Toili,05/05/1960,Jl. Merdeka No 1,1,2,"
        "72.01.01.2001,Petani,,kepala keluarga,1,0"
    ]
    _record, counts = import_rows(village, source="Desa Singkoyo")
    assert (counts.imported, counts.attached) == (0, 1)
    ahmad = Resident.objects.get(name="Ahmad Yani")
    assert set(ahmad.source_records.values_list("source", "source_id")) == {
        ("DTKS", "S1"),
        ("Desa Singkoyo", "DESA-7"),
    }
    assert Resident.objects.count() == 5


def test_same_nik_with_conflicting_details_keeps_both_and_flags_a_pair(registry):
    other = ["X1,7201010505600001,,Yani Ahmad Saputra,L,Toili,1961-05-05,Jl,1,2,72.01.01.2001,,,,,"]
    _record, counts = import_rows(other, source="Desa Singkoyo")
    assert (counts.imported, counts.attached, counts.flagged) == (1, 0, 1)
    assert Resident.objects.filter(nik_hash=keyed_hash("7201010505600001")).count() == 2
    pair = DuplicatePair.objects.get()
    # Queued for a person, not flagged: a mistyped NIK is often another real person's NIK.
    assert pair.status == DuplicatePair.Status.QUEUED and pair.reason == DuplicatePair.Reason.SAME_NIK
    assert Resident.objects.get(name="Ahmad Yani").birth_date == date(1960, 5, 5)  # not overwritten


def test_same_nik_twice_in_one_file_for_different_people_flags_both(regions):
    rows = [
        "A,7201011203900003,,Budi,L,Toili,1990-03-12,Jl,1,1,72.01.01.2001,,,,,",
        "B,7201011203900003,,Joko,L,Toili,1990-03-12,Jl,1,1,72.01.01.2001,,,,,",
        "C,7201011203900003,,BUDI,L,Toili,12-03-1990,Jl,1,1,72.01.01.2001,,,,,",
    ]
    _record, counts = import_rows(rows)
    assert (counts.imported, counts.attached, counts.flagged) == (2, 1, 1)
    pair = DuplicatePair.objects.get()
    assert {pair.resident_a.name, pair.resident_b.name} == {"Budi", "Joko"}
    assert pair.reason == DuplicatePair.Reason.SAME_NIK_IN_FILE


def test_changed_row_under_a_known_source_id_is_rejected_not_overwritten(registry):
    changed = [ROWS[2].replace("Budi Santoso", "Budiman")]
    record, counts = import_rows(changed)
    assert counts.rejected == 1
    assert "tidak ditimpa" in shown(RejectedRow.objects.get(resident_import=record).reasons)
    assert Resident.objects.filter(name="Budi Santoso").exists()


def test_a_person_on_a_new_kk_moves_with_history(registry):
    moved = [
        "DESA-9,7201011203900003,7201010101100009,Budi Santoso,L,Luwuk,1990-03-12,Dusun II,2,1,72.01.01.2001,"
        "Buruh,,kepala keluarga,0,0"
    ]
    _record, counts = import_rows(moved, source="Desa Singkoyo")
    assert counts.attached == 1
    budi = Resident.objects.get(name="Budi Santoso")
    assert budi.family.kk == "7201010101100009"
    history = list(budi.memberships.order_by("id"))
    assert len(history) == 2 and history[0].valid_to is not None and history[1].valid_to is None


def test_xlsx_import(regions):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(ROWS[0].split(","))
    sheet.append(
        [
            "X2",
            "7201020909750005",
            "7201020101100004",
            "Andi",
            "L",
            "Batui",
            date(1975, 9, 9),
            "Jl",
            1,
            1,
            "72.01.02.1001",
            "Nelayan",
            "",
            "",
            "",
            "",
        ]
    )
    buffer = BytesIO()
    workbook.save(buffer)
    record = resident_import_create(actor=None, data=buffer.getvalue(), file_name="d.xlsx", source="DTKS")
    counts = resident_import_run(resident_import=record)
    assert counts.imported == 2 and counts.rejected == 0


def test_operator_cannot_import_residents_of_another_desa(regions, operator_desa):
    record = resident_import_create(
        actor=operator_desa, data=csv_bytes(ROWS), file_name="d.csv", source="Desa"
    )
    counts = resident_import_run(resident_import=record, today=date(2024, 1, 10))
    assert counts.imported == 3  # Singkoyo only
    assert counts.rejected == 2
    assert all("di luar wilayah kerja" in shown(r.reasons) for r in record.rejected_rows.all())


def test_import_residents_command_prints_counts(regions, tmp_path):
    path = tmp_path / "daftar.csv"
    path.write_bytes(csv_bytes([*ROWS, ROWS[0].replace("S1,", "S9,").replace("Ahmad Yani", "Ahmad Yani")]))
    out = StringIO()
    call_command("import_residents", str(path), "--source", "DTKS", stdout=out)
    assert "read 6, imported 5, attached to an existing person 1, rejected 0" in out.getvalue()
    out = StringIO()
    call_command("import_residents", str(path), "--source", "DTKS", stdout=out)
    assert "imported 0, attached to an existing person 0, rejected 0, unchanged 6" in out.getvalue()
