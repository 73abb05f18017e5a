"""The Jurist policy language: parse, check and compile rulesets.

`compile_sources` is the pipeline's facade: text → AST (`parser`) → checked IR
(`checker`) → evaluation graph (`graph`).  It is pure: the only I/O in this
package is `read_sources`, which reads a file or a directory of `*.policy` files.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from . import graph as graph_module
from .checker import check
from .diagnostics import CompileError, Diagnostic, render_all
from .graph import Graph
from .ir import Ruleset
from .keywords import EFFECTS, KEYWORDS, STRENGTH
from .parser import parse
from .schema import DetectorSpec, LabelSchema, LabelSpec

__all__ = ["EFFECTS", "KEYWORDS", "STRENGTH", "CompileError", "CompileResult", "Diagnostic", "DetectorSpec", "Graph",
           "LabelSchema", "LabelSpec", "Ruleset", "compile_sources", "read_sources"]


@dataclass(frozen=True)
class CompileResult:
    sources: Mapping[str, str]
    diagnostics: tuple[Diagnostic, ...]
    ruleset: Ruleset | None   # None when there are errors
    graph: Graph | None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if not d.is_error)

    def render(self) -> str:
        return render_all(self.diagnostics, self.sources)

    def located(self, path: str | os.PathLike) -> "CompileResult":
        """The same result with each file named as seen from where `path` was given.

        Rule ids and stored versions use names relative to the ruleset (`gb.policy`); a
        person at a terminal needs `rulesets/gb.policy`, and two rulesets checked together
        each with an `x.policy` must not look alike.  For messages only.
        """
        shown = _shown_names(path, self.sources)
        if all(k == v for k, v in shown.items()):
            return self
        diagnostics = tuple(replace(d, file=shown.get(d.file, d.file)) for d in self.diagnostics)
        return CompileResult({shown[k]: v for k, v in self.sources.items()}, diagnostics, self.ruleset, self.graph)

    def raise_for_errors(self) -> "CompileResult":
        if not self.ok:
            raise CompileError(self.diagnostics, self.sources)
        return self


def compile_sources(sources: Mapping[str, str], schema: LabelSchema | None = None) -> CompileResult:
    """Compile a ruleset given as {file name: text}; every problem is reported.

    `schema` is the label vocabulary to check against; the engine declares it
    (`jurist.engine.vocabulary.SCHEMA`), and `jurist.compile_sources` passes it.
    """
    if schema is None:
        raise TypeError("compile_sources needs the label schema: pass jurist.engine.vocabulary.SCHEMA "
                        "or call jurist.compile_sources, which does")
    files, diagnostics = [], []
    for name in sorted(sources):
        parsed, syntax = _parse_cached(sources[name], name)
        files.append(parsed)
        diagnostics.extend(syntax)
    ruleset, checked = check(files, schema)
    diagnostics.extend(checked)
    if any(d.is_error for d in diagnostics):
        return CompileResult(dict(sources), _sorted(diagnostics), None, None)
    graph = graph_module.build(ruleset, schema)
    diagnostics.extend(_shadow_warnings(graph))
    return CompileResult(dict(sources), _sorted(diagnostics), ruleset, graph)


@lru_cache(maxsize=256)
def _parse_cached(text: str, name: str):
    """Parsing is pure, so an editor recompiling a ruleset reparses only the file that changed."""
    source, syntax = parse(text, name)
    return source, tuple(syntax)


def _shadow_warnings(graph: Graph) -> list[Diagnostic]:
    out = []
    for narrow, broad in sorted(graph.shadowed_by.items()):
        r, b = graph.rules[narrow].rule, graph.rules[broad].rule
        if "~" in r.id:
            continue  # an identical copy, already reported as such by the checker
        if graph_module.rule_implies(b.condition, r.condition):
            message = f"rule `{r.id}` repeats rule `{b.id}` at {b.source}"
            help = "both have the same effect and condition; remove one of them"
        else:
            message = (f"rule `{r.id}` is shadowed by `{b.id}` ({b.source}), which has the same effect and a "
                       "broader condition")
            help = "it can never change a decision; remove it or narrow the other rule"
        own = [k for k in ("cite", "message") if getattr(r, k) and getattr(r, k) != getattr(b, k)]
        if own and not r.always:
            # The engine skips a shadowed rule, so what it alone says would be lost from decisions.
            help = (f"its own {' and '.join(f'`{k}`' for k in own)} is only reported by exhaustive decisions; "
                    f"merge it into `{b.id}`, or mark this rule `always` to record it whenever it matches")
        out.append(Diagnostic("warning", message, r.file, r.line, r.column, help, None, "shadowed"))
    return out


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=lambda d: (d.file, d.line, d.column, d.severity != "error")))


def read_sources(path: str | os.PathLike) -> dict[str, str]:
    """{name: text} for a `.policy` file or every `*.policy` file under a directory.

    Names are relative to the directory (`global/minors.policy`), so rule ids
    and diagnostics do not depend on where the ruleset is checked out.
    """
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.policy") if f.is_file())
        if not files:
            raise FileNotFoundError(f"{p}: no *.policy files in this directory")
        return {f.relative_to(p).as_posix(): _read_text(f) for f in files}
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or directory")
    return {p.name: _read_text(p)}


def _read_text(file: Path) -> str:
    """A policy file's text; one that is not UTF-8 is named, with the place of its first bad byte."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ValueError(f"{file}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                         "save the file as UTF-8") from None


def _shown_names(path: str | os.PathLike, names: Iterable[str]) -> dict[str, str]:
    """Each source name as the user gave the path: under a directory, or the file path itself."""
    if Path(path).is_dir():
        return {name: os.path.join(os.fspath(path), name) for name in names}
    return {name: os.fspath(path) for name in names}  # one file: read_sources names it by its base name
