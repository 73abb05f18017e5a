"""The pipeline: text → AST (`parser`) → checked IR (`checker`, `lints`) → evaluation graph (`graph`).

`compile_sources` is pure and keeps nothing between calls, so a process that
serves decisions holds only the policy it compiled; an editor that recompiles
on every pause in typing uses `incremental.IncrementalCompiler`, which gives
the same results from remembered parses.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from . import graph as graph_module
from . import lints
from . import nodes as n
from .checker import check
from .diagnostics import CompileError, Diagnostic, render_all
from .graph import Graph
from .ir import Ruleset
from .parser import parse
from .schema import LabelSchema

Parsed = tuple[n.SourceFile, Sequence[Diagnostic]]  # one file's statements and its syntax errors


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

    def located(self, path: str | os.PathLike[str]) -> "CompileResult":
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
    schema = _required(schema)
    return compile_parsed(sources, [parse(sources[name], name) for name in sorted(sources)], schema)


def _required(schema: LabelSchema | None) -> LabelSchema:
    if schema is None:
        raise TypeError("compile_sources needs the label schema: pass jurist.engine.vocabulary.SCHEMA "
                        "or call jurist.compile_sources, which does")
    return schema


def compile_parsed(sources: Mapping[str, str], parsed: Sequence[Parsed], schema: LabelSchema) -> CompileResult:
    """The rest of the pipeline, from each file's parse (in the order of their sorted names)."""
    files = [source for source, _ in parsed]
    diagnostics = [d for _, syntax in parsed for d in syntax]
    checked = check(files, schema)
    diagnostics.extend(checked.diagnostics)
    diagnostics.extend(lints.lint(files, checked, schema))
    if any(d.is_error for d in diagnostics):
        return CompileResult(dict(sources), _sorted(diagnostics), None, None)
    graph = graph_module.build(checked.ruleset, schema)
    diagnostics.extend(lints.shadow_warnings(graph))
    return CompileResult(dict(sources), _sorted(diagnostics), checked.ruleset, graph)


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=lambda d: (d.file, d.line, d.column, d.severity != "error")))


def _shown_names(path: str | os.PathLike[str], names: Iterable[str]) -> dict[str, str]:
    """Each source name as the user gave the path: under a directory, or the file path itself."""
    if Path(path).is_dir():
        return {name: os.path.join(os.fspath(path), name) for name in names}
    return {name: os.fspath(path) for name in names}  # one file: read_sources names it by its base name
