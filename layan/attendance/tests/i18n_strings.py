"""The msgids of the attendance module, collected without GNU gettext: Python calls of ``_``/``gettext``/
``gettext_lazy`` through the AST (so implicit concatenation is seen), templates' ``{% translate %}`` and
``{% blocktranslate %}`` by regex, converted the way Django's extractor does (``{{ x }}`` → ``%(x)s``).

    .venv/bin/python -m layan.attendance.tests.i18n_strings   # prints the msgids missing from the .po
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib

APP = Path(__file__).resolve().parents[1]
PO = APP / "locale/en/LC_MESSAGES/django.po"
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "_lazy", "ngettext", "ngettext_lazy"}

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
    found = {m.group("text").replace("%", "%%") for m in _TRANSLATE.finditer(text)}
    for m in _BLOCK.finditer(text):
        trimmed = "trimmed" in m.group("args")
        for part in re.split(r"{%\s*plural\s*%}", m.group("body")):
            found.add(_block_msgid(part, trimmed))
    return found


def collect_strings() -> set[str]:
    found: set[str] = set()
    for path in APP.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= _python_strings(path)
    for path in (APP / "templates").rglob("*.html"):
        found |= _template_strings(path)
    return {s for s in found if s.strip()}


def po_msgids() -> set[str]:
    po = polib.pofile(str(PO))
    return {e.msgid for e in po if not e.obsolete} | {e.msgid_plural for e in po if e.msgid_plural}


if __name__ == "__main__":
    for msgid in sorted(collect_strings() - po_msgids()):
        print(repr(msgid))
