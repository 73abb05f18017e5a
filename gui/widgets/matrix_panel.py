"""The country matrix page: the simulator's request decided from every country and US state."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from jurist.workbench.matrix import PLACE_KINDS, MatrixCell, evaluate_matrix, request_text, to_csv

from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.matrix import MatrixFilter, MatrixModel
from .. import words
from ..palette import EFFECT_COLOURS
from .background_run import BackgroundRun
from .common import fit_columns, table
from .simulator import editor_policy


class MatrixPanel(QWidget):
    status = Signal(str)
    finished = Signal()

    def __init__(self, document: RulesetDocument, request: Callable[[], dict[str, Any]], interaction: Interaction,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._evaluated: tuple[dict[str, Any], str] | None = None  # the request and rules the cells are for
        self.document = document
        self.request = request
        self.interaction = interaction

        self.model = MatrixModel(self)
        self.filter = MatrixFilter(self)
        self.filter.setSourceModel(self.model)
        self.table = table(self.filter)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.grid = QListView()
        self.grid.setModel(self.filter)
        # List mode flowing in rows: icon mode elides region codes such as `US-CA` to `U…`.
        self.grid.setViewMode(QListView.ViewMode.ListMode)
        self.grid.setFlow(QListView.Flow.LeftToRight)
        self.grid.setWrapping(True)
        width = self.grid.fontMetrics().horizontalAdvance("US-WWW") + 20
        self.grid.setGridSize(QSize(max(76, width), 28))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setSpacing(2)
        self.views = QStackedWidget()
        self.views.addWidget(self.grid)
        self.views.addWidget(self.table)

        self.run_button = QPushButton(self.tr("&Evaluate every place"))
        self.run_button.setToolTip(self.tr("Decide the simulator's request from every country and US state"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.progress = QProgressBar()
        self.background = BackgroundRun((self.run_button,), self.cancel_button, self.progress, interaction,
                                        self.tr("The matrix could not be evaluated"), parent=self)
        self.background.cancelled.connect(self._cancelled)
        self.background.failed.connect(self.finished)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Filter by code, name, rule or citation (Ctrl+F)"))
        self.search.textChanged.connect(self._search_changed)
        self.effect_boxes: dict[str, QCheckBox] = {}
        self.export_button = QPushButton(self.tr("Export &CSV…"))
        self.export_button.clicked.connect(self.export_csv)
        self.as_table = QCheckBox(self.tr("&Table"))
        self.as_table.toggled.connect(lambda on: self.views.setCurrentIndex(1 if on else 0))
        self.states_only = QCheckBox(self.tr("US &states only"))
        self.states_only.toggled.connect(
            lambda on: self._set_kinds({"US state"} if on else set(PLACE_KINDS)))
        self.states_only.setToolTip(self.tr("The 50 states; DC and the territories (such as US-UM, the Minor "
                                            "Outlying Islands) are listed as “US district or territory”"))

        top = QHBoxLayout()
        top.addWidget(self.run_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.progress, 1)
        bar = QHBoxLayout()
        for effect in ("deny", "review", "allow"):
            box = QCheckBox(words.effect(effect))
            box.setChecked(True)
            box.setStyleSheet(f"QCheckBox {{ background: {EFFECT_COLOURS[effect]}; color: #000000; "
                              "padding: 2px 6px; }")
            box.toggled.connect(self._effects_changed)
            self.effect_boxes[effect] = box
            bar.addWidget(box)
        bar.addWidget(self.states_only)
        bar.addWidget(self.as_table)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        self.request_label = QLabel("")
        self.request_label.setWordWrap(True)
        self.counts = QLabel(self.tr("Run to evaluate the simulator's request everywhere."))
        self.counts.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.request_label)
        layout.addWidget(self.search)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.counts)

    def _effects_changed(self, *_: Any) -> None:
        self.filter.set_effects({e for e, box in self.effect_boxes.items() if box.isChecked()})
        self.show_counts()

    def _set_kinds(self, kinds: set[str]) -> None:
        self.filter.set_kinds(kinds)
        self.show_counts()

    def _search_changed(self, text: str) -> None:
        self.filter.set_text(text)
        self.show_counts()

    def show_counts(self) -> None:
        """How many places the filter shows out of all, then every decision's total over all of them."""
        total = self.model.rowCount()
        if total == 0:
            return
        counts = self.model.counts()
        totals = " · ".join(f"{words.effect(k)}: {v}" for k, v in counts.items())
        self.counts.setText(self.tr("{shown} of {total} places shown · totals: ").format(
            shown=self.filter.rowCount(), total=total) + totals)

    @property
    def busy(self) -> bool:
        return self.background.busy

    def run(self) -> None:
        if self.busy:
            return
        policy = editor_policy(self.document, self.interaction)
        if policy is None:
            return
        request = {k: v for k, v in self.request().items() if k not in ("country", "region")}
        shown = request_text(request)
        extra = self.tr(" · hypothetical scores") if "observations" in request else (
            self.tr(" · {n} image(s), detectors run once").format(n=len(request.get("images", [])))
            if request.get("images") else "")
        self.request_label.setText(self.tr("Request: {request}").format(request=shown or self.tr("(all unknown)"))
                                   + extra + self.tr(" · rules: {origin}").format(origin=policy.origin))
        self._evaluated = (request, policy.origin)
        # Hypothetical scores are the user's own: they replace the detectors (a trusting view of the policy).
        deciding = policy.trusting_observations()
        self.background.start(lambda progress: evaluate_matrix(deciding, request, progress=progress), self._show)

    def cancel(self) -> None:
        self.background.cancel()

    def _cancelled(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.emit(self.tr("matrix cancelled"))
        self.finished.emit()

    def _show(self, cells: list[MatrixCell]) -> None:
        self.model.set_rows(cells)
        fit_columns(self.table, widest=320)
        self.show_counts()
        self.status.emit(self.tr("matrix ready"))
        self.finished.emit()

    def export_csv(self) -> None:
        cells = self.filter.cells()
        if not cells:
            self.interaction.inform(self.tr("Nothing to export"), self.tr("Evaluate the matrix first."))
            return
        path = self.interaction.save_path(self.tr("Export matrix as CSV"), "jurist-matrix.csv",
                                          self.tr("CSV files (*.csv)"))
        if not path:
            return
        try:
            request, rules = self._evaluated or ({}, "")
            Path(path).write_text(to_csv(cells, request, rules), encoding="utf-8")
        except OSError as exc:
            self.interaction.error(self.tr("Could not export"), f"{path}: {exc.strerror or exc}")
            return
        self.status.emit(self.tr("exported {n} rows to {path}").format(n=len(cells), path=path))

    def start_find(self) -> None:
        """Ctrl+F: the filter field narrows the places shown."""
        self.search.setFocus()
        self.search.selectAll()

