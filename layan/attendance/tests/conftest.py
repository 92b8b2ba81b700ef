"""Fixtures of the attendance tests: an office geofence for Kecamatan Toili, a controllable clock, selfies."""

from __future__ import annotations

import io
import random
import uuid
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from layan.core.calendar import WITA
from layan.org.models import OfficeLocation

OFFICE_LAT, OFFICE_LON = Decimal("-1.400000"), Decimal("122.400000")


@pytest.fixture
def office(units):
    return OfficeLocation.objects.create(
        unit=units["kec_toili"],
        name="Kantor Camat Toili",
        latitude=OFFICE_LAT,
        longitude=OFFICE_LON,
        radius_m=100,
    )


class Clock:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.now = None

    def set(self, value: datetime) -> datetime:
        self.now = value
        self.monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)
        return value


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def wita(y, m, d, hh, mm, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=WITA)


def selfie_bytes(seed: int = 1, brightness: int = 0) -> bytes:
    """A distinct synthetic picture per seed (no face), as JPEG."""
    rng = random.Random(seed)
    image = Image.new("RGB", (240, 320), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(200), rng.randrange(280)
        draw.rectangle(
            [x, y, x + rng.randrange(20, 120), y + rng.randrange(20, 120)],
            fill=tuple(min(255, rng.randrange(256) + brightness) for _ in range(3)),
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def selfie_file(seed: int = 1, brightness: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile("selfie.jpg", selfie_bytes(seed, brightness), content_type="image/jpeg")


def checkin_kwargs(**overrides) -> dict:
    data = {
        "kind": "in",
        "client_uuid": uuid.uuid4(),
        "latitude": OFFICE_LAT,
        "longitude": OFFICE_LON,
        "accuracy_m": 15,
        "fix_age_s": 5,
        "mock_location": False,
        "device_id": "device-staf-1",
        "selfie": selfie_file(),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
