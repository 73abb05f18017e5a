"""The open ruleset: its saved version, the text being edited and its latest compile.

Every view shares one document.  Edits schedule a debounced compile on a
worker thread; a compile whose text has since changed is thrown away, so
the problems shown always belong to the text on screen.  The simulator, the
matrix and the cases run against `policy()`, which is what the editor holds.
"""
from __future__ import annotations

import time
from typing import Any, Mapping

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from jurist.db.records import VersionInfo, VersionSources
from jurist.dsl import CompileResult
from jurist.engine import Policy
from jurist.workbench.drafts import Compilations

from . import workers

DEBOUNCE_MS = 300


class RulesetDocument(QObject):
    opened = Signal()                 # a (new) version was loaded
    files_changed = Signal()          # files were added, renamed, deleted or rewritten as a whole
    edited = Signal(str)              # a file's text changed (path)
    compiled = Signal(object)         # CompileResult of the current text
    saved = Signal(object)            # VersionInfo after a save

    def __init__(self, compilations: Compilations | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.ruleset: str | None = None
        self.version: VersionInfo | None = None
        self.saved_sources: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        self.result: CompileResult | None = None
        self.compile_ms = 0.0
        self.known_sets: tuple[str, ...] = ()
        self._result_for: dict[str, str] | None = None
        self._policy: Policy | None = None
        # Shared with the workbench: a text is compiled once, for the editor, the pages and the submit preview.
        self._compilations = compilations or Compilations()
        self._generation = 0
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._compile_in_background)

    # -- state -------------------------------------------------------------------

    def open(self, loaded: VersionSources) -> None:
        self.ruleset = loaded.info.ruleset
        self.version = loaded.info
        self.saved_sources = dict(loaded.sources)
        self.sources = dict(loaded.sources)
        self._generation += 1
        self._apply(self._compilations.compile(self.sources), dict(self.sources), 0.0)
        self.opened.emit()

    def mark_saved(self, info: VersionInfo) -> None:
        self.version = info
        self.saved_sources = dict(self.sources)
        self.saved.emit(info)

    @property
    def dirty(self) -> bool:
        return self.sources != self.saved_sources

    def set_text(self, path: str, text: str) -> None:
        if self.sources.get(path) == text:
            return
        self.sources[path] = text
        self._generation += 1
        self.edited.emit(path)
        self._timer.start()

    def replace_sources(self, sources: Mapping[str, str]) -> None:
        """Replace the files being edited (a file added, renamed or deleted, a rule inserted): an edit like
        any other, saved with the draft."""
        if dict(sources) == self.sources:
            return
        self.sources = dict(sources)
        self._generation += 1
        self.files_changed.emit()
        self._timer.start()

    # -- compiling ---------------------------------------------------------------

    def compile_now(self) -> CompileResult:
        """Compile the current text on this thread (for saving and simulating)."""
        if self.result is not None and self._result_for == self.sources:
            return self.result
        started = time.perf_counter()
        snapshot = dict(self.sources)
        result = self._compilations.compile(snapshot)
        self._apply(result, snapshot, (time.perf_counter() - started) * 1000)
        return result

    def _compile_in_background(self) -> None:
        if self._busy:
            self._timer.start()  # one compile at a time; try again after this one
            return
        self._busy = True
        generation, snapshot = self._generation, dict(self.sources)

        def work(_progress: Any) -> tuple[CompileResult, float]:
            started = time.perf_counter()
            return self._compilations.compile(snapshot), (time.perf_counter() - started) * 1000

        def done(out: tuple[CompileResult, float]) -> None:
            if not shiboken6.isValid(self):
                return  # the window closed while compiling
            self._busy = False
            if generation == self._generation:
                self._apply(out[0], snapshot, out[1])

        def failed(_message: str) -> None:
            if shiboken6.isValid(self):
                self._busy = False

        workers.start(work, on_done=done, on_error=failed)

    def _apply(self, result: CompileResult, snapshot: Mapping[str, str], ms: float) -> None:
        self.result = result
        self._result_for = dict(snapshot)
        self.compile_ms = ms
        self._policy = None
        if result.ruleset is not None:
            self.known_sets = tuple(sorted(result.ruleset.sets))
        self.compiled.emit(result)

    def policy(self) -> Policy:
        """The current text as a policy; raises CompileError when it has errors."""
        self.compile_now()
        if self._policy is None:
            origin = f"{self.ruleset}@v{self.version.number}" + ("+edits" if self.dirty else "") \
                if self.version else "editor"
            self._policy = self._compilations.policy(self.sources, origin)
        return self._policy

    def diagnostics_for(self, path: str) -> list[Any]:
        if self.result is None:
            return []
        return [d for d in self.result.diagnostics if d.file == path]
