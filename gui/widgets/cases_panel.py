"""The test cases page: the ruleset's stored cases, run all against the editor's text, draft vs published.

A run of a stored version's exact text is recorded in the store, so the
recent runs below the cases say which version last passed, and who ran it;
a run of unsaved edits is shown but not recorded, since no version holds it.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from jurist.db.records import VersionInfo
from jurist.engine import Policy
from jurist.engine.cases import CaseChange
from jurist.workbench.cases import CaseRun
from jurist.workbench.session import Workbench

from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.records import CasesModel, SimulationRunsModel
from ..models.table import RowRole
from .background_run import BackgroundRun
from .simulator import table

# what a run is recorded against: a stored version and the exact text that ran, or why it is not recorded
RecordTarget = tuple[VersionInfo, dict[str, str]] | str
RECENT_RUNS = 10


class CasesPanel(QWidget):
    status = Signal(str)
    finished = Signal()

    def __init__(self, document: RulesetDocument, commands: Workbench, interaction: Interaction,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.commands = commands
        self.interaction = interaction
        self.model = CasesModel(self)
        self.view = table(self.model, 4)
        self.run_button = QPushButton("Run all")
        self.run_button.clicked.connect(self.run_all)
        self.compare_button = QPushButton("Compare draft with published")
        self.compare_button.clicked.connect(lambda: self.compare())
        self.delete_button = QPushButton("Delete case")
        self.delete_button.clicked.connect(self.delete_selected)
        self.cancel_button = QPushButton("Cancel")
        self.progress = QProgressBar()
        self.background = BackgroundRun((self.run_button, self.compare_button), self.cancel_button, self.progress,
                                        interaction, "Running the cases failed", parent=self)
        self.background.cancelled.connect(lambda: self.status.emit("cancelled"))
        self.background.cancelled.connect(self.finished)
        self.background.failed.connect(self.finished)
        self.summary = QLabel("")
        self.runs_model = SimulationRunsModel(self)
        self.runs_view = table(self.runs_model, 0)
        self.runs_view.setMaximumHeight(self.runs_view.verticalHeader().defaultSectionSize() * 5)
        self.runs_label = QLabel("Recent runs")
        bar = QHBoxLayout()
        for w in (self.run_button, self.compare_button, self.delete_button, self.cancel_button):
            bar.addWidget(w)
        bar.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.runs_label)
        layout.addWidget(self.runs_view)
        document.opened.connect(self.refresh)
        document.opened.connect(self.refresh_runs)

    @property
    def busy(self) -> bool:
        return self.background.busy

    def refresh(self) -> None:
        if self.document.ruleset is None:
            self.model.set_rows([])
            return
        try:
            self.model.set_cases(self.commands.test_cases(self.document.ruleset))
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not list test cases", str(exc))
            return
        self.view.resizeColumnsToContents()
        self.summary.setText(f"{self.model.rowCount()} case(s)")

    def refresh_runs(self) -> None:
        """The ruleset's recently recorded runs, newest first."""
        if self.document.ruleset is None:
            self.runs_model.set_rows([])
            return
        try:
            runs = self.commands.simulation_runs(self.document.ruleset, RECENT_RUNS)
        except Exception as exc:  # noqa: BLE001
            self.runs_model.set_rows([])
            self.runs_label.setText(f"Recent runs: cannot list them ({exc})")
            return
        self.runs_model.set_rows(runs)
        self.runs_label.setText("Recent runs" if runs else "Recent runs: none recorded yet")
        self.runs_view.resizeColumnsToContents()

    # -- background work --------------------------------------------------------------

    def _start(self, work: Callable[[Any], Any], on_done: Callable[[Any], None], label: str) -> None:
        self.status.emit(label)
        self.background.start(work, on_done)

    def cancel(self) -> None:
        self.background.cancel()

    def _policy(self) -> Policy | None:
        if self.document.ruleset is None:
            return None
        try:
            return self.document.policy()
        except Exception as exc:  # noqa: BLE001 - a compile error, said in the dialog
            self.interaction.error("Cannot run the cases", str(exc))
            return None

    def run_all(self) -> None:
        """Every case against the editor's current text."""
        policy = self._policy()
        if policy is None or self.busy:
            return
        ruleset = self.document.ruleset or ""
        target = self._record_target()
        self.refresh()
        self._start(lambda progress: self.commands.run_cases(ruleset, policy, progress),
                    lambda run: self._show_runs(run, target), "running cases…")

    def _record_target(self) -> RecordTarget:
        """Taken when the run starts, so edits made while it runs cannot change what it is filed under."""
        if self.document.version is None:
            return "no stored version is open"
        if self.document.dirty:
            return "unsaved changes"
        return self.document.version, dict(self.document.sources)

    def _show_runs(self, run: CaseRun, target: RecordTarget) -> None:
        self.model.set_runs(run.results)
        passed, failed, _ = self.model.summary()
        note = self._record(run, target)
        self.summary.setText(f"{passed} passed · {failed} failed · {self.model.rowCount()} case(s) · {note}")
        self.status.emit(f"cases: {passed} passed, {failed} failed; {note}")
        self.finished.emit()

    def _record(self, run: CaseRun, target: RecordTarget) -> str:
        """Record the run through the store and say what happened; a refusal is a note, not a dialog."""
        if isinstance(target, str):
            return f"not recorded: {target}"
        version, sources = target
        try:
            recorded = self.commands.record_run(version, sources, run.results)
        except Exception as exc:  # noqa: BLE001 - the store's refusal (a viewer, a changed draft) is shown as is
            return f"not recorded: {exc}"
        self.refresh_runs()
        return f"recorded against {version.ruleset}@v{recorded.version}"

    def compare(self, then: Callable[[tuple[CaseChange, ...]], None] | None = None) -> None:
        """Which cases the editor's text decides differently from the published version."""
        policy = self._policy()
        if policy is None or self.busy:
            return
        ruleset = self.document.ruleset or ""
        try:
            old = self.commands.published_policy(ruleset)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("The published version does not compile", str(exc))
            return
        if old is None:
            self.interaction.inform("Nothing to compare with", "This ruleset has no published version yet.")
            if then:
                then(())
            return
        self.refresh()

        def done(run: CaseRun) -> None:
            self.model.set_changes(run.changes)
            self.summary.setText(f"{len(run.changes)} case(s) change decision or rules against {old.origin}")
            self.finished.emit()
            if then:
                then(run.changes)

        self._start(lambda progress: self.commands.run_cases(ruleset, policy, progress, baseline=old), done,
                    "comparing with published…")

    def delete_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or self.document.ruleset is None:
            return
        row = self.model.index(rows[0].row(), 0).data(RowRole)
        if not self.interaction.confirm("Delete test case", f"Delete `{row.case.name}`?"):
            return
        try:
            self.commands.delete_case(self.document.ruleset, row.case.name)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not delete", str(exc))
            return
        self.refresh()
