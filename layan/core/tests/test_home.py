"""The home page per role: a heading naming the role, and figures limited to the role's scope."""

from __future__ import annotations

import re

import pytest

from layan.conftest import assign, client_for, make_user, verified_client_for
from layan.core.models import Job

pytestmark = pytest.mark.django_db


def title_and_role(response) -> tuple[str, str]:
    html = response.content.decode()
    title = re.search(r'<h1[^>]*id="home-title"[^>]*>(.*?)</h1>', html, re.S).group(1).strip()
    role = re.search(r'<section id="home" data-role="([^"]*)"', html).group(1)
    return title, role


def test_pegawai_sees_their_own_profile(people):
    response = client_for(people["staff"].user).get("/")
    assert title_and_role(response) == ("Beranda Pegawai", "pegawai")
    html = response.content.decode()
    assert "Budi Santoso" in html and "199201102019031002" in html
    assert "Siti Rahma" in html  # the supervisor
    assert 'id="card-atasan"' not in html


def test_atasan_sees_the_team_count(people):
    response = client_for(people["head"].user).get("/")
    assert title_and_role(response) == ("Beranda Atasan langsung", "atasan")
    assert re.search(r'id="team-count">1<', response.content.decode())


def test_camat_sees_staff_in_the_kecamatan_only(people, camat, sibling):
    response = client_for(camat).get("/")
    assert title_and_role(response) == ("Beranda Camat", "camat")
    html = response.content.decode()
    assert re.search(r'id="staff-total">2<', html)
    assert "Kecamatan Toili" in html and "Kecamatan Batui" not in html
    sibling_html = client_for(sibling).get("/").content.decode()
    assert re.search(r'id="staff-total">1<', sibling_html)
    assert "Kecamatan Toili" not in sibling_html


@pytest.mark.parametrize(("role", "label"), [("lurah", "Lurah"), ("kepala_desa", "Kepala desa")])
def test_lurah_and_kepala_desa_have_their_own_home(regions, people, role, label):
    user = make_user(f"{role}.uji")
    assign(user, role, region="72.01.01.2001")
    response = client_for(user).get("/")
    assert title_and_role(response) == (f"Beranda {label}", role)
    assert re.search(r'id="staff-total">0<', response.content.decode())


def test_kepala_unit_counts_the_unit_subtree(units, people):
    user = make_user("kepala.toili")
    assign(user, "kepala_unit", unit=units["kec_toili"])
    response = client_for(user).get("/")
    assert title_and_role(response) == ("Beranda Kepala unit", "kepala_unit")
    assert re.search(r'id="staff-total">2<', response.content.decode())


def test_admin_bkpsdm_sees_counts_by_kind_and_pending_jobs(bkpsdm_client, bkpsdm, people):
    Job.objects.create(
        kind="org.import",
        title="Impor pegawai Juni",
        started_by=bkpsdm,
        total=10,
        done=4,
        status=Job.Status.RUNNING,
    )
    response = bkpsdm_client.get("/")
    assert title_and_role(response) == ("Beranda Admin BKPSDM", "admin_bkpsdm")
    html = response.content.decode()
    assert re.search(r'id="staff-total">3<', html)
    assert re.search(r"<td>PNS</td><td class=\"text-end\">3</td>", html)
    assert "Impor pegawai Juni" in html and "40%" in html


def test_pimpinan_sees_kabupaten_figures(pimpinan, people):
    response = verified_client_for(pimpinan).get("/")
    assert title_and_role(response) == ("Beranda Pimpinan daerah", "pimpinan")
    html = response.content.decode()
    assert 'id="kabupaten-figures"' in html
    assert re.search(
        r'id="pimpinan-staff-total">3</p><p class="small text-secondary mb-0">pegawai aktif', html
    )
    assert re.search(r'<p class="display-6 mb-0">2</p><p class="small text-secondary mb-0">kecamatan', html)


def test_admin_sistem_gets_links_to_audit_calendar_and_export(admin_client):
    response = admin_client.get("/")
    assert title_and_role(response) == ("Beranda Admin sistem", "admin_sistem")
    html = response.content.decode()
    for url in ("/audit/", "/kalender/", "/audit/nik/"):
        assert f'href="{url}"' in html


def test_account_without_role_is_told_whom_to_ask(outsider):
    response = client_for(outsider).get("/")
    assert title_and_role(response) == ("Beranda", "")
    html = response.content.decode()
    assert 'id="home-no-role"' in html
    assert 'id="staff-total"' not in html


def test_several_roles_are_listed_and_the_widest_names_the_page(regions, people):
    user = people["head"].user
    assign(user, "camat", region="72.01.01")
    response = client_for(user).get("/")
    assert title_and_role(response) == ("Beranda Camat", "camat")
    html = response.content.decode()
    assert re.search(r'data-roles="camat atasan pegawai"', html)
    assert 'id="card-pegawai"' in html and 'id="card-atasan"' in html and 'id="card-wilayah"' in html
