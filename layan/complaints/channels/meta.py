"""Meta webhooks: the WhatsApp Business Cloud API and Messenger/Instagram messaging. Same envelope
(``object``, ``entry``), same signature (X-Hub-Signature-256 with the app secret)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class ParsedMessage:
    channel: str
    external_id: str
    sender: str
    sender_name: str
    body: str
    received_at: datetime | None
    subject: str = ""


def _at(timestamp) -> datetime | None:
    try:
        value = int(timestamp)
    except (TypeError, ValueError):
        return None
    if value > 10**11:  # Messenger sends milliseconds
        value //= 1000
    return datetime.fromtimestamp(value, tz=UTC)


def parse_whatsapp(payload: dict) -> list[ParsedMessage]:
    """Text, image/document captions, and the location a citizen shares; statuses are ignored."""
    messages = []
    for entry in payload.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            names = {
                c.get("wa_id"): (c.get("profile") or {}).get("name", "") for c in value.get("contacts") or []
            }
            for item in value.get("messages") or []:
                kind = item.get("type")
                if kind == "text":
                    body = (item.get("text") or {}).get("body", "")
                elif kind in {"image", "document", "video"}:
                    body = (item.get(kind) or {}).get("caption", "") or f"[{kind}]"
                elif kind == "location":
                    loc = item.get("location") or {}
                    body = (
                        f"[lokasi] {loc.get('latitude')},{loc.get('longitude')} {loc.get('name', '')}".strip()
                    )
                elif kind == "button":
                    body = (item.get("button") or {}).get("text", "")
                else:
                    body = f"[{kind}]"
                sender = str(item.get("from", ""))
                messages.append(
                    ParsedMessage(
                        "whatsapp",
                        str(item.get("id", "")),
                        sender,
                        names.get(sender, ""),
                        body,
                        _at(item.get("timestamp")),
                    )
                )
    return [m for m in messages if m.external_id]


def parse_messenger(payload: dict) -> list[ParsedMessage]:
    """Facebook Page (``object: page``) and Instagram (``object: instagram``) direct messages."""
    channel = "instagram" if payload.get("object") == "instagram" else "facebook"
    messages = []
    for entry in payload.get("entry") or []:
        for event in entry.get("messaging") or []:
            message = event.get("message") or {}
            if not message or message.get("is_echo"):
                continue  # our own replies come back as echoes
            body = message.get("text", "")
            if not body and message.get("attachments"):
                body = "[" + ", ".join(a.get("type", "lampiran") for a in message["attachments"]) + "]"
            messages.append(
                ParsedMessage(
                    channel,
                    str(message.get("mid", "")),
                    str((event.get("sender") or {}).get("id", "")),
                    "",
                    body,
                    _at(event.get("timestamp")),
                )
            )
    return [m for m in messages if m.external_id]


def parse_body(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not JSON") from exc
    if not isinstance(data, dict):
        raise ValueError("not an object")
    return data
