"""The request the simulator and the matrix send: fields with names, images, or hypothetical scores."""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QFileDialog, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QSlider, QVBoxLayout, QWidget,
)

from jurist.dsl.places import countries, subdivisions
from jurist.engine.vocabulary import SCHEMA

from ..simulation import RequestForm, date_problem

UNKNOWN = "(unknown)"


def _choices(combo: QComboBox, values: list[tuple[str, str | None]]) -> None:
    combo.clear()
    for text, data in values:
        combo.addItem(text, data)


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
        self.region = QComboBox()
        self.tier = QComboBox()
        _choices(self.tier, [(UNKNOWN, None)] + [(v, v) for v in SCHEMA.fields["user.tier"]])
        self.surface = QComboBox()
        _choices(self.surface, [(UNKNOWN, None)] + [(v, v) for v in SCHEMA.fields["surface"]])
        self.date = QLineEdit(dt.date.today().isoformat())
        self.date.setPlaceholderText("YYYY-MM-DD (empty: today)")
        self.date_error = QLabel("")
        self.date_error.setWordWrap(True)
        self.date_error.setStyleSheet("color: #c00000;")
        self.date_error.hide()
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
        form.addRow("Country", self.country)
        form.addRow("Region", self.region)
        form.addRow("User tier", self.tier)
        form.addRow("Surface", self.surface)
        date_box = QVBoxLayout()
        date_box.setContentsMargins(0, 0, 0, 0)
        date_box.addWidget(self.date)
        date_box.addWidget(self.date_error)
        form.addRow("Date", date_box)
        form.addRow("Prompt", self.prompt)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(clear)
        form.addRow("Images", self.images)
        form.addRow("", buttons)

        self.hypothetical = QCheckBox("Hypothetical: set label scores instead of running detectors")
        self.sliders: dict[str, QSlider] = {}
        self.slider_values: dict[str, QLabel] = {}
        grid = QGridLayout()
        for row, (key, spec) in enumerate(sorted(SCHEMA.labels.items())):
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, 100)
            slider.setToolTip(spec.description)
            value = QLabel("0.00")
            slider.valueChanged.connect(lambda v, lab=value: lab.setText(f"{v / 100:.2f}"))
            name = QLabel(key + (" (person)" if spec.person_level else ""))
            name.setToolTip(spec.description)
            grid.addWidget(name, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(value, row, 2)
            self.sliders[key] = slider
            self.slider_values[key] = value
        self.scores_box = QGroupBox("Label scores")
        self.scores_box.setLayout(grid)
        self.scores_box.setEnabled(False)
        self.hypothetical.toggled.connect(self.scores_box.setEnabled)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.hypothetical)
        layout.addWidget(self.scores_box)
        layout.addStretch(1)
        self._fill_regions()

    # -- reading and writing -----------------------------------------------------------

    def _fill_regions(self, *_: Any) -> None:
        code = self.country.currentData()
        prefix = f"{code}-"
        regions = sorted((c, n) for c, n in subdivisions().items() if code and c.startswith(prefix))
        _choices(self.region, [(UNKNOWN, None)] + [(f"{c} — {n}", c) for c, n in regions])

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
            scores={k: s.value() / 100 for k, s in self.sliders.items()},
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
        for key, slider in self.sliders.items():
            slider.setValue(round(form.scores.get(key, 0.0) * 100))
