"""Email in: an inbound-mail webhook (Mailgun routes format) and an IMAP poller of a mailbox."""

from __future__ import annotations

import contextlib
import email
import email.policy
import imaplib
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr, parsedate_to_datetime

_QUOTE_HEADER = re.compile(r"^(On .+ wrote:|Pada .+ menulis:|-----Original Message-----)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedEmail:
    external_id: str
    sender: str
    sender_name: str
    subject: str
    body: str
    received_at: datetime | None


def strip_quoted(text: str) -> str:
    """The new part of a reply: drop quoted lines (``>``) and everything after "On … wrote:"."""
    kept = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if _QUOTE_HEADER.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def parse_mime(raw: bytes) -> ParsedEmail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    name, address = parseaddr(str(message.get("From", "")))
    part = message.get_body(preferencelist=("plain", "html"))
    body = part.get_content() if part is not None else ""
    if part is not None and part.get_content_type() == "text/html":
        body = re.sub(r"<[^>]+>", " ", body)
    try:
        received = parsedate_to_datetime(str(message.get("Date"))) if message.get("Date") else None
    except (TypeError, ValueError):
        received = None
    message_id = str(message.get("Message-ID", "")).strip() or f"nomsgid-{hash(raw)}"
    return ParsedEmail(
        message_id, address.lower(), name, str(message.get("Subject", "")), strip_quoted(body), received
    )


def parse_mailgun_form(form) -> ParsedEmail:
    name, address = parseaddr(form.get("from", "") or form.get("sender", ""))
    body = form.get("stripped-text") or strip_quoted(form.get("body-plain", ""))
    message_id = form.get("Message-Id") or form.get("message-id") or ""
    return ParsedEmail(
        message_id.strip(),
        (address or form.get("sender", "")).lower(),
        name,
        form.get("subject", ""),
        body.strip(),
        None,
    )


def fetch_unseen(
    *,
    host: str,
    user: str,
    password: str,
    folder: str = "INBOX",
    port: int = 993,
    limit: int = 200,
    imap_factory=imaplib.IMAP4_SSL,
) -> list[bytes]:
    """Raw messages not yet seen; fetching marks them seen so the next poll does not repeat them (and
    ``message_receive`` is idempotent on Message-ID anyway)."""
    connection = imap_factory(host, port)
    try:
        connection.login(user, password)
        connection.select(folder)
        status, data = connection.search(None, "UNSEEN")
        if status != "OK":
            return []
        raws = []
        for number in (data[0] or b"").split()[:limit]:
            status, parts = connection.fetch(number, "(RFC822)")
            if status == "OK" and parts and isinstance(parts[0], tuple):
                raws.append(parts[0][1])
        return raws
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
