"""Webhooks of the channels. Each checks the provider's signature before reading anything; a bad or missing
signature is refused with 403 and nothing is stored. An adapter whose secret is not configured is off (404).
A payload that parses but holds no message (a delivery status) is acknowledged with 200 so the provider does
not retry it forever."""

from __future__ import annotations

import json
import logging

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from layan.complaints import services
from layan.complaints.channels import BadSignature, meta, setting
from layan.complaints.channels import email as email_channel
from layan.complaints.channels.signatures import (
    check_hub_signature_256,
    check_mailgun_signature,
    check_twilio_signature,
)

logger = logging.getLogger(__name__)
MAX_WEBHOOK_BYTES = 1024 * 1024


def _refused(reason: str) -> JsonResponse:
    logger.warning("complaints webhook refused", extra={"reason": reason})
    return JsonResponse(
        {"code": "bad_signature", "message": "Tanda tangan webhook tidak sah.", "fields": {}}, status=403
    )


def _bad_payload() -> JsonResponse:
    return JsonResponse(
        {"code": "invalid", "message": "Isi webhook tidak dapat dibaca.", "fields": {}}, status=400
    )


def receive_raw_email(raw: bytes):
    parsed = email_channel.parse_mime(raw)
    return services.message_receive(
        channel="email",
        external_id=parsed.external_id,
        sender=parsed.sender,
        sender_name=parsed.sender_name,
        subject=parsed.subject,
        body=parsed.body,
        raw=raw.decode("utf-8", errors="replace")[:200000],
        received_at=parsed.received_at,
    )


def _store(items, raw: str) -> int:
    count = 0
    for item in items:
        try:
            services.message_receive(
                channel=item.channel,
                external_id=item.external_id,
                sender=item.sender,
                sender_name=item.sender_name,
                body=item.body,
                raw=raw[:200000],
                received_at=item.received_at,
                subject=item.subject,
            )
            count += 1
        except ValidationError:
            logger.warning("complaints webhook message skipped", extra={"channel": item.channel})
    return count


def _meta_verify(request, token_setting: str) -> HttpResponse:
    """The subscription handshake: echo hub.challenge when hub.verify_token matches."""
    expected = setting(token_setting)
    if (
        request.GET.get("hub.mode") == "subscribe"
        and expected
        and request.GET.get("hub.verify_token") == expected
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponse("Forbidden", status=403, content_type="text/plain")


def _meta_webhook(request, *, secret_setting: str, token_setting: str, parser) -> HttpResponse:
    secret = setting(secret_setting)
    if not secret:
        raise Http404
    if request.method == "GET":
        return _meta_verify(request, token_setting)
    body = request.body
    if len(body) > MAX_WEBHOOK_BYTES:
        return _bad_payload()
    try:
        check_hub_signature_256(
            secret=secret, body=body, header=request.headers.get("X-Hub-Signature-256", "")
        )
    except BadSignature as exc:
        return _refused(str(exc))
    try:
        payload = meta.parse_body(body)
    except ValueError:
        return _bad_payload()
    stored = _store(parser(payload), body.decode("utf-8", errors="replace"))
    return JsonResponse({"received": stored})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    return _meta_webhook(
        request,
        secret_setting="LAYAN_WHATSAPP_APP_SECRET",
        token_setting="LAYAN_WHATSAPP_VERIFY_TOKEN",
        parser=meta.parse_whatsapp,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request):
    return _meta_webhook(
        request,
        secret_setting="LAYAN_META_APP_SECRET",
        token_setting="LAYAN_META_VERIFY_TOKEN",
        parser=meta.parse_messenger,
    )


@csrf_exempt
@require_POST
def email_webhook(request):
    """Inbound mail (Mailgun routes format: form fields, signed with the webhook signing key)."""
    key = setting("LAYAN_COMPLAINTS_EMAIL_WEBHOOK_KEY")
    if not key:
        raise Http404
    form = request.POST
    try:
        check_mailgun_signature(
            signing_key=key,
            timestamp=form.get("timestamp", ""),
            token=form.get("token", ""),
            signature=form.get("signature", ""),
        )
    except BadSignature as exc:
        return _refused(str(exc))
    parsed = email_channel.parse_mailgun_form(form)
    if not parsed.external_id or not parsed.sender:
        return _bad_payload()
    raw = json.dumps({k: form.get(k) for k in form if k not in {"signature", "token"}}, ensure_ascii=False)
    message = services.message_receive(
        channel="email",
        external_id=parsed.external_id,
        sender=parsed.sender,
        sender_name=parsed.sender_name,
        subject=parsed.subject,
        body=parsed.body,
        raw=raw[:200000],
    )
    return JsonResponse({"received": 1, "status": message.status})


@csrf_exempt
@require_POST
def sms_webhook(request):
    """Twilio-compatible SMS gateway: form fields From, Body, MessageSid; X-Twilio-Signature."""
    token = setting("LAYAN_SMS_AUTH_TOKEN")
    if not token:
        raise Http404
    params = {k: request.POST.get(k, "") for k in request.POST}
    url = setting("LAYAN_SMS_WEBHOOK_URL") or request.build_absolute_uri()
    try:
        check_twilio_signature(
            auth_token=token, url=url, params=params, header=request.headers.get("X-Twilio-Signature", "")
        )
    except BadSignature as exc:
        return _refused(str(exc))
    if not params.get("MessageSid") or not params.get("From"):
        return _bad_payload()
    services.message_receive(
        channel="sms",
        external_id=params["MessageSid"],
        sender=params["From"],
        body=params.get("Body", ""),
        raw=json.dumps(params, ensure_ascii=False),
    )
    # Twilio expects TwiML; an empty Response sends no automatic reply.
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml"
    )
