"""The module's code defines each function once: a second copy silently replaces the first, so a fix made to
the first copy would never run."""

import ast
from collections import Counter
from pathlib import Path

AID = Path(__file__).resolve().parents[1]


def test_no_module_of_aid_defines_a_function_twice():
    twice = {}
    for path in sorted(AID.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = Counter(
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        )
        repeated = sorted(name for name, n in names.items() if n > 1)
        if repeated:
            twice[path.name] = repeated
    assert twice == {}
