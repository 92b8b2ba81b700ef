"""Reads of the region tree. Region names, codes and population are public facts (no scope needed)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from layan.core.identifiers import REGION_CODE_RE
from layan.core.listing import search_q
from layan.core.scopes import code_prefix_q
from layan.regions.models import Region

# A search term made of digits and dots is a code (or the start of one), never a name.
_CODE_TERM_CHARS = set("0123456789.")


def region_exists(code: str) -> bool:
    return Region.objects.filter(code=code).exists()


def regions_under(code: str, level: int | None = None):
    """``code`` and everything inside it (one indexed prefix query)."""
    qs = Region.objects.filter(code_prefix_q("code", code))
    return qs.filter(level=level) if level else qs


def search_regions(
    term: str = "", *, level: int | None = None, parent: str | None = None, prefix: str | None = None
) -> QuerySet[Region]:
    """Regions matching ``term`` (every word in the name, or the start of a code such as ``72.01.0``),
    of ``level``, directly under ``parent`` and/or anywhere inside ``prefix``; ordered by code."""
    qs = Region.objects.all()
    term = (term or "").strip()
    if term and set(term) <= _CODE_TERM_CHARS:
        qs = qs.filter(code__startswith=term)
    elif term:
        qs = qs.filter(search_q(term, ["name"]))
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    if prefix:
        qs = qs.filter(code_prefix_q("code", prefix))
    return qs.order_by("code")


def get_region(code: str) -> Region | None:
    if not REGION_CODE_RE.fullmatch(code or ""):
        return None
    return Region.objects.select_related("parent").filter(code=code).first()


def get_region_or_404(code: str) -> Region:
    region = get_region(code)
    if region is None:
        raise Http404
    return region


def ancestor_codes(code: str) -> list[str]:
    """``72.01.05.2001`` → ``["72", "72.01", "72.01.05"]`` (top first, the code itself excluded)."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def ancestors(code: str) -> list[Region]:
    """The regions above ``code``, provinsi first (for breadcrumbs); one query."""
    codes = ancestor_codes(code)
    if not codes:
        return []
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def children(code: str) -> QuerySet[Region]:
    """The regions directly inside ``code``, by code."""
    return Region.objects.filter(parent_id=code).order_by("code")


def descendant_counts(code: str) -> dict[int, int]:
    """{level: how many regions of that level lie inside ``code``} (e.g. 24 kecamatan, 337 desa)."""
    rows = (
        regions_under(code)
        .exclude(code=code)
        .order_by()
        .values("level")
        .annotate(count=Count("code"))
        .values_list("level", "count")
    )
    return dict(rows)


def region_names(codes) -> dict[str, str]:
    """{code: name} for many codes in one query (to label codes stored elsewhere)."""
    codes = {c for c in codes if c}
    if not codes:
        return {}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def region_population(code: str) -> int | None:
    """The population counted for exactly this region, or None when it is not known.

    No fallback to a larger region: a rate for a kecamatan divided by its kabupaten's population
    would be wrong by an order of magnitude."""
    return Region.objects.filter(code=code).values_list("population", flat=True).first()


def per_100k(count: int | float, population: int | None) -> float | None:
    """``count`` per 100,000 people, or None when the population is unknown or zero."""
    if not population:
        return None
    return count * 100_000 / population


def rate_per_100k(count: int | float, code: str) -> float | None:
    """``count`` (cases, deaths…) per 100,000 people of region ``code`` (PPKM levels, DOMAIN.md)."""
    return per_100k(count, region_population(code))
