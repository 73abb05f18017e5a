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
from .parser import count_statement_starts, parse
from .schema import LabelSchema

Parsed = tuple[n.SourceFile, Sequence[Diagnostic]]  # one file's statements and its syntax errors


@dataclass(frozen=True)
class CompileBudget:
    """The most one compile takes on; a larger ruleset is refused with a `too-large` error.

    Compiling is linear in the text, but large enough text still blocks `jurist check`,
    the editor and a submit (which compiles inside the store's write transaction).  The
    defaults allow one and a half times the largest ruleset measured (10,000 rules, 480 KB,
    compiled in about 1.3 s on two shared cores) and refuse a hostile file in milliseconds.
    """

    max_bytes: int = 768 * 1024       # UTF-8 source text of all files together
    max_statements: int = 15_000      # statements of all files together

    def refusal(self, sources: Mapping[str, str]) -> Diagnostic | None:
        """Why the text is too large to parse (bytes, then lines that start a statement), or None."""
        sizes = {name: len(text.encode("utf-8", "surrogatepass")) for name, text in sources.items()}
        if sum(sizes.values()) > self.max_bytes:
            return _too_large(f"{sum(sizes.values()):,} bytes of text, more than the {self.max_bytes:,} a compile "
                              "takes on", max(sizes, key=lambda name: sizes[name]), "max_bytes")
        starts = {name: count_statement_starts(text) for name, text in sources.items()}
        if sum(starts.values()) > self.max_statements:
            return self._too_many(sum(starts.values()), max(starts, key=lambda name: starts[name]))
        return None

    def statements_refusal(self, parsed: Sequence[Parsed]) -> Diagnostic | None:
        """Why the parsed ruleset has too many statements to check, or None."""
        counts = {source.name: len(source.statements) for source, _ in parsed}
        if sum(counts.values()) > self.max_statements:
            return self._too_many(sum(counts.values()), max(counts, key=lambda name: counts[name]))
        return None

    def _too_many(self, count: int, largest: str) -> Diagnostic:
        return _too_large(f"{count:,} statements, more than the {self.max_statements:,} a compile takes on",
                          largest, "max_statements")


def _too_large(what: str, largest: str, limit: str) -> Diagnostic:
    return Diagnostic("error", f"the ruleset is too large to compile: {what}", largest, 1, 1,
                      f"`{largest}` is its largest file; split the ruleset, or raise the limit "
                      f"(`CompileBudget({limit}=...)`)", None, "too-large")


DEFAULT_BUDGET = CompileBudget()


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


def compile_sources(sources: Mapping[str, str], schema: LabelSchema | None = None,
                    budget: CompileBudget = DEFAULT_BUDGET, *, analyse: bool = False) -> CompileResult:
    """Compile a ruleset given as {file name: text}; every problem is reported.

    `schema` is the label vocabulary to check against; the engine declares it
    (`jurist.engine.vocabulary.SCHEMA`), and `jurist.compile_sources` passes it.
    A ruleset larger than `budget` is refused with one `too-large` error.
    `analyse` adds the SMT solver's warnings (`analysis`): for `jurist check`, the
    editor and a submit, not for loading a policy to serve.
    """
    schema = _required(schema)
    refused = budget.refusal(sources)
    if refused is not None:
        return refusal(sources, refused)
    return compile_parsed(sources, [parse(sources[name], name) for name in sorted(sources)], schema, budget,
                          analyse=analyse)


def refusal(sources: Mapping[str, str], diagnostic: Diagnostic) -> CompileResult:
    return CompileResult(dict(sources), (diagnostic,), None, None)


def _required(schema: LabelSchema | None) -> LabelSchema:
    if schema is None:
        raise TypeError("compile_sources needs the label schema: pass jurist.engine.vocabulary.SCHEMA "
                        "or call jurist.compile_sources, which does")
    return schema


def compile_parsed(sources: Mapping[str, str], parsed: Sequence[Parsed], schema: LabelSchema,
                   budget: CompileBudget, *, analyse: bool = False) -> CompileResult:
    """The rest of the pipeline, from each file's parse (in the order of their sorted names)."""
    refused = budget.statements_refusal(parsed)
    if refused is not None:
        return refusal(sources, refused)
    files = [source for source, _ in parsed]
    diagnostics = [d for _, syntax in parsed for d in syntax]
    checked = check(files, schema)
    diagnostics.extend(checked.diagnostics)
    diagnostics.extend(lints.lint(files, checked, schema))
    if any(d.is_error for d in diagnostics):
        return CompileResult(dict(sources), _sorted(diagnostics), None, None)
    graph = graph_module.build(checked.ruleset, schema)
    diagnostics.extend(lints.shadow_warnings(graph))
    if analyse:
        from .analysis import analyse as solver_warnings  # loads the solver only when asked

        diagnostics.extend(solver_warnings(checked.ruleset, graph, schema))
    return CompileResult(dict(sources), _sorted(diagnostics), checked.ruleset, graph)


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(diagnostics, key=lambda d: (d.file, d.line, d.column, d.severity != "error")))


def _shown_names(path: str | os.PathLike[str], names: Iterable[str]) -> dict[str, str]:
    """Each source name as the user gave the path: under a directory, or the file path itself."""
    if Path(path).is_dir():
        return {name: os.path.join(os.fspath(path), name) for name in names}
    return {name: os.fspath(path) for name in names}  # one file: read_sources names it by its base name
