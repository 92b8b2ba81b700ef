"""Reads of the region tree. Region names and codes are public facts (no scope needed)."""

from __future__ import annotations

from layan.core.scopes import code_prefix_q
from layan.regions.models import Region


def region_exists(code: str) -> bool:
    return Region.objects.filter(code=code).exists()


def regions_under(code: str, level: int | None = None):
    """``code`` and everything inside it (one indexed prefix query)."""
    qs = Region.objects.filter(code_prefix_q("code", code))
    return qs.filter(level=level) if level else qs
