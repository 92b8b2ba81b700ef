"""Every read of complaints. Officers' reads go through the scope mechanism (outside it: 404); public reads
never include confidential cases, cases still unverified or refused, nor anything about the reporter."""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from layan.complaints.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Category,
    Clock,
    InboundMessage,
    ResponseTemplate,
    State,
)
from layan.core.calendar import working_days_between, zone_for_region
from layan.core.listing import search_q
from layan.core.scopes import code_prefix_q, get_in_scope_or_404, require_permission, scoped

HANDLE = "complaints.handle"
VERIFY = "complaints.verify"
STATS = "complaints.view_stats"
# Shown publicly: verified and not refused; never confidential.
PUBLIC_STATES = [
    State.DIVERIFIKASI,
    State.DIDISPOSISIKAN,
    State.DIPROSES,
    State.MENUNGGU_PELAPOR,
    State.SELESAI,
    State.DITUTUP,
]


def categories(active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.select_related("unit")
    return qs.filter(is_active=True) if active_only else qs


def cases_for(actor, permission: str = HANDLE) -> QuerySet[Case]:
    require_permission(actor, permission)
    return scoped(
        Case.objects.select_related("category", "assigned_unit", "assigned_officer"), actor, permission
    )


def case_for(actor, code: str, permission: str = HANDLE) -> Case:
    require_permission(actor, permission)
    return get_in_scope_or_404(
        Case.objects.select_related(
            "category", "assigned_unit", "assigned_officer", "duplicate_of", "suggested_category"
        ),
        actor,
        permission,
        code=code,
    )


def can(actor, case: Case, permission: str) -> bool:
    return scoped(Case.objects.filter(pk=case.pk), actor, permission).exists()


def filter_cases(qs: QuerySet[Case], params) -> QuerySet[Case]:
    """The inbox filters: search (code, title), state, kind, channel, category, unit, overdue."""
    term = (params.get("q") or "").strip()
    if term:
        code = term.upper()
        qs = qs.filter(Q(code=code) | search_q(term, ["title"]))
    for field in ("state", "kind", "channel"):
        value = params.get(field)
        if value:
            qs = qs.filter(**{field: value})
    if params.get("category"):
        qs = qs.filter(category__code=params["category"])
    if (params.get("unit") or "").isdigit():
        qs = qs.filter(assigned_unit_id=int(params["unit"]))
    if params.get("overdue") == "1":
        qs = overdue(qs)
    if params.get("open") == "1":
        qs = qs.filter(state__in=OPEN_STATES)
    return qs


def overdue(qs: QuerySet[Case], now: datetime | None = None) -> QuerySet[Case]:
    """Cases whose running clock has passed (a paused clock never is; auto-close is not a lateness)."""
    return (
        qs.filter(state__in=OPEN_STATES, due_at__lt=now or timezone.now())
        .exclude(clock__in=[Clock.NONE, Clock.AUTO_CLOSE])
        .order_by("due_at")
    )


def timeline(case: Case, *, public_only: bool) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor")
    return events.filter(is_public=True) if public_only else events


def similar_open_cases(
    *,
    category: Category | None,
    region_code: str,
    text: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list[Case]:
    """Open, public cases of the same category in the same desa or within ~500 m, most alike first
    ("subscribe instead"). Confidential cases are never suggested: that would reveal them."""
    if category is None:
        return []
    since = timezone.now() - timedelta(days=90)
    qs = Case.objects.filter(
        category=category,
        is_confidential=False,
        received_at__gte=since,
        state__in=[State.BARU, *PUBLIC_STATES[:-1]],
    )
    place = Q(region_code=region_code)
    if latitude is not None and longitude is not None:
        lat, lon = float(latitude), float(longitude)
        dlat = 0.0045  # ~500 m
        dlon = dlat / max(math.cos(math.radians(lat)), 0.1)
        place |= Q(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon))
    qs = qs.filter(place)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    candidates = list(qs.only("code", "title", "description", "state", "received_at", "region_code")[:200])
    words = set(re.findall(r"[a-z]{4,}", (text or "").lower()))

    def overlap(case: Case) -> float:
        other = set(re.findall(r"[a-z]{4,}", f"{case.title} {case.description}".lower()))
        return len(words & other) / (len(words | other) or 1)

    return sorted(candidates, key=lambda c: (-overlap(c), -c.received_at.timestamp()))[:limit]


# --- the public side ---------------------------------------------------------------------------------------


def case_by_code(code: str) -> Case:
    """The tracking page: whoever holds the code sees the status and public replies (never a 404 hint about
    whether a similar code exists)."""
    code = (code or "").strip().upper()
    case = Case.objects.select_related("category", "assigned_unit", "duplicate_of").filter(code=code).first()
    if case is None:
        raise Http404
    return case


def public_cases() -> QuerySet[Case]:
    return Case.objects.filter(is_confidential=False, state__in=PUBLIC_STATES).select_related(
        "category", "assigned_unit"
    )


def public_region_names(codes) -> dict[str, str]:
    from layan.regions.models import Region

    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))


@dataclass
class UnitStats:
    unit_id: int | None
    unit_name: str
    volume: int
    answered: int
    on_time_share: float | None
    median_answer_days: float | None
    satisfaction: float | None
    ranked: bool


