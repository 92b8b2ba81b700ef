import gzip

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from layan.core.models import AuditEvent
from layan.regions import files
from layan.regions.models import Region
from layan.regions.services import regions_import, regions_load_bundled
from layan.regions.tests.conftest import POPULATION_CSV, SAMPLE_CSV, csv_rows, population_rows


def table():
    return list(
        Region.objects.order_by("code").values_list(
            "code", "name", "level", "parent_id", "population", "population_male", "population_female",
            "population_year",
        )
    )  # fmt: skip


@pytest.mark.django_db
def test_import_derives_level_and_parent_from_the_code():
    result = regions_import(actor=None, rows=csv_rows(SAMPLE_CSV))

    assert (result.read, result.created, result.rejected) == (10, 10, [])
    desa = Region.objects.get(code="72.01.01.2001")
    assert (desa.level, desa.parent_id, desa.kind_label) == (4, "72.01.01", "Desa")
    assert Region.objects.get(code="72.01.01.1002").kind_label == "Kelurahan"
    assert Region.objects.get(code="72.71").kind_label == "Kota"
    assert Region.objects.get(code="72.01").kind_label == "Kabupaten"


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_and_audits_once(django_assert_max_num_queries):
    first = regions_import(
        actor=None,
        rows=csv_rows(SAMPLE_CSV),
        population_rows=population_rows(POPULATION_CSV),
        population_year=2025,
    )
    before = table()

    second = regions_import(
        actor=None,
        rows=csv_rows(SAMPLE_CSV),
        population_rows=population_rows(POPULATION_CSV),
        population_year=2025,
    )

    assert (first.created, first.population_updated) == (10, 2)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 10)
    assert (second.population_updated, second.population_unchanged) == (0, 2)
    assert table() == before
    events = AuditEvent.objects.filter(action="regions.import")
    assert events.count() == 1
    assert events.get().changes["created"] == [None, 10]


@pytest.mark.django_db
def test_a_renamed_region_is_updated_in_place(tree):
    renamed = SAMPLE_CSV.replace("72.01.10,Nuhon", "72.01.10,Nuhon Baru")

    result = regions_import(actor=None, rows=csv_rows(renamed))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 9)
    assert Region.objects.get(code="72.01.10").name == "Nuhon Baru"
    assert AuditEvent.objects.filter(action="regions.import").count() == 2


@pytest.mark.django_db
def test_rejected_rows_come_back_with_their_line_and_reasons_and_the_rest_is_imported():
    text = (
        "kode,nama\n"
        "72,Sulawesi Tengah\n"  # line 2
        "72.01,Kabupaten Banggai\n"  # 3
        "72.1,Kode Salah\n"  # 4: bad shape
        "72.01.55,Tanpa Induk Salah\n"  # 5: fine (parent 72.01 is in the file)
        "72.01.99.2001,Yatim\n"  # 6: parent 72.01.99 is nowhere
        "72.01.55.2001,\n"  # 7: empty name
        "72.01,Banggai Lagi\n"  # 8: duplicate of line 3
        "\n"  # 9: blank, ignored
        "72.01.55.2002," + "x" * 101 + "\n"  # 10: name too long
        "abc\n"  # 11: no name column at all
    )

    result = regions_import(actor=None, rows=csv_rows(text))

    rejected = {row.line: (row.code, " ".join(row.reasons)) for row in result.rejected}
    assert set(rejected) == {4, 6, 7, 8, 10, 11}
    assert "tidak sah" in rejected[4][1]
    assert "induk 72.01.99 tidak ada" in rejected[6][1]
    assert "Nama wilayah kosong" in rejected[7][1]
    assert "lebih dari sekali" in rejected[8][1] and "baris 3" in rejected[8][1]
    assert "100" in rejected[10][1]
    assert "tidak sah" in rejected[11][1] and "Nama wilayah kosong" in rejected[11][1]
    assert result.read == 9
    assert sorted(Region.objects.values_list("code", flat=True)) == ["72", "72.01", "72.01.55"]
    assert Region.objects.get(code="72.01").name == "Kabupaten Banggai"


@pytest.mark.django_db
def test_a_child_of_a_rejected_parent_is_rejected_too():
    text = "kode,nama\n72,Sulawesi Tengah\n72.01,\n72.01.01,Toili\n"

    result = regions_import(actor=None, rows=csv_rows(text))

    assert [(r.line, r.code) for r in result.rejected] == [(3, "72.01"), (4, "72.01.01")]
    assert "induk 72.01 tidak ada" in result.rejected[1].reasons[0]


@pytest.mark.django_db
def test_a_parent_already_in_the_database_is_enough(tree):
    result = regions_import(actor=None, rows=csv_rows("kode,nama\n72.01.10.2002,Tirtasari\n"))

    assert (result.created, result.rejected) == (1, [])
    assert Region.objects.get(code="72.01.10.2002").parent_id == "72.01.10"


@pytest.mark.django_db
def test_a_prefix_keeps_every_kecamatan_but_only_the_villages_inside_it():
    result = regions_import(actor=None, rows=csv_rows(SAMPLE_CSV), prefix="72.01.01")

    codes = set(Region.objects.values_list("code", flat=True))
    assert {"72.01.10", "72.71.01"} <= codes  # kecamatan anywhere: a NIK from there must validate
    assert {"72.01.01.2001", "72.01.01.1002"} <= codes
    assert not codes & {"72.01.10.2001", "72.71.01.1001"}
    assert result.skipped == 2


