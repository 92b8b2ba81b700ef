"""Fixtures of the core pages: accounts for the roles the shared personas do not cover, and the
English catalog compiled (``make translations`` does it for ``make test``; a bare pytest run needs it too)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

from layan.conftest import assign, client_for, make_user, verified_client_for

_LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.fixture(scope="session", autouse=True)
def _compiled_core_catalog():
    for po_path in _LOCALE.rglob("*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    # Catalogs are cached per process: drop any loaded before the .mo existed.
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
    translation.activate("id")
    yield


@pytest.fixture
def admin_sistem(regions):
    user = make_user("admin.sistem")
    assign(user, "admin_sistem", region="72.01")
    return user


@pytest.fixture
def admin_client(admin_sistem):
    return verified_client_for(admin_sistem)


@pytest.fixture
def pimpinan(regions):
    user = make_user("bupati")
    assign(user, "pimpinan", region="72.01")
    return user


@pytest.fixture
def camat_client(camat):
    return client_for(camat)
