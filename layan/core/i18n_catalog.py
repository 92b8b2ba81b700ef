"""The English catalogs checked against the code, without GNU gettext.

Every text is an Indonesian msgid; each app keeps English in ``layan/<app>/locale/en/.../django.po`` and
Django merges all catalogs, so a msgid is translated when any catalog translates it. This module collects
the msgids the code uses — Python calls of ``_``/``gettext``/``gettext_lazy``/``ngettext`` through the AST
(implicit concatenation included), templates' ``{% translate %}`` and ``{% blocktranslate %}`` by regex,
converted the way Django's extractor does (``{{ x }}`` → ``%(x)s``) — and compares them with the catalogs.

    .venv/bin/python -m layan.core.i18n_catalog [app]   # prints the msgids without an English translation
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import polib

LAYAN = Path(__file__).resolve().parents[1]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "_lazy", "ngettext", "ngettext_lazy", "pgettext", "N_"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

_TRANSLATE = re.compile(r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)(?:\s+[^%]*)?%}""", re.S)
_BLOCK = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)(?P<args>[^%]*)%}(?P<body>.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)
_VAR = re.compile(r"{{\s*(\w+)\s*}}")


def _python_strings(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in GETTEXT_NAMES:
            for arg in node.args[: 2 if name.startswith("ngettext") else 1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def _block_msgid(body: str, trimmed: bool) -> str:
    if trimmed:
        body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
    return _VAR.sub(lambda m: f"%({m.group(1)})s", body.replace("%", "%%"))


def _template_strings(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = {m.group("text") for m in _TRANSLATE.finditer(text)}
    for m in _BLOCK.finditer(text):
        trimmed = "trimmed" in m.group("args")
        for part in re.split(r"{%\s*plural\s*%}", m.group("body")):
            found.add(_block_msgid(part, trimmed))
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
    return {s for s in found if s.strip()}


def catalogs() -> list[polib.POFile]:
    return [polib.pofile(str(p)) for p in sorted(LAYAN.glob("*/locale/en/LC_MESSAGES/django.po"))]


def translated_msgids() -> set[str]:
    done = set()
    for po in catalogs():
        for entry in po.translated_entries():
            if not entry.obsolete and "fuzzy" not in entry.flags:
                done.add(entry.msgid)
                if entry.msgid_plural:
                    done.add(entry.msgid_plural)
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
                    wrong.append(entry.msgid)
    return sorted(set(wrong))


if __name__ == "__main__":
    for app in sys.argv[1:] or sorted(sources()):
        for msgid in untranslated(app):
            print(f"{app}\t{msgid!r}")  # noqa: T201
    for msgid in placeholder_mismatches():
        print(f"placeholder\t{msgid!r}")  # noqa: T201
