"""The request the simulator and the matrix send: fields with names, images, or hypothetical scores."""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from jurist.dsl.places import countries, subdivisions
from jurist.engine.vocabulary import SCHEMA

from ..simulation import RequestForm, date_problem

UNKNOWN = "(unknown)"
NOT_SET = "not set"


def _choices(combo: QComboBox, values: list[tuple[str, str | None]]) -> None:
    combo.clear()
    for text, data in values:
        combo.addItem(text, data)


def typed_choices(typed: str, items: Sequence[str]) -> list[int]:
    """The items a person may mean by `typed` (`GB — United Kingdom` items; case ignored): the one whose
    whole text, code or name it is, else every item containing it, names that start with it first."""
    wanted = typed.strip().casefold()
    if not wanted:
        return [0] if items and items[0] == UNKNOWN else []
    texts = [t.casefold() for t in items]
    exact = [i for i, t in enumerate(texts) if wanted == t or wanted in t.split(" — ")]
    if exact:
        return exact[:1]
    starts = [i for i, t in enumerate(texts) if t.partition(" — ")[2].startswith(wanted)]
    return starts + [i for i, t in enumerate(texts) if wanted in t and i not in starts]


class RequestFormWidget(QWidget):
    images_changed = Signal(list)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.action = QComboBox()
        _choices(self.action, [(UNKNOWN, None)] + [(v, v) for v in SCHEMA.fields["action"]])
        self.action.setCurrentIndex(1)
        self.country = QComboBox()
        self.country.setEditable(True)
        self.country.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        _choices(self.country, [(UNKNOWN, None)] + [(f"{c} — {n}", c) for c, n in sorted(countries().items())])
        completer = self.country.completer()
        assert completer is not None  # an editable combo box always has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.country.currentIndexChanged.connect(self._fill_regions)
        line = self.country.lineEdit()
        assert line is not None  # editable
        line.editingFinished.connect(lambda: self.check_country())  # Tab, Enter or a click elsewhere
        self.country_error = self._error_label()
        self.region = QComboBox()
        self.tier = QComboBox()
        _choices(self.tier, [(UNKNOWN, None)] + [(v, v) for v in SCHEMA.fields["user.tier"]])
        self.surface = QComboBox()
        _choices(self.surface, [(UNKNOWN, None)] + [(v, v) for v in SCHEMA.fields["surface"]])
        self.date = QLineEdit(dt.date.today().isoformat())
        self.date.setPlaceholderText("YYYY-MM-DD (empty: today)")
        self.date_error = self._error_label()
        self.date.textChanged.connect(lambda *_: self.check_date())
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText("The prompt, in any language")
        self.prompt.setFixedHeight(60)
        self.images = QListWidget()
        self.images.setFixedHeight(54)
        add = QPushButton("Add image…")
        add.clicked.connect(self._pick_images)
        clear = QPushButton("Clear")
        clear.clicked.connect(lambda: self.set_images([]))

        form = QFormLayout()
        form.addRow("Action", self.action)
        form.addRow("Country", self._with_error(self.country, self.country_error))
        form.addRow("Region", self.region)
        form.addRow("User tier", self.tier)
        form.addRow("Surface", self.surface)
        form.addRow("Date", self._with_error(self.date, self.date_error))
        form.addRow("Prompt", self.prompt)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(clear)
        form.addRow("Images", self.images)
        form.addRow("", buttons)

        self.hypothetical = QCheckBox("Hypothetical: replace detectors' scores with your own")
        self.sliders: dict[str, QSlider] = {}
        self.slider_values: dict[str, QLabel] = {}
        self.scores_set: set[str] = set()  # the sliders the person moved: only these are sent
        self._filling = False
        grid = QGridLayout()
        for row, (key, spec) in enumerate(sorted(SCHEMA.labels.items())):
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, 100)
            slider.setToolTip(spec.description)
            value = QLabel(NOT_SET)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance(NOT_SET) + 4)
            slider.valueChanged.connect(lambda _v, k=key: self._score_moved(k))
            name = QLabel(key + (" (person)" if spec.person_level else ""))
            name.setToolTip(spec.description)
            grid.addWidget(name, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(value, row, 2)
            self.sliders[key] = slider
            self.slider_values[key] = value
        unset = QPushButton("Unset all scores")
        unset.clicked.connect(lambda: self.set_scores({}))
        grid.addWidget(unset, len(self.sliders), 0, 1, 3, Qt.AlignmentFlag.AlignLeft)
        self.scores_box = QGroupBox("Label scores")
        self.scores_box.setLayout(grid)
        self.scores_box.setEnabled(False)
        self.replaced_note = QLabel("")  # which detectors the person's scores stand in for
        self.replaced_note.setWordWrap(True)
        self.replaced_note.hide()
        self.hypothetical.toggled.connect(self.scores_box.setEnabled)
        self.hypothetical.toggled.connect(lambda _on: self._show_replaced())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.hypothetical)
        layout.addWidget(self.replaced_note)
        layout.addWidget(self.scores_box)
        layout.addStretch(1)
        self._fill_regions()

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel("")
        label.setWordWrap(True)
        label.setStyleSheet("color: #c00000;")
        label.hide()
        return label

    @staticmethod
    def _with_error(field: QWidget, error: QLabel) -> QVBoxLayout:
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(field)
        box.addWidget(error)
        return box

    # -- reading and writing -----------------------------------------------------------

    def _fill_regions(self, *_: Any) -> None:
        code = self.country.currentData()
        prefix = f"{code}-"
        regions = sorted((c, n) for c, n in subdivisions().items() if code and c.startswith(prefix))
        _choices(self.region, [(UNKNOWN, None)] + [(f"{c} — {n}", c) for c, n in regions])

    def check_country(self) -> str | None:
        """Select the country the typed text names (`GB`, `United Kingdom`); else say under the field why
        it cannot be told, so a decision is never made for a country other than the one shown."""
        combo = self.country
        typed = combo.currentText()
        problem = None
        if typed != combo.itemText(combo.currentIndex()):
            found = typed_choices(typed, [combo.itemText(i) for i in range(combo.count())])
            if len(found) == 1:
                combo.setCurrentIndex(found[0])
                combo.setEditText(combo.itemText(found[0]))  # also when it was selected already (`gb`)
            elif found:
                shown = ", ".join(combo.itemText(i) for i in found[:4])
                more = f" and {len(found) - 4} more" if len(found) > 4 else ""
                problem = f"`{typed.strip()}` could be {shown}{more}: type more, or pick one from the list"
            else:
                problem = (f"`{typed.strip()}` is not a country: type its code (GB) or name (United Kingdom), "
                           "or pick one from the list")
        self.country_error.setText(problem or "")
        self.country_error.setVisible(problem is not None)
        return problem

    def problem(self) -> tuple[QWidget, str] | None:
        """The first field that cannot be sent as shown, with why; None when the form is fine."""
        for field, check in ((self.country, self.check_country), (self.date, self.check_date)):
            problem = check()
            if problem is not None:
                return field, problem
        return None

    def check_date(self) -> str | None:
        """Show under the date field why it is not a date; the problem, or None when the field is fine."""
        problem = date_problem(self.date.text())
        self.date_error.setText(problem or "")
        self.date_error.setVisible(problem is not None)
        return problem

    def set_images(self, paths: list[str]) -> None:
        self.images.clear()
        self.images.addItems(paths)
        self.images_changed.emit(paths)

    def _pick_images(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Choose images", "",
                                                "Images (*.jpg *.jpeg *.png *.webp *.bmp *.gif *.tif *.tiff)")
        if paths:
            self.set_images(self.image_paths() + paths)

    def image_paths(self) -> list[str]:
        return [self.images.item(i).text() for i in range(self.images.count())]

    def form(self) -> RequestForm:
        return RequestForm(
            action=self.action.currentData(), country=self.country.currentData(), region=self.region.currentData(),
            tier=self.tier.currentData(), surface=self.surface.currentData(), date=self.date.text().strip() or None,
            prompt=self.prompt.toPlainText().strip(), images=tuple(self.image_paths()),
            hypothetical=self.hypothetical.isChecked(),
            scores={k: self.sliders[k].value() / 100 for k in sorted(self.scores_set)},
        )

    def set_form(self, form: RequestForm) -> None:
        """Fill the widgets from a form (used by tests, screenshots and reopening a case)."""
        for combo, value in ((self.action, form.action), (self.country, form.country), (self.tier, form.tier),
                             (self.surface, form.surface)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self._fill_regions()
        self.region.setCurrentIndex(max(0, self.region.findData(form.region)))
        self.date.setText(form.date or "")
        self.prompt.setPlainText(form.prompt)
        self.set_images(list(form.images))
        self.hypothetical.setChecked(form.hypothetical)
        self.set_scores(form.scores)

    # -- hypothetical scores -------------------------------------------------------------

    def set_scores(self, scores: dict[str, float]) -> None:
        """Set exactly these scores; every other slider is back to "not set" (its detector decides)."""
        self._filling = True
        try:
            for key, slider in self.sliders.items():
                slider.setValue(round(scores.get(key, 0.0) * 100))
        finally:
            self._filling = False
        self.scores_set = {k for k in scores if k in self.sliders}
        for key in self.sliders:
            self._show_score(key)
        self._show_replaced()

    def _score_moved(self, key: str) -> None:
        if self._filling:
            return
        self.scores_set.add(key)
        self._show_score(key)
        self._show_replaced()

    def _show_score(self, key: str) -> None:
        value = self.sliders[key].value() / 100
        self.slider_values[key].setText(f"{value:.2f}" if key in self.scores_set else NOT_SET)

    def _show_replaced(self) -> None:
        self.replaced_note.setText(replaced_text(self.form()))
        self.replaced_note.setVisible(self.hypothetical.isChecked())


def replaced_text(form: RequestForm) -> str:
    """What a hypothetical request puts in the detectors' place, in words for the form."""
    replaced = form.replaced_detectors()
    if not replaced:
        return ("No score set yet: every label comes from its detector. Move a slider to put your score in "
                "its detector's place.")
    parts = []
    for detector, keys in replaced.items():
        scores = " and ".join(f"{k} {form.scores[k]:.2f}" for k in keys)
        verb = "replaces" if len(keys) == 1 else "replace"
        parts.append(f"{scores} {verb} detector `{detector}`")
    return (f"Your scores: {'; '.join(parts)}. Labels you did not set come from their detectors as live "
            "(the prompt is read; no image is looked at in this mode).")
