# ruff: noqa: E501 -- rows of test data read best one per line
"""Aid fixtures: a small registry in two desa of Toili and one of Batui, and the aid personas.

- ``operator_desa``  — operator desa scoped to Singkoyo (72.01.01.2001)
- ``operator_other`` — operator desa of Cendana Pura (72.01.01.2002), same kecamatan
- ``petugas``        — petugas bansos for the whole kabupaten (72.01)
- the shared ``camat`` (Toili 72.01.01), ``sibling`` (Batui 72.01.02) and ``outsider`` personas
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from layan.aid.models import Program
from layan.aid.services import resident_import_create, resident_import_run, round_create
from layan.conftest import assign, make_user

HEADER = (
    "id_sumber,nik,no_kk,nama,jenis_kelamin,tempat_lahir,tanggal_lahir,alamat,rt,rw,kode_desa,pekerjaan,"
    "telepon,hubungan_keluarga,lansia,disabilitas"
)

# Singkoyo (72.01.01.2001): two families; Cendana Pura (72.01.01.2002): one; Batui town (72.01.02.1001): one.
ROWS = [
    "S1,7201010505600001,7201010101100001,Ahmad Yani,L,Toili,1960-05-05,Jl. Merdeka 1,001,002,72.01.01.2001,Petani,"
    "081234567890,kepala keluarga,1,0",
    "S2,7201015208650002,7201010101100001,Siti Aminah,P,Toili,12-08-1965,Jl. Merdeka 1,001,002,72.01.01.2001,"
    "Ibu rumah tangga,,istri,0,0",
    "S3,7201011203900003,7201010101100002,Budi Santoso,L,Luwuk,12/03/1990,Dusun II,002,001,72.01.01.2001,Buruh,,"
    "kepala keluarga,0,0",
    "S4,7201014107800004,7201010101100003,Wa Ode Nurma,P,Toili,1980-07-01,Jl. Kelapa,003,001,72.01.01.2002,"
    "Pedagang,,kepala keluarga,0,1",
    "S5,7201020909750005,7201020101100004,Andi Lamato,L,Batui,1975-09-09,Jl. Pantai,001,001,72.01.02.1001,"
    "Nelayan,,kepala keluarga,0,0",
]


def csv_bytes(rows: list[str], header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def import_rows(rows: list[str], *, actor=None, source: str = "DTKS", header: str = HEADER):
    record = resident_import_create(
        actor=actor, data=csv_bytes(rows, header), file_name="daftar.csv", source=source
    )
    return record, resident_import_run(resident_import=record, today=date(2024, 1, 10))


def blt_dd_2020_round(actor, programs, area: str = "72.01.01.2001"):
    """A draft BLT-DD list of 2020 (May–July, stage 1) for a desa: the program whose exclusivity rules the
    tests exercise."""
    return round_create(
        actor=actor,
        program=programs["blt-dd"],
        area=area,
        stage=1,
        period_start=date(2020, 5, 1),
        period_end=date(2020, 7, 31),
    )


@pytest.fixture
def registry(regions):
    record, counts = import_rows(ROWS)
    assert counts.imported == 5, counts
    return record


@pytest.fixture
def operator_desa(regions):
    user = make_user("operator.singkoyo")
    assign(user, "operator_desa", region="72.01.01.2001")
    return user


@pytest.fixture
def operator_other(regions):
    user = make_user("operator.cendana")
    assign(user, "operator_desa", region="72.01.01.2002")
    return user


@pytest.fixture
def petugas(regions):
    user = make_user("petugas.bansos")
    assign(user, "petugas_bansos", region="72.01")
    return user


@pytest.fixture
def programs(db):
    return {p.code: p for p in Program.objects.all()}


def photo_file(seed: int = 1, size=(64, 48), name="foto.jpg"):
    """A JPEG of random blocks: the same seed is the same photo, another seed a different one."""
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile

    rng = random.Random(seed)
    small = Image.new("RGB", (8, 6))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(48)])
    image = small.resize(size)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