@pytest.mark.django_db
def test_a_malformed_prefix_is_refused_before_anything_is_written():
    with pytest.raises(ValidationError, match="tidak sah"):
        regions_import(actor=None, rows=csv_rows(SAMPLE_CSV), prefix="72.1")
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_population_rows_are_checked_and_the_national_total_is_skipped(tree):
    text = (
        "kode,nama,pria,wanita,total\n"
        "0,INDONESIA,1,1,2\n"
        "72.71,Kota Palu,190000,190001,380001\n"  # 3: good
        "72.02,Banggai Kepulauan,1,1,2\n"  # 4: region unknown
        "72.01,Banggai,10,10,25\n"  # 5: male + female != total
        "72.01.01,Toili,a,b,banyak\n"  # 6: not numbers
        "7x,Salah,1,1,2\n"  # 7: bad code
    )

    result = regions_import(actor=None, rows=[], population_rows=population_rows(text), population_year=2024)

    rejected = {row.line: " ".join(row.reasons) for row in result.population_rejected}
    assert set(rejected) == {4, 5, 6, 7}
    assert "tidak dikenal" in rejected[4]
    assert "tidak sama dengan total" in rejected[5]
    assert "bilangan bulat" in rejected[6]
    assert "tidak sah" in rejected[7]
    palu = Region.objects.get(code="72.71")
    assert (palu.population, palu.population_male, palu.population_female, palu.population_year) == (
        380001, 190000, 190001, 2024,
    )  # fmt: skip
    assert Region.objects.get(code="72.01").population == 377804  # the rejected row changed nothing


@pytest.mark.django_db
def test_the_import_uses_bulk_statements_not_one_query_per_row(django_assert_max_num_queries):
    rows = [["72", "Sulawesi Tengah"], ["72.01", "Kabupaten Banggai"], ["72.01.01", "Toili"]]
    rows += [[f"72.01.01.2{n:03d}", f"Desa {n}"] for n in range(1, 900)]

    with django_assert_max_num_queries(15):
        result = regions_import(actor=None, rows=rows)

    assert result.created == 902


def test_region_files_find_columns_by_header_and_read_gzip():
    text = "Nama,Kode\nSulawesi Tengah,72\n\n"

    assert files.read_region_rows(gzip.compress(text.encode())) == [["72", "Sulawesi Tengah"], []]
    assert files.read_region_rows("kode,nama\n72,Sulawesi Tenggah\n".encode("cp1252")) == [
        ["72", "Sulawesi Tenggah"]
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "kosong"),
        (b"kode,name_wrong\n72,x\n", "nama"),
        (b"\x1f\x8b broken", "gzip"),
        (b"\x00\x01\x02", "bukan CSV"),
    ],
)
def test_region_files_refuse_what_they_cannot_read(data, message):
    with pytest.raises(ValidationError, match=message):
        files.read_region_rows(data)


def test_population_file_needs_the_count_columns():
    with pytest.raises(ValidationError, match="total"):
        files.read_population_rows(b"kode,nama,pria,wanita\n72,x,1,1\n")


@pytest.mark.django_db
def test_bundled_load_has_every_kecamatan_of_indonesia_the_villages_of_banggai_and_is_idempotent():
    first = regions_load_bundled(prefix="72.01")
    snapshot = table()

    second = regions_load_bundled(prefix="72.01")

    per_level = {level: Region.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert per_level == {1: 38, 2: 514, 3: 7285, 4: 337}
    assert (first["created"], first["rejected"], first["population_rejected"]) == (8174, 0, 0)
    assert (second["created"], second["updated"], second["population_updated"]) == (0, 0, 0)
    assert table() == snapshot
    banggai = Region.objects.get(code="72.01")
    assert (banggai.population, banggai.population_year) == (377804, 2025)
    assert Region.objects.filter(code="11.01.01").exists()  # a NIK from Aceh has a known kecamatan
    assert not Region.objects.filter(level=4).exclude(code__startswith="72.01.").exists()


@pytest.mark.django_db
def test_import_regions_command_reads_gzip_and_prints_the_counts(tmp_path, capsys):
    path = tmp_path / "wilayah.csv.gz"
    path.write_bytes(gzip.compress((SAMPLE_CSV + "72.01.99.2001,Yatim\n").encode()))
    population = tmp_path / "penduduk.csv"
    population.write_text(POPULATION_CSV)

    call_command("import_regions", str(path), "--prefix", "72.01", "--population", str(population))

    captured = capsys.readouterr()
    assert "dibaca 10, baru 9, diubah 0, tetap 0, ditolak 1, dilewati 1" in captured.out
    assert "Penduduk: dibaca 2, diubah 2" in captured.out
    assert "baris 12 [72.01.99.2001]" in captured.err
    assert Region.objects.get(code="72").population == 3219494


@pytest.mark.django_db
def test_import_regions_command_explains_a_missing_file_or_a_bad_prefix(tmp_path):
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("import_regions", str(tmp_path / "tidak-ada.csv"))
    path = tmp_path / "wilayah.csv"
    path.write_text(SAMPLE_CSV)
    with pytest.raises(CommandError, match="tidak sah"):
        call_command("import_regions", str(path), "--prefix", "7")
    with pytest.raises(CommandError, match="Kolom"):
        path.write_text("a,b\n1,2\n")
        call_command("import_regions", str(path))


@pytest.mark.django_db
def test_load_regions_command_loads_the_bundle(capsys):
    call_command("load_regions", "--prefix", "72.01.01")

    assert "tetap 0, ditolak 0" in capsys.readouterr().out
    assert (
        Region.objects.filter(level=4).count()
        == Region.objects.filter(level=4, code__startswith="72.01.01.").count()
        > 0
    )
