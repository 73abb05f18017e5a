"""The simulator page: a request in, the decision out, said in plain words first and then with every reason."""
from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jurist.engine import Decision, Policy
from jurist.workbench.session import Workbench

from .. import words
from ..document import RulesetDocument
from ..explanation import explain
from ..i18n import translate
from ..interaction import Interaction
from ..models.decision import DetectorsModel, TraceModel
from ..palette import EFFECT_COLOURS
from ..simulation import decision_summary, image_problem, simulate, unchecked_warning
from .background_run import BackgroundRun
from .common import FindBar, fit_columns, note_label, say, scrolling, table
from .image_view import ImageView
from .request_form import RequestFormWidget
from .rule_cards import RuleCards

EDITOR, PUBLISHED = "editor", "published"
WIDE = 1100  # px of page: room for the picture beside the trace


def editor_policy(document: RulesetDocument, interaction: Interaction) -> Policy | None:
    """The editor's text to decide with, or None once the user was told to fix its errors first."""
    try:
        return document.policy()
    except Exception as exc:  # noqa: BLE001
        interaction.error(translate("Simulator", "The ruleset does not compile"),
                          translate("Simulator", "Fix the errors in the editor first.") + f"\n\n{exc}")
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
        self.decided_with = ""  # which rules the shown decision came from, in words

        self.form = RequestFormWidget()
        self.form.images_changed.connect(self._images_changed)
        form_scroll = scrolling(self.form)
        scrollbar = form_scroll.verticalScrollBar().sizeHint().width()
        form_scroll.setMinimumWidth(self.form.minimumSizeHint().width() + scrollbar + 12)  # nothing cut off
        self.rules_choice = QComboBox()
        self.rules_choice.addItem(self.tr("the editor's text"), EDITOR)
        self.rules_choice.addItem(self.tr("the published version"), PUBLISHED)
        self.rules_choice.setToolTip(self.tr("Decide with the text in the editor (saved or not), or with the version "
                                             "served now"))
        choice_label = QLabel(self.tr("Decide &with:"))
        choice_label.setBuddy(self.rules_choice)
        self.run_button = QPushButton(self.tr("&Run"))
        self.run_button.setDefault(True)
        self.run_button.setToolTip(self.tr("Decide the request (Ctrl+Return)"))
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.save_case_button = QPushButton(self.tr("Save as test &case…"))
        self.save_case_button.setEnabled(False)
        self.save_case_button.clicked.connect(self.save_as_case)
        self.save_reason = note_label(self.tr("Run a simulation first: its request becomes the case."))
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.background = BackgroundRun((self.run_button,), self.cancel_button, self.progress, interaction,
                                        self.tr("Simulation failed"), interruptible=False, parent=self)
        self.background.cancelled.connect(lambda: self.status.emit(self.tr("simulation cancelled")))
        choice = QHBoxLayout()
        choice.addWidget(choice_label)
        choice.addWidget(self.rules_choice, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_case_button)
        save_row.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(form_scroll, 1)
        left_layout.addLayout(choice)
        left_layout.addLayout(buttons)
        left_layout.addLayout(save_row)
        left_layout.addWidget(self.save_reason)
        left_layout.addWidget(self.progress)

        self.version_label = note_label()  # which rules decided: the editor's draft (edited or not) or published
        self.effect_label = QLabel(words.verdict(None))
        self.effect_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.effect_label.setMinimumHeight(48)
        self._paint_effect(None)
        self.explanation = QLabel("")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                 | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.summary = note_label()
        self.warning = note_label(warning=True)
        self.warning.setStyleSheet(self.warning.styleSheet() + " font-weight: bold;")
        self.rules_view = RuleCards()
        self.rules_find = FindBar(self.rules_view.find_text, self.rules_view)
        self.trace = TraceModel(self)
        self.trace_view = QTreeView()
        self.trace_view.setModel(self.trace)
        self.trace_view.setUniformRowHeights(True)
        trace_header = self.trace_view.header()
        trace_header.setStretchLastSection(False)
        trace_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the step elides (tooltip) ...
        for column, sample in ((1, "unknown  "), (2, "0.95, 0.95, 0.95")):  # ... so Result and Saw stay on screen
            trace_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            trace_header.resizeSection(column, self.trace_view.fontMetrics().horizontalAdvance(sample) + 16)
        self.trace_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.trace_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.detectors = DetectorsModel(self)
        self.detectors_view = table(self.detectors, 2)
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.image = ImageView()
        self.image.dropped.connect(lambda paths: self.form.set_images(self.form.image_paths() + paths))
        self.details = QTabWidget()
        self.details.addTab(self.trace_view, self.tr("Trace"))
        self.details.addTab(self.detectors_view, self.tr("Detectors"))
        self.details.addTab(self.raw, self.tr("Decision JSON"))

        verdict = QWidget()
        verdict_layout = QVBoxLayout(verdict)
        verdict_layout.setContentsMargins(0, 0, 0, 0)
        verdict_layout.addWidget(self.version_label)
        verdict_layout.addWidget(self.effect_label)
        verdict_layout.addWidget(self.explanation)
        verdict_layout.addWidget(self.warning)
        verdict_layout.addWidget(self.summary)
        verdict_layout.addStretch(1)
        matched = QWidget()
        matched_layout = QVBoxLayout(matched)
        matched_layout.setContentsMargins(0, 0, 0, 0)
        matched_layout.addWidget(QLabel(self.tr("Matched rules")))
        matched_layout.addWidget(self.rules_view, 1)
        matched_layout.addWidget(self.rules_find)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.details)
        lower.addWidget(self.image)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setSizes([600, 300])
        lower.setChildrenCollapsible(False)
        self.details_and_image = lower  # not `self.lower`: that is QWidget.lower()
        self.image_beside = True  # beside the details when there is room, else one of their tabs
        verdict_area = scrolling(verdict)
        verdict_area.setMinimumHeight(self.fontMetrics().height() * 12)  # the banner and a four-line explanation
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(verdict_area)
        right.addWidget(matched)
        right.addWidget(lower)
        right.setChildrenCollapsible(False)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setStretchFactor(2, 4)
        self.results = right

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 1000])
        self.split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    # -- running -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.background.busy

    def _policy(self) -> tuple[Policy, str] | None:
        """The rules chosen to decide with and how to name them, or None once the person was told why not."""
        if self.rules_choice.currentData() == PUBLISHED:
            ruleset = self.document.ruleset or ""
            try:
                published = self.commands.published_policy(ruleset)
            except Exception as exc:  # noqa: BLE001
                self.interaction.error(self.tr("The published version does not compile"), str(exc))
                return None
            if published is None:
                self.interaction.error(self.tr("Nothing is published"),
                                       self.tr("{ruleset} has no published version yet; decide with the editor's "
                                               "text instead.").format(ruleset=ruleset))
                return None
            return published, self.tr("Decided with {label} — published (the version served now)").format(
                label=published.origin)
        policy = editor_policy(self.document, self.interaction)
        if policy is None:
            return None
        version = self.document.version
        if version is None:
            return policy, self.tr("Decided with the editor's text")
        state = words.state(version.state)
        if self.document.dirty:
            return policy, self.tr("Decided with {label} — {state}, with unsaved edits").format(
                label=version.label, state=state)
        return policy, self.tr("Decided with {label} — {state}").format(label=version.label, state=state)

    def run(self) -> None:
        """Decide the form's request against the chosen rules, off the UI thread (detectors are slow)."""
        if self.busy:
            return
        invalid = self.form.problem()
        if invalid is not None:
            field, problem = invalid
            self.status.emit(self.tr("not run: {problem}").format(problem=problem))
            say(self.summary, self.tr("not run: fix the field marked in red first"))
            field.setFocus()
            return
        chosen = self._policy()
        if chosen is None:
            return
        policy, decided_with = chosen
        request = self.form.form().to_request()
        self.request = request
        self.decided_with = decided_with
        self.status.emit(self.tr("deciding…"))
        self.background.start(lambda progress: simulate(policy, request), self.show_decision)

    def cancel(self) -> None:
        """Detectors cannot be interrupted mid-run; the result is dropped when it arrives."""
        self.background.cancel()

    def show_decision(self, decision: Decision) -> None:
        self.decision = decision
        self._paint_effect(decision.effect)
        say(self.version_label, self.decided_with)
        self.explanation.setText(explain(decision, self.request or {}))
        say(self.summary, decision_summary(decision))
        say(self.warning, unchecked_warning(decision))
        self.rules_view.show_rules(decision.rules)
        self.trace.set_decision(decision)
        self.trace_view.expandAll()
        self.detectors.set_rows(list(decision.detectors_run))
        fit_columns(self.detectors_view, widest=160)
        self.raw.setPlainText(json.dumps(decision.to_json(), indent=2, ensure_ascii=False, default=str))
        self.image.set_boxes(decision.observations.get("persons", []))
        problem = image_problem(decision)
        self.image.set_error(self.tr("image could not be checked:\n{problem}").format(problem=problem)
                             if problem else None)
        self.save_case_button.setEnabled(self.document.ruleset is not None)
        say(self.save_reason, "")
        self.status.emit(self.tr("decision: {effect}").format(effect=words.effect(decision.effect)))
        self.decided.emit(decision)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.place_image(self.width() >= WIDE)

    def place_image(self, beside: bool) -> None:
        """The picture beside the trace when the page is wide, else a tab of its own (the trace keeps its width)."""
        if beside == self.image_beside:
            return
        self.image_beside = beside
        if beside:
            self.details.removeTab(self.details.indexOf(self.image))
            self.details_and_image.addWidget(self.image)
            self.details_and_image.setSizes([600, 300])
        else:
            self.details.addTab(self.image, self.tr("Image"))
        self.image.show()

    def set_point_size(self, size: int) -> None:
        """The verdict and its explanation grow and shrink with the window's text."""
        self._point_size = size
        font = self.explanation.font()
        font.setPointSize(size + 1)
        self.explanation.setFont(font)
        self._paint_effect(self.decision.effect if self.decision else None)

    def _paint_effect(self, effect: str | None) -> None:
        colour = EFFECT_COLOURS.get(effect or "", "#e0e0e0")
        self.effect_label.setText(words.verdict(effect))
        size = 2 * getattr(self, "_point_size", 10)
        self.effect_label.setStyleSheet(f"background: {colour}; color: #000000; font-size: {size}pt; "
                                        "font-weight: bold; border-radius: 6px; padding: 4px;")

    def _images_changed(self, paths: list[str]) -> None:
        self.image.show_image(paths[0] if paths else None)

    def start_find(self) -> None:
        self.rules_find.open_bar()

    # -- saving as a case ------------------------------------------------------------------

    def save_as_case(self) -> None:
        """Keep this request with the decision it got as the expected outcome (edit it on the cases page)."""
        if self.decision is None or self.request is None or self.document.ruleset is None:
            return
        name = self.interaction.ask_text(self.tr("Save as test case"), self.tr("Case name:"),
                                         _suggest_name(self.request, self.decision))
        if not name:
            return
        try:
            self.commands.save_case(self.document.ruleset, name, self.request, self.decision.effect,
                                    [r.id for r in self.decision.rules if not r.unverified])
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not save the case"), str(exc))
            return
        self.status.emit(self.tr("saved test case `{name}`").format(name=name))
        self.case_saved.emit(name)


def _suggest_name(request: dict[str, Any], decision: Decision) -> str:
    place = request.get("region") or request.get("country") or "anywhere"
    rule = decision.deciding_rule
    return f"{place} {request.get('action', 'request')} → {decision.effect}" + (f" ({rule.id})" if rule else "")
