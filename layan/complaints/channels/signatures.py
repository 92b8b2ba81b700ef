"""Webhook signatures, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from layan.complaints.channels import BadSignature


def check_hub_signature_256(*, secret: str, body: bytes, header: str) -> None:
    """Meta (WhatsApp Cloud API, Facebook, Instagram): ``X-Hub-Signature-256: sha256=<hex HMAC of body>``."""
    if not secret or not header or not header.startswith("sha256="):
        raise BadSignature("missing signature")
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, header.removeprefix("sha256=").strip()):
        raise BadSignature("signature mismatch")


def check_mailgun_signature(
    *,
    signing_key: str,
    timestamp: str,
    token: str,
    signature: str,
    max_age_seconds: int = 900,
    now: float | None = None,
) -> None:
    """Mailgun inbound routes: hex HMAC-SHA256 of timestamp+token with the webhook signing key, recent."""
    if not signing_key or not (timestamp and token and signature):
        raise BadSignature("missing signature")
    try:
        age = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError as exc:
        raise BadSignature("bad timestamp") from exc
    if age > max_age_seconds:
        raise BadSignature("stale timestamp")
    expected = hmac.new(signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise BadSignature("signature mismatch")


def twilio_signature(*, auth_token: str, url: str, params: dict[str, str]) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()).decode()


def check_twilio_signature(*, auth_token: str, url: str, params: dict[str, str], header: str) -> None:
    """Twilio-compatible SMS gateways: ``X-Twilio-Signature`` = base64 HMAC-SHA1 of URL + sorted params."""
    if not auth_token or not header:
        raise BadSignature("missing signature")
    if not hmac.compare_digest(twilio_signature(auth_token=auth_token, url=url, params=params), header):
        raise BadSignature("signature mismatch")
