"""Versions and approval: history, side-by-side diff, the review buttons and the audit log."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jurist.db.workflow import ACTIONS
from jurist.workbench.review import STEP_LABELS as LABELS
from jurist.workbench.review import SubmitPreview
from jurist.workbench.session import Workbench

from .. import workers
from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.records import AuditModel, SideBySideModel, VersionsModel
from ..models.table import RowRole
from ..sidebyside import align_sources
from .simulator import table


class VersionsPanel(QWidget):
    status = Signal(str)
    changed = Signal()        # a version changed state: the tree and editor reload
    open_version = Signal(int)

    def __init__(self, document: RulesetDocument, commands: Workbench, interaction: Interaction,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.commands = commands
        self.interaction = interaction
        self._task: workers.Task | None = None

        self.versions = VersionsModel(self)
        self.versions_view = table(self.versions, 2)
        self.versions_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.versions_view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        self.who = QLabel("")
        bar.addWidget(self.who)
        bar.addStretch(1)
        for action in ACTIONS:
            button = QPushButton(LABELS[action])
            button.clicked.connect(lambda _=False, a=action: self.take(a))
            self.buttons[action] = button
            bar.addWidget(button)
        self.open_button = QPushButton("Open in editor")
        self.open_button.clicked.connect(self._open_selected)
        bar.addWidget(self.open_button)

        self.old_combo, self.new_combo, self.file_combo = QComboBox(), QComboBox(), QComboBox()
        for combo in (self.old_combo, self.new_combo):
            combo.currentIndexChanged.connect(lambda *_: self.show_diff())
        self.file_combo.currentTextChanged.connect(lambda *_: self._show_file_diff())
        self.diff = SideBySideModel(self)
        self.diff_view = table(self.diff)
        header = self.diff_view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self._aligned: dict[str, Any] = {}
        diff_bar = QHBoxLayout()
        diff_bar.addWidget(QLabel("Compare"))
        diff_bar.addWidget(self.old_combo)
        diff_bar.addWidget(QLabel("with"))
        diff_bar.addWidget(self.new_combo)
        diff_bar.addWidget(QLabel("file"))
        diff_bar.addWidget(self.file_combo, 1)
        self.diff_summary = QLabel("")
        diff_box = QWidget()
        diff_layout = QVBoxLayout(diff_box)
        diff_layout.setContentsMargins(0, 0, 0, 0)
        diff_layout.addLayout(diff_bar)
        diff_layout.addWidget(self.diff_view, 1)
        diff_layout.addWidget(self.diff_summary)

        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.versions_view)
        split.addWidget(diff_box)
        split.setStretchFactor(1, 2)
        history_layout.addWidget(split, 1)

        self.audit = AuditModel(self)
        self.audit_view = table(self.audit, 5)
        self.audit_subject = QLineEdit()
        self.audit_subject.setPlaceholderText("Subject, e.g. ruleset:global (empty: everything)")
        self.audit_subject.returnPressed.connect(self.refresh_audit)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh_audit)
        verify = QPushButton("Verify chain")
        verify.clicked.connect(self.verify_audit)
        self.audit_status = QLabel("")
        audit_bar = QHBoxLayout()
        audit_bar.addWidget(self.audit_subject, 1)
        audit_bar.addWidget(refresh)
        audit_bar.addWidget(verify)
        audit = QWidget()
        audit_layout = QVBoxLayout(audit)
        audit_layout.addLayout(audit_bar)
        audit_layout.addWidget(self.audit_view, 1)
        audit_layout.addWidget(self.audit_status)

        self.tabs = QTabWidget()
        self.tabs.addTab(history, "History and approval")
        self.tabs.addTab(audit, "Audit log")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        document.opened.connect(self._follow_document)
        document.saved.connect(lambda _: self._follow_document())

    # -- loading -----------------------------------------------------------------------

    def _follow_document(self) -> None:
        """Select the version the editor holds, so its buttons are the ones offered."""
        self.refresh(select=self.document.version.number if self.document.version else None)

    def refresh(self, select: int | None = None) -> None:
        ruleset = self.document.ruleset
        me = self.commands.me()
        self.who.setText(f"Acting as <b>{self.commands.actor}</b> ({me.role if me else 'not registered'})")
        if ruleset is None:
            return
        selected = self.selected()
        try:
            versions = self.commands.versions(ruleset)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not list versions", str(exc))
            return
        self.versions.set_rows(list(reversed(versions)))
        self.versions_view.resizeColumnsToContents()
        for combo in (self.old_combo, self.new_combo):
            combo.blockSignals(True)
            combo.clear()
            for v in versions:
                combo.addItem(f"v{v.number} ({v.state.replace('_', ' ')})", v.number)
            combo.blockSignals(False)
        if len(versions) >= 2:
            published = next((i for i, v in enumerate(versions) if v.state == "published"), len(versions) - 2)
            self.old_combo.setCurrentIndex(published if published != len(versions) - 1 else len(versions) - 2)
            self.new_combo.setCurrentIndex(len(versions) - 1)
        self.show_diff()
        keep = select or (selected.number if selected else (versions[-1].number if versions else None))
        for row in range(self.versions.rowCount()):
            if self.versions.row(row).number == keep:
                self.versions_view.selectRow(row)
        self._selection_changed()
        self.refresh_audit()

    def selected(self) -> Any:
        rows = self.versions_view.selectionModel().selectedRows() if self.versions_view.selectionModel() else []
        return self.versions.index(rows[0].row(), 0).data(RowRole) if rows else None

    def select_version(self, number: int) -> None:
        for row in range(self.versions.rowCount()):
            if self.versions.row(row).number == number:
                self.versions_view.selectRow(row)

    def _selection_changed(self) -> None:
        permissions = self.commands.permissions(self.selected())
        for action, button in self.buttons.items():
            verdict = permissions[action]
            button.setEnabled(verdict.allowed and self._task is None)
            button.setToolTip(verdict.reason)
        self.open_button.setEnabled(self.selected() is not None)

    def _open_selected(self) -> None:
        version = self.selected()
        if version is not None:
            self.open_version.emit(version.number)

    # -- diff --------------------------------------------------------------------------

    def show_diff(self) -> None:
        ruleset, old, new = self.document.ruleset, self.old_combo.currentData(), self.new_combo.currentData()
        self._aligned = {}
        self.file_combo.clear()
        if ruleset is None or old is None or new is None:
            self.diff.set_rows([])
            return
        try:
            a, b = self.commands.diff_sources(ruleset, old, new)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not compare versions", str(exc))
            return
        self._aligned = align_sources(a, b)
        self.file_combo.addItems(list(self._aligned))
        self.diff_summary.setText(f"{len(self._aligned)} file(s) differ between v{old} and v{new}"
                                  if self._aligned else f"v{old} and v{new} have the same sources")
        self._show_file_diff()

    def _show_file_diff(self) -> None:
        self.diff.set_rows(self._aligned.get(self.file_combo.currentText(), []))
        self.diff_view.resizeColumnToContents(0)
        self.diff_view.resizeColumnToContents(2)

    # -- review actions -----------------------------------------------------------------

    def take(self, action: str) -> None:
        version = self.selected()
        if version is None or self.document.ruleset is None:
            return
        if action == "submit":
            self._check_then_submit(version.number)
            return
        comment = ""
        if action in ("approve", "reject"):
            answer = self.interaction.ask_text(LABELS[action], "Comment (optional):")
            if answer is None:
                return
            comment = answer
        elif action in ("publish", "retire") and not self.interaction.confirm(
                LABELS[action], f"{LABELS[action]} {version.label}?"
                + self._publish_note(action)):
            return
        self._do(action, version.number, comment)

    def _publish_note(self, action: str) -> str:
        """Name the version that publishing retires, so nobody has to work out which one it is."""
        if action != "publish":
            return ""
        current = next((v for v in self.versions.rows() if v.state == "published"), None)
        return f"\n{current.label}, the version published now, will be retired." if current is not None else ""

    def _do(self, action: str, number: int, comment: str = "") -> None:
        ruleset = self.document.ruleset or ""
        try:
            info = self.commands.take_step(action, ruleset, number, comment)
        except Exception as exc:  # noqa: BLE001
            rendered = getattr(exc, "rendered", "")
            self.interaction.error(f"Could not {action}", f"{exc}\n\n{rendered}".strip())
            self.refresh()
            return
        self.status.emit(f"{info.label} is now {info.state.replace('_', ' ')}")
        self.changed.emit()
        self.refresh()

    def _check_then_submit(self, number: int) -> None:
        """Before a draft goes to review, show which of its cases fail and which it decides differently
        from the published version (`workbench.review.preview_submit`)."""
        if self.busy:
            return
        ruleset = self.document.ruleset or ""
        self.status.emit("running the draft's test cases and comparing with the published version…")
        self._task = workers.start(lambda progress: self.commands.preview_submit(ruleset, number, progress),
                                   on_done=lambda preview: self._confirm_submit(number, preview),
                                   on_error=self._failed, on_cancel=lambda: self._set_busy(False))
        self._set_busy(True)  # after the task exists, so the review buttons see it and turn off

    def _confirm_submit(self, number: int, preview: SubmitPreview) -> None:
        self._set_busy(False)
        if not preview.compiles:
            self._do("submit", number)  # the store refuses it with the compiler's diagnostics
            return
        lines = preview.summary().splitlines()
        shown = "\n".join(lines[:30]) + (f"\n… and {len(lines) - 30} more line(s)" if len(lines) > 30 else "")
        if self.interaction.confirm("Submit for review", f"{shown}\n\nSubmit {preview.draft} for review?"):
            self._do("submit", number)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.interaction.error("Could not run the draft's test cases", message)

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._task = None
        self._selection_changed()

    @property
    def busy(self) -> bool:
        return self._task is not None

    # -- audit ---------------------------------------------------------------------------

    def refresh_audit(self) -> None:
        subject = self.audit_subject.text().strip() or None
        try:
            self.audit.set_rows(list(self.commands.audit(500, subject)))
        except Exception as exc:  # noqa: BLE001
            self.audit_status.setText(str(exc))
            return
        self.audit_view.resizeColumnsToContents()
        self.audit_status.setText(f"{self.audit.rowCount()} event(s), newest first")

    def verify_audit(self) -> None:
        try:
            report = self.commands.verify_audit()
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not verify the audit log", str(exc))
            return
        if report.ok:
            self.audit_status.setText(f"audit chain intact: {report.events} event(s), head {report.head_hash[:16]}…")
            return
        found = [p.message for p in (*report.problems, *report.violations)] + list(report.mismatches)
        self.audit_status.setText(f"AUDIT LOG DOES NOT VERIFY: {len(found)} problem(s)")
        self.interaction.error("The audit log was altered", "\n".join(found[:20]))
