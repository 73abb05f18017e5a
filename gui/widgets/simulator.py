"""The simulator page: a request in, the decision out, with every reason the engine gives."""
from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jurist.engine import Decision, Policy
from jurist.workbench.session import Workbench

from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.decision import DetectorsModel, MatchedRulesModel, TraceModel
from ..palette import EFFECT_COLOURS, EFFECT_TEXT
from ..simulation import decision_summary, image_problem, simulate, unchecked_warning
from .background_run import BackgroundRun
from .image_view import ImageView
from .request_form import RequestFormWidget


def table(model: Any, stretch: int | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    if stretch is not None:
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def fit_columns(view: QTableView, widest: int = 220) -> None:
    """Size columns to their content but no wider than `widest`, so one long column cannot push the rest
    off-screen; cut text ends in "…" and the model's tooltips hold it whole.  A stretched column keeps stretching."""
    header = view.horizontalHeader()
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    for column in range(header.count()):
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch:
            continue
        view.resizeColumnToContents(column)
        if header.sectionSize(column) > widest:
            header.resizeSection(column, widest)


def editor_policy(document: RulesetDocument, interaction: Interaction) -> Policy | None:
    """The editor's text to decide with, or None once the user was told to fix its errors first."""
    try:
        return document.policy()
    except Exception as exc:  # noqa: BLE001
        interaction.error("The ruleset does not compile", f"Fix the errors in the editor first.\n\n{exc}")
        return None


class SimulatorPanel(QWidget):
    status = Signal(str)
    decided = Signal(object)  # Decision
    case_saved = Signal(str)  # case name

    def __init__(self, document: RulesetDocument, commands: Workbench, interaction: Interaction,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.commands = commands
        self.interaction = interaction
        self.decision: Decision | None = None
        self.request: dict[str, Any] | None = None

        self.form = RequestFormWidget()
        self.form.images_changed.connect(self._images_changed)
        form_scroll = QScrollArea()
        form_scroll.setWidget(self.form)
        form_scroll.setWidgetResizable(True)
        form_scroll.setMinimumWidth(self.form.minimumSizeHint().width() + 24)
        self.run_button = QPushButton("Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.save_case_button = QPushButton("Save as test case…")
        self.save_case_button.setEnabled(False)
        self.save_case_button.clicked.connect(self.save_as_case)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.background = BackgroundRun((self.run_button,), self.cancel_button, self.progress, interaction,
                                        "Simulation failed", interruptible=False, parent=self)
        self.background.cancelled.connect(lambda: self.status.emit("simulation cancelled"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_case_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(form_scroll, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.progress)

        self.effect_label = QLabel("No decision yet")
        self.effect_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.effect_label.setMinimumHeight(56)
        self._paint_effect(None)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #c00000; font-weight: bold;")
        self.warning.hide()
        self.rules = MatchedRulesModel(self)
        self.rules_view = table(self.rules)
        self.rules_view.horizontalHeader().setStretchLastSection(True)
        self.rules_view.horizontalHeader().moveSection(5, 2)  # shown: Effect, Rule, Unverified, Citation, …
        self.trace = TraceModel(self)
        self.trace_view = QTreeView()
        self.trace_view.setModel(self.trace)
        self.trace_view.setUniformRowHeights(True)
        self.detectors = DetectorsModel(self)
        self.detectors_view = table(self.detectors, 2)
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.image = ImageView()
        self.image.dropped.connect(lambda paths: self.form.set_images(self.form.image_paths() + paths))
        self.details = QTabWidget()
        self.details.addTab(self.trace_view, "Trace")
        self.details.addTab(self.detectors_view, "Detectors")
        self.details.addTab(self.raw, "Decision JSON")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.effect_label)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.warning)
        right_layout.addWidget(QLabel("Matched rules"))
        right_layout.addWidget(self.rules_view, 2)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.details)
        lower.addWidget(self.image)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setSizes([600, 300])
        self.details_and_image = lower  # not `self.lower`: that is QWidget.lower()
        right_layout.addWidget(lower, 3)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([400, 1000])
        self.split = split
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    # -- running -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.background.busy

    def run(self) -> None:
        """Decide the form's request against the editor's text, off the UI thread (detectors are slow)."""
        if self.busy:
            return
        invalid = self.form.problem()
        if invalid is not None:
            field, problem = invalid
            self.status.emit(f"not run: {problem}")
            self.summary.setText("not run: fix the field marked in red first")
            field.setFocus()
            return
        policy = editor_policy(self.document, self.interaction)
        if policy is None:
            return
        request = self.form.form().to_request()
        self.request = request
        self.status.emit("deciding…")
        self.background.start(lambda progress: simulate(policy, request), self.show_decision)

    def cancel(self) -> None:
        """Detectors cannot be interrupted mid-run; the result is dropped when it arrives."""
        self.background.cancel()

    def show_decision(self, decision: Decision) -> None:
        self.decision = decision
        self._paint_effect(decision.effect)
        self.summary.setText(decision_summary(decision))
        warning = unchecked_warning(decision)
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))
        self.rules.set_rows(list(decision.rules))
        fit_columns(self.rules_view, widest=170)
        self.trace.set_decision(decision)
        self.trace_view.expandAll()
        self.trace_view.resizeColumnToContents(0)
        self.detectors.set_rows(list(decision.detectors_run))
        fit_columns(self.detectors_view, widest=160)
        self.raw.setPlainText(json.dumps(decision.to_json(), indent=2, ensure_ascii=False, default=str))
        self.image.set_boxes(decision.observations.get("persons", []))
        problem = image_problem(decision)
        self.image.set_error(f"image could not be checked:\n{problem}" if problem else None)
        self.save_case_button.setEnabled(True)
        self.status.emit(f"decision: {decision.effect}")
        self.decided.emit(decision)

    def _paint_effect(self, effect: str | None) -> None:
        colour = EFFECT_COLOURS.get(effect or "", "#e0e0e0")
        self.effect_label.setText(EFFECT_TEXT.get(effect or "", "No decision yet"))
        self.effect_label.setStyleSheet(f"background: {colour}; font-size: 22pt; font-weight: bold; "
                                        "border-radius: 6px; padding: 6px;")

    def _images_changed(self, paths: list[str]) -> None:
        self.image.show_image(paths[0] if paths else None)

    # -- saving as a case ------------------------------------------------------------------

    def save_as_case(self) -> None:
        """Keep this request with the decision it got as the expected outcome."""
        if self.decision is None or self.request is None or self.document.ruleset is None:
            return
        name = self.interaction.ask_text("Save as test case", "Case name:", _suggest_name(self.request, self.decision))
        if not name:
            return
        try:
            self.commands.save_case(self.document.ruleset, name, self.request, self.decision.effect,
                                   [r.id for r in self.decision.rules if not r.unverified])
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not save the case", str(exc))
            return
        self.status.emit(f"saved test case `{name}`")
        self.case_saved.emit(name)


def _suggest_name(request: dict[str, Any], decision: Decision) -> str:
    place = request.get("region") or request.get("country") or "anywhere"
    rule = decision.deciding_rule
    return f"{place} {request.get('action', 'request')} → {decision.effect}" + (f" ({rule.id})" if rule else "")
