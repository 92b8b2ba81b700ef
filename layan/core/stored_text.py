"""Messages kept in the database — a check-in's reasons, an import's rejected-row reasons, a round's
conflicts, a record's data warnings — are written by a worker or a request in one language and read later
by people in another. So they are stored as their untranslated wording and its values, and put into words
in the reader's language when shown. Every module keeps such messages this one way:

    reason = message(N_("Kode desa %(code)s tidak dikenal."), code=desa)   # stored (JSON)
    shown(reason)                                                          # "Village code 72.01… is unknown."

A value may itself be a message (or a list of them), translated with it. A plain string is shown as it is:
text stored before this mechanism, or text that was never a message.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy


def message(text: str, **params) -> dict:
    """A message to store. ``text`` is the wording marked with ``N_`` (``gettext_noop``) so it is in the
    catalogue; ``params`` are its values: numbers, names, or messages."""
    return {"text": text, "params": params} if params else {"text": text}


def shown(value) -> str:
    """A stored message (or a list of them, joined by spaces) in the active language."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(shown(item) for item in value)
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    text = value.get("text")
    if not text:
        return value.get("message") or value.get("code") or ""
    params = value.get("params")
    if not params:
        return gettext(text)
    values = {name: shown(v) if isinstance(v, dict | list) else v for name, v in params.items()}
    try:
        return _with_local_decimals(gettext(text), values)
    except (KeyError, TypeError, ValueError):
        # A translation whose placeholders drifted from its wording: the wording itself still reads.
        return _with_local_decimals(text, values)


_DECIMALS = re.compile(r"%\((\w+)\)\.(\d)f")


def _with_local_decimals(wording: str, values: dict) -> str:
    """``wording % values``, a ``%(score).2f`` written the reader's way (``0,97`` in Indonesian, ``0.97``
    in English) as the rest of the page writes numbers."""
    local = dict(values)

    def written(match: re.Match) -> str:
        name, places = match.group(1), int(match.group(2))
        if not isinstance(values.get(name), int | float):
            return match.group(0)
        local[f"{name}.{places}"] = number_format(round(values[name], places), places)  # it cuts, not rounds
        return f"%({name}.{places})s"

    return _DECIMALS.sub(written, wording) % local


def shown_all(values) -> list[str]:
    return [shown(value) for value in values or ()]


def error(text: str, code: str, /, **params) -> ValidationError:
    """A ValidationError that forms show in the reader's language and that ``from_error`` can store as
    a message (Django keeps only the translated text otherwise)."""
    exc = ValidationError(gettext_lazy(text), code=code, params=params or None)
    exc.wording = text
    return exc


def from_error(exc: ValidationError) -> list[dict | str]:
    """The messages of ``exc`` to store: as messages when raised with ``error``, else as their text."""
    stored = []
    for item in exc.error_list:
        wording = getattr(item, "wording", None)
        if wording is not None:
            stored.append(message(wording, **(item.params or {})))
        else:
            stored.extend(ValidationError([item]).messages)
    return stored
