"""Lists written once: search, filters, pagination and the export links of every list page.

    page = paginate(request, queryset, per_page=25)
    return render(request, "org/employee_list.html", {"page": page, "filters": form, ...})

Templates include ``core/_pagination.html`` with ``page`` and ``core/_export_links.html``.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet


def search_q(term: str, fields: list[str]) -> Q:
    """Every word of ``term`` must appear in one of ``fields`` (case-insensitive)."""
    condition = Q()
    for word in (term or "").split()[:8]:
        word_q = Q()
        for field in fields:
            word_q |= Q(**{f"{field}__icontains": word})
        condition &= word_q
    return condition


def paginate(request, queryset: QuerySet, per_page: int = 25):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def querystring_without(request, *keys: str) -> str:
    """The current query string without ``keys`` (for pagination and export links)."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    encoded = params.urlencode()
    return f"&{encoded}" if encoded else ""
