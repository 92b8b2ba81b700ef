"""Messages out: email always; WhatsApp (Cloud API) and SMS (Twilio-compatible) when configured."""

from __future__ import annotations

import base64
import json
import logging
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from layan.complaints.channels import setting

logger = logging.getLogger(__name__)


def send_email(*, to: str, subject: str, body: str) -> bool:
    if not to:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    return True


def send_whatsapp(*, to: str, body: str, opener=urllib.request.urlopen) -> bool:
    token, phone_id = setting("LAYAN_WHATSAPP_TOKEN"), setting("LAYAN_WHATSAPP_PHONE_ID")
    if not (token and phone_id and to):
        return False
    data = json.dumps(
        {"messaging_product": "whatsapp", "to": to.lstrip("+"), "type": "text", "text": {"body": body[:4000]}}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - fixed https endpoint
        f"https://graph.facebook.com/v20.0/{phone_id}/messages",
        data=data,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with opener(request, timeout=20):
        return True


def send_sms(*, to: str, body: str, opener=urllib.request.urlopen) -> bool:
    sid, token, sender = (
        setting("LAYAN_SMS_ACCOUNT_SID"),
        setting("LAYAN_SMS_AUTH_TOKEN"),
        setting("LAYAN_SMS_FROM"),
    )
    if not (sid and token and sender and to):
        return False
    base = setting("LAYAN_SMS_API_BASE") or "https://api.twilio.com/2010-04-01"
    data = urllib.parse.urlencode({"To": to, "From": sender, "Body": body[:1500]}).encode()
    auth = base64.b64encode(f"{sid}:{token}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - configured https endpoint
        f"{base}/Accounts/{sid}/Messages.json",
        data=data,
        method="POST",
        headers={"Authorization": f"Basic {auth}"},
    )
    with opener(request, timeout=20):
        return True
