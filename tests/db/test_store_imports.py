"""The store sits below the language: it is handed the compile check instead of importing the compiler."""
from __future__ import annotations

import ast
from pathlib import Path

import jurist.db

ALLOWED = {"jurist.dsl.places"}  # place codes validate a ruleset's jurisdictions


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update([node.module] + [f"{node.module}.{alias.name}" for alias in node.names])
    return names


def test_no_store_module_imports_the_compiler_or_the_engine() -> None:
    root = Path(jurist.db.__file__).parent
    found = {f"{path.relative_to(root)}: {name}"
             for path in root.rglob("*.py")
             for name in _imports(path)
             if name.startswith(("jurist.dsl", "jurist.engine")) and not name.startswith(tuple(ALLOWED))}
    assert found == set()
