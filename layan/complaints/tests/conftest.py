"""Complaint personas on top of layan/conftest.py: the kabupaten verifier, the officers and the head of
Dinas PUPR, an officer of another unit (Kecamatan Batui), and a leader."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from layan.complaints import services
from layan.complaints.models import Category
from layan.conftest import _unit, assign, make_user
from layan.org.models import Unit


@pytest.fixture
def dinas_pu(units, regions):
    return _unit("DPUPR", "Dinas PUPR", Unit.Kind.DINAS, regions["72.01"], units["setda"])


@pytest.fixture
def verifier(regions):
    user = make_user("verifikator")
    assign(user, "operator_pengaduan", region="72.01")
    return user


@pytest.fixture
def officer(dinas_pu):
    user = make_user("petugas.pu")
    assign(user, "operator_pengaduan", unit=dinas_pu)
    return user


@pytest.fixture
def head(dinas_pu):
    user = make_user("kepala.pu")
    assign(user, "kepala_unit", unit=dinas_pu)
    return user


@pytest.fixture
def other_officer(units):
    user = make_user("petugas.batui")
    assign(user, "operator_pengaduan", unit=units["kec_batui"])
    return user


@pytest.fixture
def leader(regions):
    user = make_user("bupati")
    assign(user, "pimpinan", region="72.01")
    return user


@pytest.fixture
def jalan(db):
    return Category.objects.get(code="jalan")


def photo(name="foto.jpg", size=(40, 30), fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


DESCRIPTION = (
    "Jalan di depan SD Inpres Singkoyo berlubang besar, sudah dua minggu motor sering jatuh malam hari."
)


def submit(**overrides):
    data = dict(
        kind="pengaduan",
        title="Jalan berlubang depan SD",
        description=DESCRIPTION,
        region_code="72.01.01.2001",
        reporter_name="Rina Lamadi",
        reporter_email="rina@example.id",
        ip=f"10.0.0.{uuid.uuid4().int % 250}",
    )
    data.update(overrides)
    return services.case_submit(**data)


@pytest.fixture
def new_case(regions, jalan):
    return submit(category=jalan)


@pytest.fixture
def routed_case(new_case, verifier, jalan, dinas_pu):
    services.case_verify(actor=verifier, case=new_case, category=jalan)
    return services.case_route(actor=verifier, case=new_case, unit=dinas_pu)
