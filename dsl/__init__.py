"""The Jurist policy language: parse, check and compile rulesets.

`compile_sources` is the pipeline's facade: text → AST (`parser`) → checked IR
(`checker`, judged by `lints`) → evaluation graph (`graph`).  It is pure and
keeps nothing between calls; an editor recompiling as the author types uses an
`IncrementalCompiler`, which remembers parses.  The only I/O in this package is
`read_sources`, which reads a file or a directory of `*.policy` files.
"""
from __future__ import annotations

from .compiler import CompileBudget, CompileResult, compile_sources
from .diagnostics import CompileError, Diagnostic
from .graph import Graph
from .incremental import IncrementalCompiler
from .ir import Ruleset
from .keywords import EFFECTS, KEYWORDS, STRENGTH
from .schema import DetectorSpec, LabelSchema, LabelSpec
from .sources import SourceError, read_sources

__all__ = ["EFFECTS", "KEYWORDS", "STRENGTH", "CompileBudget", "CompileError", "CompileResult", "Diagnostic",
           "DetectorSpec", "Graph", "IncrementalCompiler", "LabelSchema", "LabelSpec", "Ruleset", "SourceError",
           "compile_sources", "read_sources"]
