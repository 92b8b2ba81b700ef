"""Units as a tree (paths kept through moves, cycles refused), office locations, positions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from layan.org import selectors, services
from layan.org.models import OfficeLocation, Position, Unit


def test_create_keeps_the_materialised_path_and_time_zone(bkpsdm, units, regions):
    puskesmas = services.unit_create(
        actor=bkpsdm,
        code="pkm-toili",
        name="Puskesmas Toili",
        kind=Unit.Kind.PUSKESMAS,
        region="72.01.01",
        parent=units["kec_toili"],
    )
    assert puskesmas.code == "PKM-TOILI"
    assert puskesmas.path == f"{units['kec_toili'].path}{puskesmas.pk}/"
    assert puskesmas.time_zone_label == "WITA"


def test_unknown_region_and_duplicate_code_are_refused(bkpsdm, units):
    with pytest.raises(ValidationError) as info:
        services.unit_create(actor=bkpsdm, code="X", name="X", kind=Unit.Kind.UPT, region="72.99")
    assert "tidak dikenal" in info.value.message_dict["region"][0]
    with pytest.raises(ValidationError) as info:
        services.unit_create(actor=bkpsdm, code="kec-toili", name="X", kind=Unit.Kind.UPT, region="72.01")
    assert "sudah dipakai" in info.value.message_dict["code"][0]


def test_a_unit_outside_the_actors_scope_is_refused_and_not_saved(bkpsdm, units, regions):
    from layan.regions.models import Region

    Region.objects.create(code="73", name="Sulawesi Selatan", level=1)
    with pytest.raises(ValidationError):
        services.unit_create(actor=bkpsdm, code="LUAR", name="Luar", kind=Unit.Kind.DINAS, region="73")
    assert not Unit.objects.filter(code="LUAR").exists()


def test_moving_a_unit_moves_its_subtree_and_refuses_cycles(bkpsdm, units):
    toili = units["kec_toili"]
    desa = services.unit_create(
        actor=bkpsdm,
        code="DESA-SKY",
        name="Kantor Desa Singkoyo",
        kind=Unit.Kind.DESA,
        region="72.01.01.2001",
        parent=toili,
    )
    with pytest.raises(ValidationError) as info:
        services.unit_update(actor=bkpsdm, unit=toili, parent=desa)
    assert "bawahannya" in info.value.message_dict["parent"][0]
    services.unit_update(actor=bkpsdm, unit=toili, parent=units["kec_batui"])
    toili.refresh_from_db()
    desa.refresh_from_db()
    assert toili.path == f"{units['kec_batui'].path}{toili.pk}/"
    assert desa.path == f"{toili.path}{desa.pk}/"
    rows = selectors.unit_tree(Unit.objects.all())
    assert [(r.unit.code, r.depth) for r in rows] == [
        ("SETDA", 0),
        ("KEC-BATUI", 1),
        ("KEC-TOILI", 2),
        ("DESA-SKY", 3),
    ]


def test_a_unit_with_active_staff_cannot_be_deactivated(bkpsdm, people, units):
    with pytest.raises(ValidationError) as info:
        services.unit_deactivate(actor=bkpsdm, unit=units["kec_batui"])
    assert "pegawai aktif" in info.value.messages[0]
    units["kec_batui"].refresh_from_db()
    assert units["kec_batui"].is_active


@pytest.mark.parametrize(
    ("lat", "lon", "radius", "field", "message"),
    [
        ("122.7654", "-0.9851", 100, "latitude", "-90 dan 90"),
        ("-0.9851", "200", 100, "longitude", "-180 dan 180"),
        ("40.7", "-74.0", 100, "latitude", "di luar Indonesia"),
        ("abc", "122.7", 100, "latitude", "angka desimal"),
        ("-0.9851", "122.7654", 5, "radius_m", "10–5000"),
        ("-0.9851", "122.7654", 6000, "radius_m", "10–5000"),
    ],
)
def test_wrong_coordinates_are_refused(bkpsdm, units, lat, lon, radius, field, message):
    with pytest.raises(ValidationError) as info:
        services.office_location_create(
            actor=bkpsdm, unit=units["kec_toili"], name="Kantor", latitude=lat, longitude=lon, radius_m=radius
        )
    assert message in " ".join(info.value.message_dict[field])
    assert not OfficeLocation.objects.exists()


def test_office_location_with_comma_decimal_is_accepted(bkpsdm, units):
    location = services.office_location_create(
        actor=bkpsdm,
        unit=units["kec_toili"],
        name="Kantor Camat",
        latitude="-1,3125",
        longitude="122,4601",
        radius_m="150",
    )
    assert str(location.latitude) == "-1.312500" and location.radius_m == 150
    services.office_location_update(actor=bkpsdm, location=location, radius_m=200)
    location.refresh_from_db()
    assert location.radius_m == 200


def test_position_kelas_must_be_1_to_17_and_unique(bkpsdm, position):
    with pytest.raises(ValidationError) as info:
        services.position_create(actor=bkpsdm, name="Analis", kind=Position.Kind.FUNGSIONAL, kelas_jabatan=18)
    assert "1–17" in info.value.message_dict["kelas_jabatan"][0]
    with pytest.raises(ValidationError):
        services.position_create(
            actor=bkpsdm, name="pengelola data", kind=Position.Kind.PELAKSANA, kelas_jabatan=7
        )
