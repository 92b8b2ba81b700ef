"""Open311 GeoReport v2 server (http://wiki.open311.org/GeoReport_v2), JSON and XML, so that existing Open311
apps and clients work: discovery, services, service definitions, requests (GET with the spec's filters, POST
with an api_key) and one request. Confidential cases never appear; the reporter never appears."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET  # noqa: S405 - used only to *write* XML
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from layan.complaints import selectors, services
from layan.complaints.models import OPEN_STATES, Case, Category, Channel, Open311Client, State
from layan.core.calendar import zone_for_region

FORMATS = {"json", "xml"}
MAX_RESULTS = 1000
# Cases the public may see through Open311; "baru" too (a client must find what it just posted), but its
# description is withheld until an operator has verified it.
VISIBLE_STATES = [State.BARU, *selectors.PUBLIC_STATES]


def _zone():
    return zone_for_region(settings.LAYAN_REGION_CODE)


def _iso(value: datetime | None) -> str:
    return value.astimezone(_zone()).isoformat(timespec="seconds") if value else ""


def _xml(root_name: str, item_name: str, items: list[dict]) -> HttpResponse:
    root = ET.Element(root_name)
    for item in items:
        node = ET.SubElement(root, item_name)
        for key, value in item.items():
            child = ET.SubElement(node, key)
            if isinstance(value, list):
                for entry in value:
                    sub = ET.SubElement(child, "keyword" if key == "keywords" else "value")
                    sub.text = str(entry)
            elif isinstance(value, bool):
                child.text = "true" if value else "false"
            elif value is not None:
                child.text = str(value)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _render(fmt: str, root: str, item: str, items: list[dict], status: int = 200):
    if fmt == "xml":
        response = _xml(root, item, items)
        response.status_code = status
        return response
    return JsonResponse(items, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, code: int, description: str):
    return _render(fmt, "errors", "error", [{"code": code, "description": description}], status=code)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404


@require_GET
def discovery(request, fmt):
    _check_format(fmt)
    base = request.build_absolute_uri(reverse("open311:discovery", args=["json"])).rsplit("/", 1)[0] + "/"
    data = {
        "changeset": "2024-01-01T00:00:00+08:00",
        "contact": getattr(settings, "LAYAN_OPEN311_CONTACT", "") or f"{settings.LAYAN_REGION_NAME} — Layan",
        "key_service": getattr(settings, "LAYAN_OPEN311_KEY_SERVICE", "")
        or "Hubungi Diskominfo untuk api_key.",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2024-01-01T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    if fmt == "json":
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    root = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ET.SubElement(root, key).text = data[key]
    endpoints = ET.SubElement(root, "endpoints")
    for endpoint in data["endpoints"]:
        node = ET.SubElement(endpoints, "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(node, key).text = endpoint[key]
        formats = ET.SubElement(node, "formats")
        for value in endpoint["formats"]:
            ET.SubElement(formats, "format").text = value
    return HttpResponse(
        b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8"),
        content_type="text/xml; charset=utf-8",
    )


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": category.code,
        "group": str(category.unit or ""),
    }


@require_GET
def services_list(request, fmt):
    _check_format(fmt)
    return _render(fmt, "services", "service", [_service(c) for c in selectors.categories()])


@require_GET
def service_definition(request, code, fmt):
    _check_format(fmt)
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return _error(fmt, 404, "service_code tidak dikenal")
    # No extra attributes are asked (metadata false); the definition is the code with an empty list.
    if fmt == "xml":
        root = ET.Element("service_definition")
        ET.SubElement(root, "service_code").text = category.code
        ET.SubElement(root, "attributes")
        return HttpResponse(
            b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8"),
            content_type="text/xml; charset=utf-8",
        )
    return JsonResponse({"service_code": category.code, "attributes": []})


def _status(case: Case) -> str:
    return "open" if case.state in OPEN_STATES else "closed"


def _request(case: Case, names: dict[str, str]) -> dict:
    notes = ""
    if case.state in {State.DITOLAK, State.BUKAN_WEWENANG}:
        notes = case.reject_reason + (f" — {case.redirect_to}" if case.redirect_to else "")
    elif case.state == State.DUPLIKAT and case.duplicate_of_id:
        notes = f"Duplikat dari {case.duplicate_of.code}"
    else:
        notes = case.get_state_display()
    return {
        "service_request_id": case.code,
        "status": _status(case),
        "status_notes": notes,
        "service_name": case.category.name if case.category else "",
        "service_code": case.category.code if case.category else "",
        "description": "" if case.state == State.BARU else case.description,
        "agency_responsible": str(case.assigned_unit or ""),
        "service_notice": "",
        "requested_datetime": _iso(case.received_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _iso(case.due_at) if case.state in OPEN_STATES and case.due_at else "",
        "address": ", ".join(filter(None, [case.location_detail, names.get(case.region_code, "")])),
        "address_id": case.region_code,
        "zipcode": "",
        "lat": float(case.latitude) if case.latitude is not None else "",
        "long": float(case.longitude) if case.longitude is not None else "",
        "media_url": "",
    }


def _visible():
    return Case.objects.filter(is_confidential=False, state__in=VISIBLE_STATES).select_related(
        "category", "assigned_unit", "duplicate_of"
    )


def _parse_date(value: str) -> datetime | None:
    parsed = parse_datetime(value.replace(" ", "+")) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=_zone())
    return parsed


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request, fmt):
    _check_format(fmt)
    if request.method == "POST":
        return _post_request(request, fmt)
    params = request.GET
    qs = _visible()
    if params.get("service_request_id"):
        ids = [i.strip().upper() for i in params["service_request_id"].split(",") if i.strip()][:MAX_RESULTS]
        qs = qs.filter(code__in=ids)
    else:
        try:
            start = _parse_date(params.get("start_date", ""))
            end = _parse_date(params.get("end_date", ""))
        except ValueError:
            return _error(fmt, 400, "start_date/end_date harus ISO 8601 (w3c)")
        if (params.get("start_date") and start is None) or (params.get("end_date") and end is None):
            return _error(fmt, 400, "start_date/end_date harus ISO 8601 (w3c)")
        # The spec's default window: the last 90 days.
        if start is None and end is None:
            start = timezone.now() - timedelta(days=90)
        if start is not None:
            qs = qs.filter(received_at__gte=start)
        if end is not None:
            qs = qs.filter(received_at__lte=end)
        if params.get("service_code"):
            qs = qs.filter(category__code__in=[c.strip() for c in params["service_code"].split(",")])
        statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if statuses and not statuses <= {"open", "closed"}:
            return _error(fmt, 400, "status harus open atau closed")
        if statuses == {"open"}:
            qs = qs.filter(state__in=OPEN_STATES)
        elif statuses == {"closed"}:
            qs = qs.exclude(state__in=OPEN_STATES)
    cases = list(qs.order_by("-received_at")[:MAX_RESULTS])
    names = selectors.public_region_names(c.region_code for c in cases)
    return _render(fmt, "service_requests", "request", [_request(c, names) for c in cases])


@require_GET
def request_detail(request, request_id, fmt):
    _check_format(fmt)
    case = _visible().filter(code=request_id.strip().upper()).first()
    if case is None:
        return _error(fmt, 404, "service_request_id tidak ditemukan")
    names = selectors.public_region_names([case.region_code])
    return _render(fmt, "service_requests", "request", [_request(case, names)])


def _post_request(request, fmt):
    data = request.POST
    key = data.get("api_key", "")
    client = (
        Open311Client.objects.filter(
            key_hash=hashlib.sha256(key.encode()).hexdigest(), is_active=True
        ).first()
        if key
        else None
    )
    if client is None:
        return _error(fmt, 403, "api_key tidak sah")
    category = Category.objects.filter(code=data.get("service_code", ""), is_active=True).first()
    if category is None:
        return _error(fmt, 400, "service_code tidak dikenal")
    lat, lon = data.get("lat", ""), data.get("long", "")
    address_id = data.get("address_id", "")
    if not ((lat and lon) or data.get("address_string") or address_id):
        return _error(fmt, 400, "lokasi wajib: lat & long, address_string, atau address_id")
    try:
        latitude = float(lat) if lat else None
        longitude = float(lon) if lon else None
    except ValueError:
        return _error(fmt, 400, "lat/long harus angka")
    name = " ".join(filter(None, [data.get("first_name", ""), data.get("last_name", "")]))
    try:
        case = services.case_submit(
            actor=None,
            category=category,
            description=data.get("description", ""),
            region_code=address_id,
            location_detail=data.get("address_string", ""),
            latitude=latitude,
            longitude=longitude,
            reporter_name=name,
            reporter_email=data.get("email", ""),
            reporter_phone=data.get("phone", ""),
            channel=Channel.OPEN311,
            require_village=False,
            ip=f"open311:{client.pk}:{request.META.get('REMOTE_ADDR', '')}",
        )
    except services.RateLimited as exc:
        return _error(fmt, 429, exc.message)
    except ValidationError as exc:
        detail = (
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            if hasattr(exc, "error_dict")
            else " ".join(exc.messages)
        )
        return _error(fmt, 400, detail)
    return _render(
        fmt,
        "service_requests",
        "request",
        [{"service_request_id": case.code, "service_notice": "", "account_id": ""}],
        status=201,
    )
