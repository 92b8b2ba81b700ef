"""How the aid pages write money and times: one way everywhere.

- ``rupiah``: ``Rp75.000`` (dots between thousands, the Indonesian way, in every language of the UI).
- ``desa_time``: a moment in the desa's own zone (WIB/WITA/WIT) with the zone named, because an officer in
  the kabupaten office and a phone in the desa must read the same clock time for one handover.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from layan.core import calendar

register = template.Library()


@register.filter
def thousands(value) -> str:
    """``75000`` as ``75.000`` (a column already headed "(Rp)"); sen, if any, after a comma."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    cents = amount - whole
    text = f"{whole:,}".replace(",", ".")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return f"{sign}{text}"


@register.filter
def rupiah(value) -> str:
    """``75000`` as ``Rp75.000``."""
    text = thousands(value)
    if not text or not text.lstrip("-")[:1].isdigit():
        return text
    return f"-Rp{text[1:]}" if text.startswith("-") else f"Rp{text}"


@register.filter
def desa_time(value, region_code: str = "") -> str:
    """``value`` (an aware datetime) as ``dd-mm-YYYY HH:MM`` in the zone of ``region_code``, zone named."""
    if not value:
        return ""
    zone = calendar.zone_for_region(region_code or None)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    local = value.astimezone(zone)
    return f"{date_format(local, 'd-m-Y H:i')} {calendar.zone_label(zone)}"


@register.filter
def desa_date(value, region_code: str = "") -> str:
    """The calendar day of ``value`` in the desa's zone (``dd-mm-YYYY``)."""
    if not value:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return date_format(value.astimezone(calendar.zone_for_region(region_code or None)), "d-m-Y")


@register.simple_tag
def max_video_seconds() -> int:
    """The longest handover video accepted (``LAYAN_MAX_VIDEO_SECONDS``), for the forms to check it too."""
    from django.conf import settings

    return settings.LAYAN_MAX_VIDEO_SECONDS
