"""``manage.py rotate_field_keys``: every encrypted value ends up under the newest key, so the old key can
be removed from LAYAN_FIELD_KEYS without losing a single NIK."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from layan.core.personal_data import _fernet, keyed_hash
from layan.org.models import Employee

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def keys():
    """Switch LAYAN_FIELD_KEYS; the MultiFernet is cached per process, so clear it each time."""
    overrides = []

    def use(*field_keys):
        override = override_settings(LAYAN_FIELD_KEYS=list(field_keys))
        override.enable()
        overrides.append(override)
        _fernet.cache_clear()

    yield use
    for override in reversed(overrides):
        override.disable()
    _fernet.cache_clear()


def raw_niks() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, nik FROM org_employee ORDER BY id")
        return dict(cursor.fetchall())


def test_rotation_re_encrypts_every_value_with_the_newest_key(keys, units):
    keys(OLD_KEY)
    from layan.conftest import make_employee

    niks = ["7201014506900003", "7201011001920004", "7201021205880005"]
    for i, nik in enumerate(niks):
        make_employee(units["kec_toili"], f"Pegawai {i}", f"19900605201503200{i + 1}", nik=nik)
    Employee.objects.create(
        kind=Employee.Kind.NON_ASN,
        name="Tanpa NIK",
        nik="",
        sex="L",
        birth_date="1990-01-01",
        unit=units["kec_toili"],
        employment_start="2020-01-01",
    )
    before = raw_niks()

    keys(NEW_KEY, OLD_KEY)
    out = StringIO()
    call_command("rotate_field_keys", "--batch-size", "2", stdout=out)
    output = out.getvalue()
    assert "org.Employee.nik: 3 re-encrypted, 0 failed" in output
    assert "Total: 3 values re-encrypted" in output

    after = raw_niks()
    for pk, token in after.items():
        if not before[pk]:
            assert token == ""  # empty values stay empty
            continue
        assert token != before[pk]
        Fernet(NEW_KEY.encode()).decrypt(token.encode())
        with pytest.raises(InvalidToken):
            Fernet(OLD_KEY.encode()).decrypt(token.encode())

    # The old key can go: every NIK still reads, and the lookup hash did not change.
    keys(NEW_KEY)
    assert sorted(Employee.objects.exclude(nik="").values_list("nik", flat=True)) == sorted(niks)
    assert Employee.objects.filter(nik_hash=keyed_hash(niks[1])).get().name == "Pegawai 1"


def test_values_no_key_can_read_are_reported_not_destroyed(keys, units):
    keys(OLD_KEY)
    from layan.conftest import make_employee

    make_employee(units["kec_toili"], "Pegawai", "199006052015032001")
    token = raw_niks()
    keys(NEW_KEY)  # the old key was removed too early
    out, err = StringIO(), StringIO()
    call_command("rotate_field_keys", stdout=out, stderr=err)
    assert "org.Employee.nik: 0 re-encrypted, 1 failed" in out.getvalue()
    assert "keep the old keys" in err.getvalue()
    assert raw_niks() == token
