"""The English catalogs checked against the code, without GNU gettext.

Every text is an Indonesian msgid; each app keeps English in ``layan/<app>/locale/en/.../django.po`` and
Django merges all catalogs, so a msgid is translated when any catalog translates it. This module collects
the msgids the code uses — Python calls of ``_``/``gettext``/``gettext_lazy``/``ngettext`` and
``pgettext``/``pgettext_lazy``/``npgettext`` through the AST (implicit concatenation included), templates'
``{% translate %}`` and ``{% blocktranslate %}`` by regex (with their ``context "..."``), converted the way
Django's extractor does (``{{ x }}`` → ``%(x)s``) — and compares them with the catalogs.

A msgid with a context is a different message: only an entry with the same ``msgctxt`` translates it. Such
strings are kept as ``"context\x04msgid"``, the key gettext itself uses (see ``key``).

Because Django merges the catalogs and the app listed first in INSTALLED_APPS wins, two apps translating
the same msgid (and context) differently means one of them shows the other's English: ``clashes`` lists them.

    .venv/bin/python -m layan.core.i18n_catalog [app]   # msgids without an English translation, placeholder
                                                       # mismatches, and msgids two apps translate differently
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import polib

LAYAN = Path(__file__).resolve().parents[1]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "_lazy", "ngettext", "ngettext_lazy", "N_"}
# The context comes first: pgettext(context, msgid), npgettext(context, singular, plural, n).
PGETTEXT_NAMES = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
CONTEXT_SEPARATOR = "\x04"

_TRANSLATE = re.compile(
    r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)(?P<rest>\s+[^%]*)?%}""", re.S
)
_CONTEXT = re.compile(r"""\bcontext\s+(?P<q>["'])(?P<context>.*?)(?P=q)""", re.S)
_BLOCK = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)(?P<args>[^%]*)%}(?P<body>.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)
_VAR = re.compile(r"{{\s*(\w+)\s*}}")


def key(msgid: str, context: str | None = None) -> str:
    """How a string is known here and in a compiled catalog: ``msgid``, or ``context\\x04msgid``."""
    return f"{context}{CONTEXT_SEPARATOR}{msgid}" if context else msgid


def readable(string_key: str) -> str:
    """``'Cakupan' [context 'role scope']`` for ``key('Cakupan', 'role scope')``; a plain msgid as repr."""
    context, sep, msgid = string_key.rpartition(CONTEXT_SEPARATOR)
    return f"{msgid!r} [context {context!r}]" if sep else repr(msgid)


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _python_strings(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in GETTEXT_NAMES:
            context, texts = None, node.args[: 2 if name.startswith("ngettext") else 1]
        elif name in PGETTEXT_NAMES:
            context, texts = _constant(node.args[0]), node.args[1 : 3 if name.startswith("npgettext") else 2]
            if context is None:
                continue
        else:
            continue
        for arg in texts:
            if (text := _constant(arg)) is not None:
                found.add(key(text, context))
    return found


def _block_msgid(body: str, trimmed: bool) -> str:
    if trimmed:
        body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
    return _VAR.sub(lambda m: f"%({m.group(1)})s", body.replace("%", "%%"))


def _context(args: str | None) -> str | None:
    m = _CONTEXT.search(args or "")
    return m.group("context") if m else None


def _template_strings(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = {key(m.group("text"), _context(m.group("rest"))) for m in _TRANSLATE.finditer(text)}
    for m in _BLOCK.finditer(text):
        trimmed = "trimmed" in m.group("args")
        context = _context(m.group("args"))
        for part in re.split(r"{%\s*plural\s*%}", m.group("body")):
            found.add(key(_block_msgid(part, trimmed), context))
    return found


def sources() -> dict[str, Path]:
    """Each app's folder, plus the project-wide templates as ``templates``."""
    apps = {p.parent.name: p.parent for p in LAYAN.glob("*/apps.py")}
    return {**apps, "templates": LAYAN / "templates"}


def collect_strings(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        if not {"tests", "migrations"} & set(path.parts):
            found |= _python_strings(path)
    for path in folder.rglob("*.html"):
        found |= _template_strings(path)
    return {s for s in found if s.rpartition(CONTEXT_SEPARATOR)[2].strip()}


def catalogs() -> list[polib.POFile]:
    return [polib.pofile(str(p)) for p in sorted(LAYAN.glob("*/locale/en/LC_MESSAGES/django.po"))]


def _compiled(entry: polib.POEntry) -> bool:
    return not entry.obsolete and "fuzzy" not in entry.flags


def translated_msgids() -> set[str]:
    """The keys (``key(msgid, msgctxt)``) some catalog translates, plural msgids included."""
    done = set()
    for po in catalogs():
        for entry in po.translated_entries():
            if _compiled(entry):
                done.add(key(entry.msgid, entry.msgctxt))
                if entry.msgid_plural:
                    done.add(key(entry.msgid_plural, entry.msgctxt))
    return done


def untranslated(app: str) -> list[str]:
    return sorted(collect_strings(sources()[app]) - translated_msgids())


def placeholder_mismatches() -> list[str]:
    """Translations that lose or invent a ``%(name)s`` (Django would raise KeyError at run time)."""
    wrong = []
    for po in catalogs():
        for entry in po.translated_entries():
            translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
            expected = set(PLACEHOLDER.findall(entry.msgid))
            for text in translations:
                found = set(PLACEHOLDER.findall(text))
                # A plural form may drop the count ("one report"); nothing may appear that the msgid lacks.
                if found - expected or (not entry.msgid_plural and found != expected):
                    wrong.append(key(entry.msgid, entry.msgctxt))
    return sorted(set(wrong))


def _app_of(po: polib.POFile) -> str:
    return Path(po.fpath).parents[3].name  # <app>/locale/en/LC_MESSAGES/django.po


def clashes() -> dict[str, dict[str, str | tuple[str, ...]]]:
    """Keys (msgid and context) that two or more apps translate differently, with each app's English.

    Django merges every app's catalog into one per language, so only one wording is shown everywhere: the
    one of the app listed first in INSTALLED_APPS. A plural entry is compared by all its forms; it is a
    different message from a singular entry with the same msgid (gettext keys them apart too)."""
    by_key: dict[tuple[str, bool], dict[str, str | tuple[str, ...]]] = {}
    for po in catalogs():
        app = _app_of(po)
        for entry in po.translated_entries():
            if not _compiled(entry):
                continue
            if entry.msgid_plural:
                english = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
            else:
                english = entry.msgstr
            by_key.setdefault((key(entry.msgid, entry.msgctxt), bool(entry.msgid_plural)), {})[app] = english
    return {
        string_key: translations
        for (string_key, _plural), translations in sorted(by_key.items())
        if len(set(translations.values())) > 1
    }


if __name__ == "__main__":
    for app in sys.argv[1:] or sorted(sources()):
        for string_key in untranslated(app):
            print(f"{app}\t{readable(string_key)}")  # noqa: T201
    for string_key in placeholder_mismatches():
        print(f"placeholder\t{readable(string_key)}")  # noqa: T201
    for string_key, translations in clashes().items():
        print(f"clash\t{readable(string_key)}")  # noqa: T201
        for app, english in translations.items():
            print(f"\t{app}\t{english!r}")  # noqa: T201
