"""Fixtures of the organisation tests (the personas come from layan/conftest.py)."""

from __future__ import annotations

import pytest

from layan.conftest import client_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Import uploads and reports go to a throw-away folder, never var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _indonesian():
    """Service messages are checked in Indonesian; a request in English must not leak its language."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture
def camat_client(camat):
    return client_for(camat)


@pytest.fixture
def sibling_client(sibling):
    return client_for(sibling)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


@pytest.fixture
def head_client(people):
    return client_for(people["head"].user)


@pytest.fixture
def staff_client(people):
    return client_for(people["staff"].user)


def nip(birth: str, tmt: str, sex: str, serial: str) -> str:
    """A NIP from its parts: YYYYMMDD birth + YYYYMM appointment + sex (1/2) + 3-digit serial."""
    return f"{birth}{tmt}{sex}{serial}"
