"""Channel adapters: each turns what a provider sends into ``services.message_receive`` calls after
checking the provider's signature. An adapter is switched on by its settings (secret configured); off, its
webhook answers 404. Payload formats are the providers' own (recorded samples in tests/payloads/)."""

from __future__ import annotations

from django.conf import settings


def setting(name: str) -> str:
    return str(getattr(settings, name, "") or "")


class BadSignature(Exception):
    """The request does not carry the provider's valid signature: refused, nothing stored."""
