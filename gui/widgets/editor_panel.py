"""The editor page: one file at a time (each with its own undo history), the problems of every file below it,
find, and the draft's files (new for a place, renamed, deleted)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextDocumentLayout,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jurist.db.errors import ConflictError
from jurist.workbench.files import FileError, with_renamed_file, without_file
from jurist.workbench.session import Workbench

from .. import words
from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.problems import ProblemsModel
from ..models.table import RowRole
from .code_editor import CodeEditor
from .common import FindBar, note_label, say, table, table_search
from .file_dialog import NewFileDialog
from .highlighter import PolicyHighlighter


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
        self._texts: dict[str, QTextDocument] = {}  # one per file: switching files keeps each one's undo history
        self.file_dialog: NewFileDialog | None = None

        self.files = QComboBox()
        self.files.setMinimumContentsLength(16)
        self.files.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.files.currentTextChanged.connect(self._show_file)
        self.files.setToolTip(self.tr("The file shown; the rulesets panel lists them by place"))
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        self.undo_button, self.redo_button = QToolButton(), QToolButton()
        self.undo_button.setText(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last edit of this file (Ctrl+Z)"))
        self.redo_button.setText(self.tr("Redo"))
        self.redo_button.setToolTip(self.tr("Redo (Ctrl+Shift+Z)"))
        self.save_button = QPushButton(self.tr("Save as draft"))
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        top = QHBoxLayout()
        file_label = QLabel(self.tr("&File:"))
        file_label.setBuddy(self.files)
        top.addWidget(file_label)
        top.addWidget(self.files)
        top.addWidget(self.version_label, 1)
        top.addWidget(self.undo_button)
        top.addWidget(self.redo_button)
        top.addWidget(self.save_button)

        self.editor = CodeEditor()
        self.editor.textChanged.connect(self._text_changed)
        self.undo_button.clicked.connect(self.editor.undo)
        self.redo_button.clicked.connect(self.editor.redo)
        self.editor.undoAvailable.connect(self.undo_button.setEnabled)
        self.editor.redoAvailable.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.find_bar = FindBar(self.editor.find_text, self.editor)
        self.problems = ProblemsModel(self)
        self.problems_view = table(self.problems)
        header = self.problems_view.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # message and help share what is left
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.problems_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.problems_view.activated.connect(self.jump_to)
        self.problems_view.clicked.connect(self.jump_to)
        self.problems_find = FindBar(table_search(self.problems_view), self.problems_view)
        self.problems_label = QLabel(self.tr("Problems"))
        self.save_note = note_label(warning=True)  # a warning that does not stop the user: a draft may be half-done

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.editor, 1)
        upper_layout.addWidget(self.find_bar)
        bottom = QWidget()
        lay = QVBoxLayout(bottom)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.problems_label)
        lay.addWidget(self.problems_view)
        lay.addWidget(self.problems_find)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(bottom)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.save_note)
        layout.addWidget(split, 1)

        document.opened.connect(self._opened)
        document.files_changed.connect(self._files_changed)
        document.compiled.connect(self._compiled)
        document.saved.connect(lambda _: self.update_label())

    # -- following the document ----------------------------------------------------

    def _opened(self) -> None:
        self._texts = {}
        self._sync_files()
        self.update_label()

    def _files_changed(self) -> None:
        self._sync_files()
        self.update_label()

    def _sync_files(self) -> None:
        """One text document per file, created or brought up to date as an undoable edit."""
        self._loading = True
        try:
            for path in list(self._texts):
                if path not in self.document.sources:
                    del self._texts[path]
            for path, text in self.document.sources.items():
                existing = self._texts.get(path)
                if existing is None:
                    self._texts[path] = _text_document(text, self)
                elif existing.toPlainText() != text:
                    cursor = QTextCursor(existing)
                    cursor.select(QTextCursor.SelectionType.Document)
                    cursor.insertText(text)  # one undoable step: Ctrl+Z takes an inserted rule back out
            current = self.files.currentText()
            self.files.clear()
            self.files.addItems(sorted(self.document.sources))
            if current in self.document.sources:
                self.files.setCurrentText(current)
        finally:
            self._loading = False
        self._show_file(self.files.currentText())

    def open_file(self, path: str, line: int | None = None) -> None:
        if path in self.document.sources:
            self.files.setCurrentText(path)
            if line is not None:
                self.editor.go_to(line)

    @property
    def current_file(self) -> str:
        return self.files.currentText()

    def _show_file(self, path: str) -> None:
        if self._loading or not path or path not in self._texts:
            return
        text = self._texts[path]
        if self.editor.document() is not text:
            self._loading = True
            self.editor.setDocument(text)
            self._loading = False
            self.undo_button.setEnabled(text.isUndoAvailable())
            self.redo_button.setEnabled(text.isRedoAvailable())
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
            say(self.save_note, "")
        self.problems_label.setText(self.tr("Problems: {errors} error(s), {warnings} warning(s) — checked in {ms} ms")
                                    .format(errors=errors, warnings=warnings, ms=f"{self.document.compile_ms:.0f}"))
        self.status.emit(self.tr("no errors") if result.ok else self.tr("{n} error(s)").format(n=errors))

    def update_label(self) -> None:
        v = self.document.version
        if v is None:
            self.version_label.setText("")
            return
        edited = self.tr(" · unsaved changes") if self.document.dirty else ""
        self.version_label.setText(f"{v.label} · {words.state(v.state)}{edited}")
        self.version_label.setToolTip(self.tr("{label} has been saved {n} time(s). A save is refused if someone "
                                              "else saved in between, so nobody's edits are overwritten.")
                                      .format(label=v.label, n=v.revision))
        self.save_button.setText(self.tr("Save draft") if v.state == "draft" else self.tr("Save as new draft"))

    # -- finding -------------------------------------------------------------------------

    def start_find(self) -> None:
        """Ctrl+F: find in the problems list when it has the focus, else in the file."""
        if self.problems_view.hasFocus():
            self.problems_find.open_bar()
        else:
            self.find_bar.open_bar()

    def find_next(self, backwards: bool = False) -> None:
        bar = self.problems_find if self.problems_find.isVisible() else self.find_bar
        if not bar.field.text():
            bar.open_bar()
            return
        bar.find_match(backwards)

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
            if self.interaction.confirm(self.tr("Someone else saved first"),
                                        self.tr("{error}\n\nDiscard your edits and load their version?")
                                        .format(error=exc)):
                self._reload()
            return
        except Exception as exc:  # noqa: BLE001 - shown, never raised into Qt
            self.interaction.error(self.tr("Could not save"), str(exc))
            return
        self.document.mark_saved(info)
        result = self.document.compile_now()
        if result.errors:
            note = self.tr("saved {label} with {n} error(s); it cannot be submitted until they are fixed").format(
                label=info.label, n=len(result.errors))
            say(self.save_note, note)
            self.status.emit(note)
            return
        say(self.save_note, "")
        self.status.emit(self.tr("saved {label}").format(label=info.label))

    # -- the draft's files ----------------------------------------------------------------

    def new_file(self, place: str | None = None) -> None:
        """Ask for a place and a name, then add the file with its `jurisdiction` header and show it."""
        if self.document.version is None:
            return
        dialog = NewFileDialog(self.document.sources, place, self)
        dialog.accepted.connect(lambda: self._add_file(dialog))
        self.file_dialog = dialog
        dialog.open()

    def _add_file(self, dialog: NewFileDialog) -> None:
        sources = dialog.result_sources()
        if sources is None:
            return
        self.document.replace_sources(sources)
        self.open_file(dialog.path())
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        QTimer.singleShot(0, self.editor.setFocus)  # once the dialog has handed the window back
        self.status.emit(self.tr("added {file}; save to keep it").format(file=dialog.path()))

    def rename_file(self, path: str | None = None) -> None:
        old = path or self.current_file
        if not old:
            return
        new = self.interaction.ask_text(self.tr("Rename file"), self.tr("New name for {file}:").format(file=old), old)
        if new is None or new == old:
            return
        try:
            sources = with_renamed_file(self.document.sources, old, new.strip())
        except FileError as exc:
            self.interaction.error(self.tr("Could not rename"), str(exc))
            return
        self.document.replace_sources(sources)
        self.open_file(new.strip())
        self.status.emit(self.tr("renamed {old} to {new}; save to keep it").format(old=old, new=new.strip()))

    def delete_file(self, path: str | None = None) -> None:
        target = path or self.current_file
        if not target or not self.interaction.confirm(
                self.tr("Delete file"), self.tr("Delete {file} from this draft? Its rules go with it; until you "
                                                "save, Reload brings it back.").format(file=target)):
            return
        try:
            sources = without_file(self.document.sources, target)
        except FileError as exc:
            self.interaction.error(self.tr("Could not delete"), str(exc))
            return
        self.document.replace_sources(sources)
        self.status.emit(self.tr("deleted {file}; save to keep it").format(file=target))


def _text_document(text: str, parent: QWidget) -> QTextDocument:
    document = QTextDocument(parent)
    document.setDocumentLayout(QPlainTextDocumentLayout(document))
    document.setPlainText(text)  # not an edit: nothing to undo yet
    PolicyHighlighter(document)  # owned by the document
    return document
