"""What the GUI's code marks for translation, read with Python's own parser (a check on pyside6-lupdate)."""
from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

GUI = Path(__file__).resolve().parents[2] / "gui"
CATALOGUE = GUI / "translations" / "jurist_fr.ts"


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_messages(root: Path = GUI) -> set[tuple[str, str]]:
    """(context, source text) of every `self.tr("…")`, `translate("Ctx", "…")` and `QT_TRANSLATE_NOOP("Ctx", "…")`."""
    found: set[tuple[str, str]] = set()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes: list[tuple[int, int, str]] = [(c.lineno, c.end_lineno or c.lineno, c.name)
                                               for c in ast.walk(tree) if isinstance(c, ast.ClassDef)]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name in ("translate", "QT_TRANSLATE_NOOP") and len(node.args) >= 2:
                context, text = _literal(node.args[0]), _literal(node.args[1])
                if context is not None and text is not None:
                    found.add((context, text))
            elif name == "tr" and isinstance(node.func, ast.Attribute) and node.args:
                text = _literal(node.args[0])
                owner = [c for c in classes if c[0] <= node.lineno <= c[1]]
                if text is not None and owner:
                    found.add((max(owner)[2], text))
    return found


def catalogue_messages(path: Path = CATALOGUE) -> dict[tuple[str, str], list[str]]:
    """(context, source) -> its translations (several for a plural), "" where unfinished."""
    out: dict[tuple[str, str], list[str]] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            unfinished = translation.get("type") == "unfinished"
            forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            out[(name, message.findtext("source") or "")] = ["" if unfinished else f for f in forms]
    return out
