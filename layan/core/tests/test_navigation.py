"""The menu: citizens see the public services; staff see what their roles allow."""

import pytest

from layan.conftest import client_for


@pytest.mark.django_db
def test_a_citizen_without_an_account_sees_the_public_services(client):
    html = client.get("/akun/masuk/").content.decode()
    for url in ("/pengaduan/", "/pengaduan/lacak/", "/pengaduan/publik/", "/bansos/cek/", "/bansos/galeri/"):
        assert f'href="{url}"' in html
    assert 'href="/audit/"' not in html


def test_a_camat_sees_employees_but_not_the_audit_trail(camat):
    html = client_for(camat).get("/").content.decode()
    assert 'href="/organisasi/pegawai/"' in html
    assert 'href="/audit/"' not in html
    assert 'href="/pengaduan/"' not in html  # the citizens' form is not in the work menu
