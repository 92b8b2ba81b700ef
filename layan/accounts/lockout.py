"""What a locked-out client sees (settings.AXES_LOCKOUT_CALLABLE): a page or, under /api/, the API
error format — with the time at which they may try again."""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

LOCKOUT_STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request) or timedelta(minutes=15)
    # The cool-off restarts with every attempt made while locked, so it counts from now.
    retry_at = timezone.localtime(timezone.now() + cool_off)
    minutes = max(int(cool_off.total_seconds() // 60), 1)
    retry_text = formats.time_format(retry_at, "H:i")
    message = _(
        "Terlalu banyak percobaan masuk yang gagal untuk akun ini dari perangkat/jaringan ini. "
        "Coba lagi setelah pukul %(time)s (%(minutes)s menit lagi), atau atur ulang kata sandi."
    ) % {"time": retry_text, "minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"code": "locked_out", "message": message, "fields": {}}, status=LOCKOUT_STATUS
        )
    else:
        response = render(
            request,
            settings.AXES_LOCKOUT_TEMPLATE,
            {"retry_at": retry_at, "minutes": minutes, "message": message},
            status=LOCKOUT_STATUS,
        )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
