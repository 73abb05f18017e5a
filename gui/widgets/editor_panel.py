"""The editor page: one file at a time, the problems of every file below it, save as draft."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jurist.db.errors import ConflictError
from jurist.workbench.session import Workbench

from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.problems import ProblemsModel
from ..models.table import RowRole
from ..palette import state_text
from .code_editor import CodeEditor


class EditorPanel(QWidget):
    status = Signal(str)

    def __init__(self, document: RulesetDocument, commands: Workbench, interaction: Interaction,
                 reload: Callable[[], None], parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.commands = commands
        self.interaction = interaction
        self._reload = reload
        self._loading = False

        self.files = QComboBox()
        self.files.setMinimumContentsLength(28)
        self.files.currentTextChanged.connect(self._show_file)
        self.version_label = QLabel()
        self.save_button = QPushButton("Save as draft")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        # Its own shortcut, not the button's: setText() replaces a button's shortcut with the label's mnemonic.
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.activated.connect(self.save)
        top = QHBoxLayout()
        top.addWidget(QLabel("File:"))
        top.addWidget(self.files)
        top.addWidget(self.version_label, 1)
        top.addWidget(self.save_button)

        self.editor = CodeEditor()
        self.editor.textChanged.connect(self._text_changed)
        self.problems = ProblemsModel(self)
        self.problems_view = QTableView()
        self.problems_view.setModel(self.problems)
        self.problems_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.problems_view.verticalHeader().hide()
        header = self.problems_view.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # message and help share what is left
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.problems_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.problems_view.activated.connect(self.jump_to)
        self.problems_view.clicked.connect(self.jump_to)
        self.problems_label = QLabel("Problems")
        self.save_note = QLabel("")  # a warning that does not stop the user: a draft may be saved half-done
        self.save_note.setStyleSheet("color: #c00000;")
        self.save_note.hide()

        bottom = QWidget()
        lay = QVBoxLayout(bottom)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.problems_label)
        lay.addWidget(self.problems_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.editor)
        split.addWidget(bottom)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.save_note)
        layout.addWidget(split)

        document.opened.connect(self._opened)
        document.compiled.connect(self._compiled)
        document.saved.connect(lambda _: self.update_label())

    # -- following the document ----------------------------------------------------

    def _opened(self) -> None:
        self._loading = True
        current = self.files.currentText()
        self.files.clear()
        self.files.addItems(sorted(self.document.sources))
        if current in self.document.sources:
            self.files.setCurrentText(current)
        self._loading = False
        self._show_file(self.files.currentText())
        self.update_label()

    def open_file(self, path: str) -> None:
        if path in self.document.sources:
            self.files.setCurrentText(path)

    @property
    def current_file(self) -> str:
        return self.files.currentText()

    def _show_file(self, path: str) -> None:
        if self._loading or not path:
            return
        self._loading = True
        self.editor.setPlainText(self.document.sources.get(path, ""))
        self._loading = False
        self.editor.set_diagnostics(self.document.diagnostics_for(path))

    def _text_changed(self) -> None:
        if self._loading or not self.current_file:
            return
        self.document.set_text(self.current_file, self.editor.toPlainText())
        self.update_label()

    def _compiled(self, result: Any) -> None:
        self.problems.set_rows(list(result.diagnostics))
        self.editor.set_diagnostics(self.document.diagnostics_for(self.current_file))
        self.editor.set_set_names(self.document.known_sets)
        errors, warnings = len(result.errors), len(result.warnings)
        if result.ok:
            self.save_note.hide()
        self.problems_label.setText(f"Problems: {errors} error(s), {warnings} warning(s) — "
                                    f"checked in {self.document.compile_ms:.0f} ms")
        self.status.emit("no errors" if result.ok else f"{errors} error(s)")

    def update_label(self) -> None:
        v = self.document.version
        if v is None:
            self.version_label.setText("")
            return
        edited = " · unsaved changes" if self.document.dirty else ""
        self.version_label.setText(f"  {v.label} · {state_text(v.state)}{edited}")
        self.version_label.setToolTip(f"{v.label} has been saved {v.revision} time(s). A save is refused if someone "
                                      "else saved in between, so nobody's edits are overwritten.")
        self.save_button.setText("Save draft" if v.state == "draft" else "Save as new draft")

    # -- user actions ------------------------------------------------------------------

    def jump_to(self, index: QModelIndex) -> None:
        diagnostic = self.problems.index(index.row(), 0).data(RowRole)
        if diagnostic is None:
            return
        self.open_file(diagnostic.file)
        self.editor.go_to(diagnostic.line, diagnostic.column)

    def save(self) -> None:
        """Save into the open draft, or start a new draft from a version under review or published."""
        version = self.document.version
        if version is None:
            return
        try:
            info = self.commands.save(version, self.document.sources)
        except ConflictError as exc:
            if self.interaction.confirm("Someone else saved first",
                                        f"{exc}\n\nDiscard your edits and load their version?"):
                self._reload()
            return
        except Exception as exc:  # noqa: BLE001 - shown, never raised into Qt
            self.interaction.error("Could not save", str(exc))
            return
        self.document.mark_saved(info)
        result = self.document.compile_now()
        if result.errors:
            note = (f"saved {info.label} with {len(result.errors)} error(s); "
                    "it cannot be submitted until they are fixed")
            self.save_note.setText(note)
            self.save_note.show()
            self.status.emit(note)
            return
        self.save_note.hide()
        self.status.emit(f"saved {info.label}")
