"""Adding a file to a draft: the place it is for (its `jurisdiction` header) and its name."""
from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from jurist.workbench.files import FileError, path_problem, suggested_path, with_new_file

from .common import note_label, say
from .place_picker import PlacePicker


class NewFileDialog(QDialog):
    """Pick a place (or every country) and a file name; the name follows the place until the person edits it."""

    def __init__(self, sources: Mapping[str, str], place: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New file"))
        self.sources = dict(sources)
        self.place = PlacePicker(self.tr("(every country: no jurisdiction header)"), regions=True)
        self.place.select(place)
        self.name = QLineEdit(suggested_path(place, self.sources))
        self._suggested = self.name.text()
        self.problem = note_label(warning=True)
        self.place.currentIndexChanged.connect(lambda _: self._place_changed())
        self.place.problem_changed.connect(lambda text: say(self.problem, text))
        self.name.textChanged.connect(lambda _: self._check())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("For the &place:"), self.place)
        form.addRow(self.tr("File &name:"), self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._check()

    def chosen_place(self) -> str | None:
        data: Any = self.place.currentData()
        return str(data) if data else None

    def path(self) -> str:
        return self.name.text().strip()

    def _place_changed(self) -> None:
        if self.name.text() == self._suggested:  # the person has not chosen a name of their own
            self._suggested = suggested_path(self.chosen_place(), self.sources)
            self.name.setText(self._suggested)
        self._check()

    def _check(self) -> str:
        problem = self.place.check() or path_problem(self.path(), self.sources) or ""
        say(self.problem, problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)
        return problem

    def _accept(self) -> None:
        if not self._check():
            self.accept()

    def result_sources(self) -> dict[str, str] | None:
        try:
            return with_new_file(self.sources, self.path(), self.chosen_place())
        except FileError:
            return None
