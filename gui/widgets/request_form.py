"""The request the simulator and the matrix send: fields with names, images, or hypothetical scores."""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from jurist.dsl.places import subdivisions
from jurist.engine.vocabulary import SCHEMA

from ..i18n import place_name, translate
from ..simulation import RequestForm, date_problem
from .common import leave_with_tab, note_label, say
from .place_picker import PlacePicker


def narrow(combo: QComboBox) -> QComboBox:
    """A combo box that may be narrower than its longest item (the list still shows it whole)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def _choices(combo: QComboBox, values: list[tuple[str, str | None]]) -> None:
    combo.clear()
    for text, data in values:
        combo.addItem(text, data)


class RequestFormWidget(QWidget):
    images_changed = Signal(list)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        unknown = self.tr("(unknown)")
        self.unknown = unknown
        self.not_set = self.tr("not set")
        self.action = QComboBox()
        _choices(self.action, [(unknown, None)] + [(v, v) for v in SCHEMA.fields["action"]])
        self.action.setCurrentIndex(1)
        self.country = PlacePicker(unknown)
        self.country.currentIndexChanged.connect(self._fill_regions)
        self.country_error = note_label(warning=True)
        self.country.problem_changed.connect(lambda text: say(self.country_error, text))
        self.region = QComboBox()
        self.tier = QComboBox()
        _choices(self.tier, [(unknown, None)] + [(v, v) for v in SCHEMA.fields["user.tier"]])
        self.surface = QComboBox()
        _choices(self.surface, [(unknown, None)] + [(v, v) for v in SCHEMA.fields["surface"]])
        self.stage = QComboBox()
        stages = {"input": self.tr("input, before generating"), "output": self.tr("output, the generated image")}
        _choices(self.stage, [(unknown, None)] + [(stages.get(v, v), v) for v in SCHEMA.fields["stage"]])
        self.stage.setCurrentIndex(1)
        self.stage.setToolTip(self.tr("A platform checks twice: the request (the prompt and the uploads) before "
                                      "generating, and the generated image before showing it. At the output, the "
                                      "images are the generator's."))
        self.date = QLineEdit(dt.date.today().isoformat())
        self.date.setPlaceholderText(self.tr("YYYY-MM-DD (empty: today)"))
        self.date_error = note_label(warning=True)
        self.date.textChanged.connect(lambda *_: self.check_date())
        self.prompt = leave_with_tab(QPlainTextEdit())
        self.prompt.setPlaceholderText(self.tr("The prompt, in any language"))
        self.prompt.setFixedHeight(60)
        self.images = QListWidget()
        self.images.setFixedHeight(54)
        add = QPushButton(self.tr("Add &image…"))
        add.setToolTip(self.tr("Or drop images on the picture pane"))
        add.clicked.connect(self._pick_images)
        clear = QPushButton(self.tr("Clear"))
        clear.setToolTip(self.tr("Remove every image from the request"))
        clear.clicked.connect(lambda: self.set_images([]))

        for combo in (self.action, self.country, self.region, self.tier, self.surface, self.stage):
            narrow(combo)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Action"), self.action)
        form.addRow(self._buddy(self.tr("&Country"), self.country), self._with_error(self.country, self.country_error))
        form.addRow(self.tr("Re&gion"), self.region)
        form.addRow(self.tr("User &tier"), self.tier)
        form.addRow(self.tr("&Surface"), self.surface)
        form.addRow(self.tr("Stag&e"), self.stage)
        form.addRow(self._buddy(self.tr("&Date"), self.date), self._with_error(self.date, self.date_error))
        form.addRow(self.tr("&Prompt"), self.prompt)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(clear)
        form.addRow(self.tr("Images"), self.images)
        form.addRow("", buttons)

        self.hypothetical_note = note_label(self.tr("Put your own scores in the detectors' place."))
        self.hypothetical = QCheckBox(self.tr("&Hypothetical scores"))
        self.sliders: dict[str, QSlider] = {}
        self.slider_values: dict[str, QLabel] = {}
        self.scores_set: set[str] = set()  # the sliders the person moved: only these are sent
        self._filling = False
        grid = QGridLayout()
        for row, (key, spec) in enumerate(sorted(SCHEMA.labels.items())):
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(0, 100)
            slider.setMinimumWidth(40)
            slider.setToolTip(spec.description)
            slider.setAccessibleName(key)
            value = QLabel(self.not_set)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance(self.not_set) + 4)
            slider.valueChanged.connect(lambda _v, k=key: self._score_moved(k))
            name = QLabel(key + (self.tr(" (person)") if spec.person_level else ""))
            name.setToolTip(spec.description)
            name.setBuddy(slider)
            grid.addWidget(name, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(value, row, 2)
            self.sliders[key] = slider
            self.slider_values[key] = value
        unset = QPushButton(self.tr("Unset all scores"))
        unset.clicked.connect(lambda: self.set_scores({}))
        grid.addWidget(unset, len(self.sliders), 0, 1, 3, Qt.AlignmentFlag.AlignLeft)
        self.scores_box = QGroupBox(self.tr("Label scores"))
        self.scores_box.setLayout(grid)
        self.scores_box.setEnabled(False)
        self.replaced_note = note_label()  # which detectors the person's scores stand in for
        self.hypothetical.toggled.connect(self.scores_box.setEnabled)
        self.hypothetical.toggled.connect(lambda _on: self._show_replaced())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.hypothetical)
        layout.addWidget(self.hypothetical_note)
        layout.addWidget(self.replaced_note)
        layout.addWidget(self.scores_box)
        layout.addStretch(1)
        self._fill_regions()

    @staticmethod
    def _buddy(text: str, field: QWidget) -> QLabel:
        """A label whose underlined letter (Alt+letter) goes to `field`."""
        label = QLabel(text)
        label.setBuddy(field)
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
        regions = sorted(c for c in subdivisions() if code and c.startswith(prefix))
        _choices(self.region, [(self.unknown, None)] + [(f"{c} — {place_name(c)}", c) for c in regions])

    def check_country(self) -> str | None:
        """Select the country the typed text names; else say under the field why it cannot be told, so a
        decision is never made for a country other than the one shown."""
        return self.country.check() or None

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
        say(self.date_error, problem or "")
        return problem

    def set_images(self, paths: list[str]) -> None:
        self.images.clear()
        self.images.addItems(paths)
        self.images_changed.emit(paths)

    def _pick_images(self) -> None:
        kinds = self.tr("Images") + " (*.jpg *.jpeg *.png *.webp *.bmp *.gif *.tif *.tiff)"
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose images"), "", kinds)
        if paths:
            self.set_images(self.image_paths() + paths)

    def image_paths(self) -> list[str]:
        return [self.images.item(i).text() for i in range(self.images.count())]

    def form(self) -> RequestForm:
        return RequestForm(
            action=self.action.currentData(), country=self.country.currentData(), region=self.region.currentData(),
            tier=self.tier.currentData(), surface=self.surface.currentData(),
            stage=self.stage.currentData(), date=self.date.text().strip() or None,
            prompt=self.prompt.toPlainText().strip(), images=tuple(self.image_paths()),
            hypothetical=self.hypothetical.isChecked(),
            scores={k: self.sliders[k].value() / 100 for k in sorted(self.scores_set)},
        )

    def set_form(self, form: RequestForm) -> None:
        """Fill the widgets from a form (used by tests, screenshots, reopening a case, a new language)."""
        for combo, value in ((self.action, form.action), (self.country, form.country), (self.tier, form.tier),
                             (self.surface, form.surface), (self.stage, form.stage)):
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
        self.slider_values[key].setText(f"{value:.2f}" if key in self.scores_set else self.not_set)

    def _show_replaced(self) -> None:
        say(self.replaced_note, replaced_text(self.form()) if self.hypothetical.isChecked() else "")
        self.hypothetical_note.setVisible(not self.hypothetical.isChecked())


def replaced_text(form: RequestForm) -> str:
    """What a hypothetical request puts in the detectors' place, in words for the form."""
    replaced = form.replaced_detectors()
    if not replaced:
        return translate("RequestFormWidget", "No score set yet: every label comes from its detector. Move a slider "
                                              "to put your score in its detector's place.")
    parts = []
    for detector, keys in replaced.items():
        scores = translate("RequestFormWidget", " and ").join(f"{k} {form.scores[k]:.2f}" for k in keys)
        verb = translate("RequestFormWidget", "replaces detector `{detector}`") if len(keys) == 1 else \
            translate("RequestFormWidget", "replace detector `{detector}`")
        parts.append(f"{scores} {verb.format(detector=detector)}")
    return translate("RequestFormWidget", "Your scores: {parts}. Labels you did not set come from their detectors as "
                                          "live (the prompt is read; no image is looked at in this mode).").format(
        parts="; ".join(parts))