def unit_statistics(qs: QuerySet[Case], *, minimum_volume: int | None = None) -> list[UnitStats]:
    """Per unit: volume, share answered on time, median working days to the first answer, satisfaction.
    Units under the minimum volume are listed but not ranked (FixMyStreet #1957)."""
    minimum_volume = (
        minimum_volume
        if minimum_volume is not None
        else getattr(settings, "LAYAN_COMPLAINTS_MIN_RANK_VOLUME", 10)
    )
    rows = list(
        qs.filter(assigned_unit__isnull=False).values_list(
            "assigned_unit_id",
            "assigned_unit__name",
            "routed_at",
            "first_answer_at",
            "answer_due",
            "rating",
            "region_code",
        )
    )
    grouped: dict[int, list] = {}
    names: dict[int, str] = {}
    for unit_id, name, routed, answered, due, rating, region in rows:
        grouped.setdefault(unit_id, []).append((routed, answered, due, rating, region))
        names[unit_id] = name
    result = []
    for unit_id, items in grouped.items():
        answered = [i for i in items if i[1] is not None]
        on_time = [i for i in answered if i[2] is None or i[1] <= i[2]]
        days = []
        for routed, first, _due, _rating, region in answered:
            if routed:
                zone = zone_for_region(region)
                days.append(
                    max(
                        working_days_between(
                            routed.astimezone(zone).date(), first.astimezone(zone).date(), region
                        ),
                        0,
                    )
                )
        ratings = [i[3] for i in items if i[3]]
        result.append(
            UnitStats(
                unit_id,
                names[unit_id],
                len(items),
                len(answered),
                round(len(on_time) / len(answered), 3) if answered else None,
                statistics.median(days) if days else None,
                round(sum(ratings) / len(ratings), 2) if ratings else None,
                len(items) >= minimum_volume,
            )
        )
    ranked = sorted([r for r in result if r.ranked], key=lambda r: (-(r.on_time_share or 0), -r.volume))
    return ranked + sorted([r for r in result if not r.ranked], key=lambda r: r.unit_name)


# --- leaders and inbox -----------------------------------------------------------------------------------


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = zone_for_region(settings.LAYAN_REGION_CODE)
    return (datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end, time.max, tzinfo=zone))


def leaders_summary(actor, *, start: date, end: date, kecamatan: str = "") -> dict:
    """Inflow by channel and category, backlog and overdue per unit, time to first answer, satisfaction,
    weekly trend, for the period and (optionally) one kecamatan."""
    qs = cases_for(actor, STATS)
    if kecamatan:
        qs = qs.filter(code_prefix_q("region_code", kecamatan))
    lower, upper = period_bounds(start, end)
    inflow = qs.filter(received_at__range=(lower, upper))
    by_channel = list(inflow.values("channel").annotate(n=Count("id")).order_by("-n"))
    by_category = list(
        inflow.values("category__code", "category__name").annotate(n=Count("id")).order_by("-n")
    )
    now = timezone.now()
    backlog = list(
        qs.filter(state__in=OPEN_STATES)
        .values("assigned_unit__name")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_at__lt=now) & ~Q(clock__in=[Clock.NONE, Clock.AUTO_CLOSE])),
        )
        .order_by("-open")
    )
    stats = unit_statistics(inflow)
    answered = inflow.filter(first_answer_at__isnull=False)
    hours = [
        (b - a).total_seconds() / 3600
        for a, b in answered.values_list("received_at", "first_answer_at")[:20000]
    ]
    trend: dict[str, int] = {}
    for received in inflow.values_list("received_at", flat=True)[:100000]:
        week = received.astimezone(zone_for_region(settings.LAYAN_REGION_CODE)).date()
        week = week - timedelta(days=week.weekday())
        trend[week.isoformat()] = trend.get(week.isoformat(), 0) + 1
    return {
        "total": inflow.count(),
        "by_channel": by_channel,
        "by_category": by_category,
        "backlog": backlog,
        "units": stats,
        "median_hours_to_first_answer": round(statistics.median(hours), 1) if hours else None,
        "satisfaction": inflow.aggregate(avg=Avg("rating"))["avg"],
        "trend": sorted(trend.items()),
    }


def inbox_messages(actor, params=None) -> QuerySet[InboundMessage]:
    require_permission(actor, VERIFY)
    qs = scoped(InboundMessage.objects.select_related("case"), actor, VERIFY)
    params = params or {}
    status = params.get("status", InboundMessage.Status.NEW)
    if status:
        qs = qs.filter(status=status)
    if params.get("channel"):
        qs = qs.filter(channel=params["channel"])
    return qs


def message_for(actor, pk: int) -> InboundMessage:
    require_permission(actor, VERIFY)
    return get_in_scope_or_404(InboundMessage.objects.select_related("case"), actor, VERIFY, pk=pk)


def response_templates_for(case: Case) -> dict[str, list[dict]]:
    """Active templates offered for the case's current state, per action, with the case's values filled in."""
    offers: dict[str, list[dict]] = {}
    for template in ResponseTemplate.objects.filter(state=case.state, is_active=True):
        offers.setdefault(template.action, []).append(
            {"pk": template.pk, "name": template.name, "text": template.render_for(case)}
        )
    return offers
