"""Opening, compiling and saving a ruleset's text: each text compiled once, however many uses it has.

The editor, the simulator, the matrix, the cases page and the pre-submit
preview all need the same text compiled, often the same published version
too.  A `Compilations` keeps the last few results and their policies by the
text's hash and reparses only what changed (the language's
`IncrementalCompiler`), so a text is compiled once however many uses it
has.  It belongs to one editing session (a window, a CLI command); a process
that only serves decisions never holds one.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Mapping

from jurist.db.errors import NotFound, NothingPublished
from jurist.db.hashing import sources_hash
from jurist.db.records import VersionInfo, VersionSources
from jurist.db.service import Store
from jurist.dsl import CompileResult, IncrementalCompiler
from jurist.engine import Policy
from jurist.engine.vocabulary import SCHEMA

KEPT_RESULTS = 8  # the text on screen, the published version, a few recent edits


class Compilations:
    """Compile results and their policies for the texts of one editing session, by the text's hash."""

    def __init__(self) -> None:
        self._compiler = IncrementalCompiler(SCHEMA, analyse=True)  # the editor and a submit show the solver's warnings
        self._results: OrderedDict[str, CompileResult] = OrderedDict()
        self._policies: dict[str, Policy] = {}
        self._lock = threading.Lock()
        self.compiles = 0  # how many texts were actually compiled (the rest came from memory)

    def compile(self, sources: Mapping[str, str]) -> CompileResult:
        """The compile result of `sources`, compiled now only if this text was not seen recently."""
        key = sources_hash(sources)
        with self._lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
                return found
        result = self._compiler.compile(dict(sources))
        with self._lock:
            self.compiles += 1
            self._results[key] = result
            while len(self._results) > KEPT_RESULTS:
                dropped, _ = self._results.popitem(last=False)
                self._policies.pop(dropped, None)
        return result

    def policy(self, sources: Mapping[str, str], origin: str) -> Policy:
        """`sources` as a policy named `origin`; raises `CompileError` when the text has errors."""
        result = self.compile(sources)
        key = sources_hash(sources)
        with self._lock:
            policy = self._policies.get(key)
            if policy is not None and policy.origin == origin:
                return policy
        policy = Policy(result, origin)
        with self._lock:
            if key in self._results:
                self._policies[key] = policy
        return policy


def open_version(store: Store, ruleset: str, number: int | None = None) -> VersionSources:
    """A version's sources, the newest one by default (what the editor opens)."""
    return store.get_sources(ruleset, number)


def published(store: Store, ruleset: str) -> VersionSources | None:
    """The published version, or None when the ruleset has none yet."""
    try:
        return store.published_sources(ruleset)
    except (NothingPublished, NotFound):
        return None


def save(store: Store, opened: VersionInfo, sources: Mapping[str, str]) -> VersionInfo:
    """Save edits: into the open draft (checking its revision, so nobody's save is lost), else as a new
    draft on top of the opened version."""
    if opened.state == "draft":
        return store.save_draft(opened.ruleset, opened.number, dict(sources), opened.revision)
    return store.create_draft(opened.ruleset, dict(sources), parent=opened.number)
