"""Public pages of the region tree (public facts: no login, read-only)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from layan.core.calendar import zone_for_region, zone_label
from layan.core.exports import download
from layan.core.listing import paginate, querystring_without
from layan.regions import selectors
from layan.regions.forms import RegionFilterForm
from layan.regions.models import Region

PER_PAGE = 50
# A public page must not build a 90,000-row workbook on request; a filter narrows it.
EXPORT_LIMIT = 20_000
EXPORT_FORMATS = ("xlsx", "csv")


def _export(queryset, fmt: str):
    headers = [
        _("Kode"),
        _("Nama"),
        _("Jenis"),
        _("Kode induk"),
        _("Jumlah penduduk"),
        _("Tahun data penduduk"),
    ]
    rows = (
        (r.code, r.name, str(r.kind_label), r.parent_id or "", r.population, r.population_year)
        for r in queryset.iterator(chunk_size=2000)
    )
    return download(pgettext("plural", "wilayah"), headers, rows, fmt)


@require_safe
def region_list(request):
    form = RegionFilterForm(request.GET or None)
    error = ""
    parent = None
    if form.is_bound and not form.is_valid():
        queryset = Region.objects.none()
        error = _("Filter belum benar. Periksa isian yang ditandai.")
    else:
        data = form.cleaned_data if form.is_bound else {}
        queryset = selectors.search_regions(
            data.get("q", ""), level=data.get("level"), parent=data.get("parent") or None
        )
        if data.get("parent"):
            parent = selectors.get_region(data["parent"])
            if parent is None:
                error = _("Kode induk %(code)s tidak dikenal.") % {"code": data["parent"]}
    export = request.GET.get("export")
    if export and not error:
        if export not in EXPORT_FORMATS:
            error = _("Format unduhan tidak dikenal: pilih xlsx atau csv.")
        elif (count := queryset.count()) > EXPORT_LIMIT:
            error = _(
                "Terlalu banyak baris untuk diunduh (%(count)s; maksimal %(limit)s). Persempit dengan filter."
            ) % {
                "count": number_format(count, force_grouping=True),
                "limit": number_format(EXPORT_LIMIT, force_grouping=True),
            }
        else:
            return _export(queryset, export)
    status = 400 if error and (form.errors or export) else 200
    context = {
        "form": form,
        "page": paginate(request, queryset, per_page=PER_PAGE),
        "qs": querystring_without(request, "page", "export"),
        "error": error,
        "parent": parent,
        "parent_ancestors": selectors.ancestors(parent.code) if parent else [],
        "home_code": settings.LAYAN_REGION_CODE,
    }
    return render(request, "regions/region_list.html", context, status=status)


@require_safe
def region_detail(request, code: str):
    region = selectors.get_region_or_404(code)
    counts = selectors.descendant_counts(region.code)
    labels = dict(Region.Level.choices)
    context = {
        "region": region,
        "ancestors": selectors.ancestors(region.code),
        "children": list(selectors.children(region.code)),
        "counts": [(labels[level], counts[level]) for level in sorted(counts)],
        "zone": zone_label(zone_for_region(region.code)),
    }
    return render(request, "regions/region_detail.html", context)
