"""The test cases page: the ruleset's stored cases, added, edited, duplicated and deleted here; run all against
the editor's text; which cases the draft decides differently from the published version; filters.

A run of a stored version's exact text is recorded in the store, so the
recent runs below the cases say which version last passed, and who ran it;
a run of unsaved edits is shown but not recorded, since no version holds it.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from jurist.db.records import TestCaseInfo, VersionInfo
from jurist.db.workflow import has_role
from jurist.engine import Policy
from jurist.engine.cases import CaseChange
from jurist.workbench.cases import CaseRun
from jurist.workbench.session import Workbench

from .. import words
from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.records import CaseRow, CasesModel, SimulationRunsModel
from ..models.table import RowRole
from .background_run import BackgroundRun
from .case_dialog import CaseDialog
from .common import FindBar, note_label, say, table, table_search

# what a run is recorded against: a stored version and the exact text that ran, or why it is not recorded
RecordTarget = tuple[VersionInfo, dict[str, str]] | str
RECENT_RUNS = 10
ALL, FAILED, CHANGED = "all", "failed", "changed"


class CaseFilter(QSortFilterProxyModel):
    """All cases, only those that failed the last run, or only those the draft decides differently."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.mode = ALL

    def set_mode(self, mode: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 replaced invalidateFilter() with a begin/end pair
            self.beginFilterChange()
            self.mode = mode
            self.endFilterChange()
        else:
            self.mode = mode
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row: CaseRow | None = self.sourceModel().index(source_row, 0, source_parent).data(RowRole)
        if row is None:
            return False
        return (self.mode == ALL or (self.mode == FAILED and row.failed)
                or (self.mode == CHANGED and row.change is not None))


class CasesPanel(QWidget):
    status = Signal(str)
    finished = Signal()

    def __init__(self, document: RulesetDocument, commands: Workbench, interaction: Interaction,
                 simulator_request: Callable[[], dict[str, Any]] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.commands = commands
        self.interaction = interaction
        self.simulator_request = simulator_request
        self.case_dialog: CaseDialog | None = None
        self.model = CasesModel(self)
        self.filter = CaseFilter(self)
        self.filter.setSourceModel(self.model)
        self.view = table(self.filter, 4)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.view.activated.connect(lambda _: self.edit_selected())
        self.run_button = QPushButton(self.tr("&Run all"))
        self.run_button.setToolTip(self.tr("Run every case against the editor's text"))
        self.run_button.clicked.connect(self.run_all)
        self.compare_button = QPushButton(self.tr("Com&pare with published"))
        self.compare_button.setToolTip(self.tr("Which cases the editor's text decides differently from the "
                                               "published version"))
        self.compare_button.clicked.connect(lambda: self.compare())
        self.add_button = QPushButton(self.tr("&Add…"))
        self.add_button.clicked.connect(self.add_case)
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.duplicate_button = QPushButton(self.tr("D&uplicate"))
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button = QPushButton(self.tr("&Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.progress = QProgressBar()
        self.background = BackgroundRun((self.run_button, self.compare_button), self.cancel_button, self.progress,
                                        interaction, self.tr("Running the cases failed"), parent=self)
        self.background.cancelled.connect(lambda: self.status.emit(self.tr("cancelled")))
        self.background.cancelled.connect(self.finished)
        self.background.failed.connect(self.finished)
        self.show_combo = QComboBox()
        self.show_combo.addItem(self.tr("all cases"), ALL)
        self.show_combo.addItem(self.tr("failed in the last run"), FAILED)
        self.show_combo.addItem(self.tr("changed against published"), CHANGED)
        self.show_combo.currentIndexChanged.connect(lambda _: self._filter_changed())
        show_label = QLabel(self.tr("S&how:"))
        show_label.setBuddy(self.show_combo)
        self.edit_reason = note_label()   # why adding, editing or deleting is off, said here and not only on hover
        self.find_bar = FindBar(table_search(self.view), self.view)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.runs_model = SimulationRunsModel(self)
        self.runs_view = table(self.runs_model, 0)
        self.runs_view.setMaximumHeight(self.runs_view.verticalHeader().defaultSectionSize() * 5)
        self.runs_label = QLabel(self.tr("Recent runs"))
        run_bar = QHBoxLayout()
        for w in (self.run_button, self.compare_button, self.cancel_button):
            run_bar.addWidget(w)
        run_bar.addWidget(self.progress, 1)
        edit_bar = QHBoxLayout()
        for w in (self.add_button, self.edit_button, self.duplicate_button, self.delete_button):
            edit_bar.addWidget(w)
        edit_bar.addStretch(1)
        edit_bar.addWidget(show_label)
        edit_bar.addWidget(self.show_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(run_bar)
        layout.addLayout(edit_bar)
        layout.addWidget(self.edit_reason)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.runs_label)
        layout.addWidget(self.runs_view)
        document.opened.connect(self.refresh)
        document.opened.connect(self.refresh_runs)
        self._update_buttons()

    @property
    def busy(self) -> bool:
        return self.background.busy

    def refresh(self) -> None:
        if self.document.ruleset is None:
            self.model.set_rows([])
            self._update_buttons()
            return
        try:
            self.model.set_cases(self.commands.test_cases(self.document.ruleset))
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not list test cases"), str(exc))
            return
        self.view.resizeColumnsToContents()
        self._show_summary()
        self._update_buttons()

    def _show_summary(self, note: str = "") -> None:
        passed, failed, not_run = self.model.summary()
        count = self.model.rowCount()
        text = self.tr("%n case(s)", None, count)
        if passed or failed:
            text = self.tr("{passed} passed · {failed} failed · ").format(passed=passed, failed=failed) + text
        if self.filter.mode != ALL:
            text += self.tr(" · {n} shown").format(n=self.filter.rowCount())
        self.summary.setText(text + (f" · {note}" if note else ""))

    def refresh_runs(self) -> None:
        """The ruleset's recently recorded runs, newest first."""
        if self.document.ruleset is None:
            self.runs_model.set_rows([])
            return
        try:
            runs = self.commands.simulation_runs(self.document.ruleset, RECENT_RUNS)
        except Exception as exc:  # noqa: BLE001
            self.runs_model.set_rows([])
            self.runs_label.setText(self.tr("Recent runs: cannot list them ({error})").format(error=exc))
            return
        self.runs_model.set_rows(runs)
        self.runs_label.setText(self.tr("Recent runs") if runs else self.tr("Recent runs: none recorded yet"))
        self.runs_view.resizeColumnsToContents()

    def selected(self) -> TestCaseInfo | None:
        rows = self.view.selectionModel().selectedRows()
        row: CaseRow | None = self.filter.index(rows[0].row(), 0).data(RowRole) if rows else None
        return row.case if row is not None else None

    def select_case(self, name: str) -> None:
        for r in range(self.filter.rowCount()):
            if self.filter.index(r, 0).data(RowRole).case.name == name:
                self.view.selectRow(r)
                return

    def _filter_changed(self) -> None:
        self.filter.set_mode(str(self.show_combo.currentData()))
        self._show_summary()
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Editing needs the editor role and, for a case of its own, a selected one; say why when it is off."""
        me = self.commands.me()
        may_edit = me is not None and has_role(me.role, "editor") and self.document.ruleset is not None
        chosen = self.selected() is not None
        self.add_button.setEnabled(may_edit)
        for button in (self.edit_button, self.duplicate_button, self.delete_button):
            button.setEnabled(may_edit and chosen)
        if self.document.ruleset is None:
            reason = self.tr("Open a ruleset to see its cases.")
        elif not may_edit:
            reason = self.tr("Adding, editing and deleting cases needs the editor role; your role is {role}.").format(
                role=words.role(me.role if me else None))
        elif not chosen:
            reason = self.tr("Select a case to edit, duplicate or delete it (Enter edits).")
        else:
            reason = ""
        say(self.edit_reason, reason)

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
            self.interaction.error(self.tr("Cannot run the cases"), str(exc))
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
                    lambda run: self._show_runs(run, target), self.tr("running cases…"))

    def _record_target(self) -> RecordTarget:
        """Taken when the run starts, so edits made while it runs cannot change what it is filed under."""
        if self.document.version is None:
            return self.tr("no stored version is open")
        if self.document.dirty:
            return self.tr("unsaved changes")
        return self.document.version, dict(self.document.sources)

    def _show_runs(self, run: CaseRun, target: RecordTarget) -> None:
        self.model.set_runs(run.results)
        passed, failed, _ = self.model.summary()
        note = self._record(run, target)
        self._show_summary(note)
        self.status.emit(self.tr("cases: {passed} passed, {failed} failed; {note}").format(
            passed=passed, failed=failed, note=note))
        self.finished.emit()

    def _record(self, run: CaseRun, target: RecordTarget) -> str:
        """Record the run through the store and say what happened; a refusal is a note, not a dialog."""
        if isinstance(target, str):
            return self.tr("not recorded: {why}").format(why=target)
        version, sources = target
        try:
            recorded = self.commands.record_run(version, sources, run.results)
        except Exception as exc:  # noqa: BLE001 - the store's refusal (a viewer, a changed draft) is shown as is
            return self.tr("not recorded: {why}").format(why=exc)
        self.refresh_runs()
        return self.tr("recorded against {label}").format(label=f"{version.ruleset}@v{recorded.version}")

    def compare(self, then: Callable[[tuple[CaseChange, ...]], None] | None = None) -> None:
        """Which cases the editor's text decides differently from the published version."""
        policy = self._policy()
        if policy is None or self.busy:
            return
        ruleset = self.document.ruleset or ""
        try:
            old = self.commands.published_policy(ruleset)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("The published version does not compile"), str(exc))
            return
        if old is None:
            self.interaction.inform(self.tr("Nothing to compare with"),
                                    self.tr("This ruleset has no published version yet."))
            if then:
                then(())
            return
        self.refresh()

        def done(run: CaseRun) -> None:
            self.model.set_changes(run.changes)
            self._show_summary(self.tr("{n} case(s) change decision or rules against {origin}").format(
                n=len(run.changes), origin=old.origin))
            self.finished.emit()
            if then:
                then(run.changes)

        self._start(lambda progress: self.commands.run_cases(ruleset, policy, progress, baseline=old), done,
                    self.tr("comparing with published…"))

    # -- editing cases ---------------------------------------------------------------------

    def _rule_ids(self) -> list[str]:
        result = self.document.result
        return [r.id for r in result.ruleset.rules] if result is not None and result.ruleset is not None else []

    def add_case(self) -> None:
        """A new case, its request taken from the simulator's form to start with."""
        self._open_dialog(self.tr("Add a test case"), None)

    def edit_selected(self) -> None:
        case = self.selected()
        if case is not None and self.edit_button.isEnabled():
            self._open_dialog(self.tr("Edit test case"), case)

    def _open_dialog(self, title: str, case: TestCaseInfo | None) -> None:
        if self.document.ruleset is None:
            return
        dialog = CaseDialog(title, case, self._rule_ids(), self.simulator_request, self)
        dialog.accepted.connect(lambda: self._save(case, dialog))
        self.case_dialog = dialog
        dialog.open()

    def _save(self, replacing: TestCaseInfo | None, dialog: CaseDialog) -> None:
        try:
            saved = self.commands.edit_case(self.document.ruleset or "", replacing, dialog.edit())
        except Exception as exc:  # noqa: BLE001 - the workbench's or the store's refusal, as is
            self.interaction.error(self.tr("Could not save the case"), str(exc))
            return
        self.refresh()
        self.select_case(saved.name)
        self.status.emit(self.tr("saved test case `{name}`").format(name=saved.name))

    def duplicate_selected(self) -> None:
        case = self.selected()
        if case is None or self.document.ruleset is None:
            return
        try:
            copy = self.commands.duplicate_case(self.document.ruleset, case)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not duplicate the case"), str(exc))
            return
        self.refresh()
        self.select_case(copy.name)
        self.status.emit(self.tr("duplicated as `{name}`").format(name=copy.name))

    def delete_selected(self) -> None:
        case = self.selected()
        if case is None or self.document.ruleset is None:
            return
        question = self.tr("Delete `{name}`?").format(name=case.name)
        if not self.interaction.confirm(self.tr("Delete test case"), question):
            return
        try:
            self.commands.delete_case(self.document.ruleset, case.name)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not delete"), str(exc))
            return
        self.refresh()

    def start_find(self) -> None:
        self.find_bar.open_bar()
