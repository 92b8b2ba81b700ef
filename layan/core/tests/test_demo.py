"""``manage.py load_demo``: the demo kabupaten is realistic, consistent, idempotent, never in production."""

from __future__ import annotations

from base64 import b32encode
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from layan.accounts.validators import DEMO_PASSWORD
from layan.core.demo import ACCOUNTS
from layan.core.identifiers import nik_mismatches, parse_ni_pppk, parse_nik, parse_nip
from layan.core.models import AuditEvent, DayOff, RoleAssignment, User
from layan.core.roles import PRIVILEGED_ROLES, Role
from layan.core.scopes import roles_of
from layan.org.models import Employee, OfficeLocation, Position, Unit
from layan.regions.models import Region
from layan.regions.selectors import region_exists

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Region, Unit, OfficeLocation, Position, Employee, User, RoleAssignment, TOTPDevice, DayOff]
    models.append(AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo():
    return load_demo()


def test_second_run_changes_nothing_and_duplicates_nothing():
    first_output = load_demo()
    after_first = counts()
    employees = dict(Employee.objects.values_list("nik_hash", "updated_at"))
    second_output = load_demo()

    assert counts() == after_first
    assert dict(Employee.objects.values_list("nik_hash", "updated_at")) == employees
    assert "tidak ada yang diubah" in second_output
    assert "http://127.0.0.1:8000/akun/masuk/" in first_output
    assert "http://127.0.0.1:8000/akun/masuk/" in second_output


def test_demo_kabupaten_is_banggai_at_realistic_size(demo):
    assert Region.objects.get(code="72.01").name == "Kabupaten Banggai"
    assert Region.objects.filter(code__startswith="72.01.", level=3).count() == 24
    assert 35 <= Unit.objects.count() <= 45
    assert 550 <= Employee.objects.count() <= 650
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert {"setda", "setwan", "inspektorat", "dinas", "badan", "kecamatan", "puskesmas", "rsud"} <= kinds
    assert Unit.objects.filter(kind="puskesmas").count() == 5
    assert Unit.objects.get(code="BKPSDM").region_id == "72.01"
    assert Unit.objects.get(code="KEC-LUWUK").time_zone_label == "WITA"
    kelas = set(Position.objects.values_list("kelas_jabatan", flat=True))
    assert min(kelas) >= 1 and max(kelas) <= 17 and len(kelas) >= 10
    assert Employee.objects.filter(kind=Employee.Kind.PNS).count() > Employee.objects.count() / 2
    assert Employee.objects.filter(kind=Employee.Kind.PPPK).exists()
    assert Employee.objects.filter(kind=Employee.Kind.NON_ASN).exists()


def test_every_unit_has_an_office_in_banggai_with_a_100_m_geofence(demo):
    for unit in Unit.objects.prefetch_related("locations"):
        locations = list(unit.locations.all())
        assert len(locations) == 1, unit.code
        office = locations[0]
        assert office.radius_m == 100
        assert Decimal("-1.6") <= office.latitude <= Decimal("-0.6"), unit.code
        assert Decimal("121.8") <= office.longitude <= Decimal("123.4"), unit.code


def test_every_nip_and_nik_is_valid_and_matches_the_record(demo):
    for employee in Employee.objects.all():
        if employee.kind == Employee.Kind.PNS:
            info = parse_nip(employee.nip)
            assert info.appointment >= info.birth_date.replace(year=info.birth_date.year + 18, day=1)
            assert employee.employment_start == info.appointment
        elif employee.kind == Employee.Kind.PPPK:
            info = parse_ni_pppk(employee.nip)
        else:
            assert employee.nip is None
            info = None
        if info is not None:
            assert (info.sex, info.birth_date) == (employee.sex, employee.birth_date), employee.nip
        nik = parse_nik(employee.nik, region_exists=region_exists)
        assert nik.kecamatan_code.startswith("72.01."), employee.nik
        assert nik_mismatches(nik, sex=employee.sex, birth_date=employee.birth_date) == []
        # Women's NIK carry the birth day + 40.
        assert (int(employee.nik[6:8]) > 40) == (employee.sex == "P")


def test_supervisor_chain_has_no_cycles_and_reaches_a_head(demo):
    supervisor_of = dict(Employee.objects.values_list("id", "supervisor_id"))
    for start in supervisor_of:
        seen, current = set(), start
        while current is not None:
            assert current not in seen, f"cycle through employee {current}"
            seen.add(current)
            current = supervisor_of[current]
        assert len(seen) <= 6
    # kepala unit → kabid/kasi → staf: most staff report to a middle manager who reports to the head.
    camat = Employee.objects.get(user__username="camat.luwuk")
    assert camat.unit.code == "KEC-LUWUK"
    assert camat.supervisor.unit.code == "SETDA"
    staff = Employee.objects.filter(unit=camat.unit, supervisor__supervisor=camat)
    assert staff.count() >= 5
    pegawai = Employee.objects.get(user__username="pegawai")
    assert pegawai.supervisor.user.username == "atasan"


def test_one_demo_account_per_role_with_the_demo_password(demo):
    request = RequestFactory().post("/akun/masuk/")
    covered = set()
    for spec in ACCOUNTS:
        user = User.objects.get(username=spec.username)
        assert user.is_demo
        assert authenticate(request, username=spec.username, password=DEMO_PASSWORD) == user
        roles = roles_of(user)
        assert spec.role in roles, spec.username
        covered |= roles
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        assert has_device == bool(roles & PRIVILEGED_ROLES), spec.username
    assert covered == set(Role)
    output = load_demo()
    secret = TOTPDevice.objects.filter(user__username="admin.bkpsdm").get()
    assert b32encode(secret.bin_key).decode() in output
    assert DEMO_PASSWORD in output


def test_camat_sees_only_his_kecamatan(demo):
    from layan.core.scopes import scoped

    camat = User.objects.get(username="camat.luwuk")
    visible = scoped(Employee.objects.all(), camat, "org.view_employee")
    regions = set(visible.values_list("unit__region_id", flat=True))
    assert regions and all(code.startswith("72.01.04") for code in regions)


def test_refused_in_production_mode(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="produksi"):
        load_demo()
    assert Employee.objects.count() == 0
    assert User.objects.count() == 0


def test_no_menu_link_of_any_demo_account_leads_to_a_404(demo):
    """Every entry of the main menu and of the modules' own menus opens for the account that sees it:
    a link that answers "not found" tells a camat or a bupati the system is broken."""
    import re

    from layan.conftest import verified_client_for
    from layan.core.navigation import navigation_for

    module_pages = ["/bansos/", "/bansos/asn-peduli/", "/bansos/asn-peduli/paket/", "/bansos/putaran/"]
    broken = {}
    for user in User.objects.filter(is_demo=True).exclude(username__startswith="demo."):
        client = verified_client_for(user)
        links = {item["url"] for item in navigation_for(user)}
        for page in module_pages:
            response = client.get(page)
            if response.status_code == 200:
                for menu in re.findall(
                    r'<nav class="nav nav-pills[^>]*>(.*?)</nav>', response.content.decode(), re.S
                ):
                    links.update(re.findall(r'href="([^"]+)"', menu))
        failing = sorted(link for link in links if client.get(link).status_code == 404)
        if failing:
            broken[user.username] = failing
    assert broken == {}
