"""Recompiling a ruleset while it is edited: only what changed is parsed again.

An editor compiles on every pause in typing, and between two versions most
files, and most statements of the edited file, are unchanged.  An
`IncrementalCompiler` remembers the parse of each file and of each statement,
keyed by its text, and gives exactly what `compile_sources` gives.  Its memory
is its own (one per editor, none in a process that only serves decisions) and
is bounded by the bytes of source text it holds, least recently used first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, Hashable, Mapping, TypeVar

from .compiler import DEFAULT_BUDGET, CompileBudget, CompileResult, Parsed, compile_parsed, refusal
from .parser import ParsedPiece, parse_pieces, source_file, statement_pieces, strip_bom
from .schema import LabelSchema

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
"""Source text an `IncrementalCompiler` keeps parses of, by default: a ruleset of the largest
size a compile takes on (`CompileBudget`), whole and statement by statement.  Parses take about
40 times their text's size in memory (18 MiB for the 460 KB of 10,000 rules), so at most
about 85 MiB."""

_V = TypeVar("_V")


def _size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class _Memory(Generic[_V]):
    """Least recently used values, at most `max_bytes` of the source text they were parsed from."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.held_bytes = 0
        self._items: OrderedDict[Hashable, tuple[_V, int]] = OrderedDict()

    def get(self, key: Hashable) -> _V | None:
        found = self._items.get(key)
        if found is None:
            return None
        self._items.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, value: _V, size: int) -> None:
        if size > self.max_bytes:
            return  # would push out everything else and still not fit
        old = self._items.pop(key, None)
        if old is not None:
            self.held_bytes -= old[1]
        self._items[key] = (value, size)
        self.held_bytes += size
        while self.held_bytes > self.max_bytes:
            _, (_, dropped) = self._items.popitem(last=False)
            self.held_bytes -= dropped

    def clear(self) -> None:
        self._items.clear()
        self.held_bytes = 0


class IncrementalCompiler:
    """Compiles successive versions of a ruleset, reparsing only the statements that changed.

    A file seen before, unchanged, is not parsed again; in a changed file only
    the statements whose text changed are parsed, the others are reused and
    moved to their new lines.  `max_bytes` bounds the source text whose parses
    are kept (half for whole files, half for statements).  Safe to use from
    several threads.
    """

    def __init__(self, schema: LabelSchema, max_bytes: int = DEFAULT_MAX_BYTES,
                 budget: CompileBudget = DEFAULT_BUDGET, *, analyse: bool = False) -> None:
        if max_bytes < 0:
            raise ValueError(f"max_bytes must be at least 0, got {max_bytes}")
        self.schema = schema
        self.budget = budget
        self.analyse = analyse  # add the solver's warnings (`analysis`), as an editor wants
        self.max_bytes = max_bytes
        self._files: _Memory[Parsed] = _Memory(max_bytes // 2)
        self._pieces: _Memory[ParsedPiece] = _Memory(max_bytes - max_bytes // 2)
        self._lock = threading.Lock()

    def compile(self, sources: Mapping[str, str]) -> CompileResult:
        """What `compile_sources(sources, schema, budget, analyse=...)` returns."""
        refused = self.budget.refusal(sources)
        if refused is not None:
            return refusal(sources, refused)
        parsed = [self._parse(sources[name], name) for name in sorted(sources)]
        return compile_parsed(sources, parsed, self.schema, self.budget, analyse=self.analyse)

    @property
    def held_bytes(self) -> int:
        """The source text whose parses are kept now."""
        with self._lock:
            return self._files.held_bytes + self._pieces.held_bytes

    def clear(self) -> None:
        with self._lock:
            self._files.clear()
            self._pieces.clear()

    def _parse(self, text: str, file: str) -> Parsed:
        with self._lock:
            known = self._files.get((file, text))
        if known is not None:
            return known
        body = strip_bom(text)
        pieces = statement_pieces(body)
        keys = [(file, piece.text, piece.last) for piece in pieces]
        with self._lock:
            found = [self._pieces.get(key) for key in keys]
        parsed = parse_pieces(pieces, file, [hit.moved_to(piece.line) if hit is not None else None
                                             for piece, hit in zip(pieces, found)])
        source, syntax = source_file(file, body, parsed)
        result = (source, tuple(syntax))
        with self._lock:
            for key, piece, done in zip(keys, pieces, parsed):
                if not done.skipped:
                    self._pieces.put(key, done, _size(piece.text))
            self._files.put((file, text), result, _size(text))
        return result
