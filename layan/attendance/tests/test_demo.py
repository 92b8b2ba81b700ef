"""The attendance part of ``load_demo``: what a supervisor and the ``pegawai`` account are shown."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from layan.attendance.models import CheckIn, WorkFromHomeProfile
from layan.org.models import Employee

pytestmark = pytest.mark.django_db


def test_demo_shows_each_kind_of_doubtful_checkin_and_every_wfh_home_is_registered():
    call_command("load_demo", stdout=StringIO())
    signals = {s["code"] for c in CheckIn.objects.exclude(status=CheckIn.Status.ACCEPTED) for s in c.signals}
    assert {"mock_location", "selfie_reused", "outside_geofence"} <= signals
    pegawai = Employee.objects.get(user__username="pegawai")
    home = WorkFromHomeProfile.objects.get(employee=pegawai)
    assert home.home_latitude is not None and home.home_longitude is not None
