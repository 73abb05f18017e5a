"""The application's `Interaction`: Qt message boxes and input dialogs."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from ..interaction import Interaction


class QtInteraction(Interaction):
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def inform(self, title: str, message: str) -> None:
        QMessageBox.information(self.parent, title, message)

    def error(self, title: str, message: str) -> None:
        QMessageBox.warning(self.parent, title, message)

    def confirm(self, title: str, message: str) -> bool:
        answer = QMessageBox.question(self.parent, title, message)
        return answer == QMessageBox.StandardButton.Yes

    def ask_text(self, title: str, label: str, default: str = "", multiline: bool = False) -> str | None:
        if multiline:
            text, ok = QInputDialog.getMultiLineText(self.parent, title, label, default)
        else:
            text, ok = QInputDialog.getText(self.parent, title, label, text=default)
        return text if ok else None

    def save_path(self, title: str, default: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, default, filters)
        return path or None
