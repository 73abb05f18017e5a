"""The countries page: every rule that applies to one country (global ones included) and adding one for it."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jurist.engine.decision import MatchedRule
from jurist.workbench.countries import rules_for
from jurist.workbench.files import with_rule_for

from ..document import RulesetDocument
from ..i18n import place_name
from ..models.records import CountryRulesModel
from ..models.table import RowRole
from .common import FindBar, fit_columns, note_label, say, table, table_search
from .place_picker import PlacePicker
from .rule_cards import RuleCards


class CountryPanel(QWidget):
    """Pick a country; see what the editor's text would consider for a request from it."""

    status = Signal(str)
    open_rule = Signal(str, int)   # file, line: show it in the editor
    rule_added = Signal(str, int)  # file, line of a new rule template

    def __init__(self, document: RulesetDocument, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.country = PlacePicker(self.tr("(choose a country)"))
        self.country.currentIndexChanged.connect(lambda _: self.refresh())
        self.country_problem = note_label(warning=True)
        self.country.problem_changed.connect(lambda text: say(self.country_problem, text))
        label = QLabel(self.tr("&Country:"))
        label.setBuddy(self.country)
        self.add_button = QPushButton(self.tr("&Add a rule for this country"))
        self.add_button.setToolTip(self.tr("Opens the country's file (made if there is none) with a new rule to fill "
                                           "in; save to keep it"))
        self.add_button.clicked.connect(self.add_rule)
        self.add_reason = note_label()
        self.model = CountryRulesModel(self)
        self.view = table(self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _: self._show_detail(current.row()))
        self.view.activated.connect(self._open)
        self.detail = RuleCards()  # the chosen rule's whole citation and message, wrapped
        self.detail.setMaximumHeight(self.detail.fontMetrics().height() * 7)
        self.view.doubleClicked.connect(self._open)
        self.find_bar = FindBar(table_search(self.view), self.view)
        self.summary = note_label()
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.country, 1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.country_problem)
        layout.addWidget(self.add_reason)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.detail)
        document.compiled.connect(lambda _: self.refresh())
        self.refresh()

    def code(self) -> str | None:
        data = self.country.currentData()
        return str(data) if data else None

    def show_country(self, code: str) -> None:
        self.country.select(code)
        self.refresh()

    def refresh(self) -> None:
        code = self.code()
        result = self.document.result
        self.add_button.setEnabled(code is not None and self.document.version is not None)
        if code is None:
            self.model.set_rows([])
            self._show_detail(-1)
            say(self.add_reason, self.tr("Choose a country to see its rules and to add one."))
            say(self.summary, "")
            return
        say(self.add_reason, "" if self.document.version is not None else self.tr("Open a ruleset first."))
        if result is None or result.graph is None:
            self.model.set_rows([])
            say(self.summary, self.tr("The editor's text has errors: fix them to list the rules that apply."))
            return
        rules = rules_for(result, code)
        self.model.set_rows(rules)
        fit_columns(self.view, widest=260)
        if rules:
            self.view.selectRow(0)
        self._show_detail(0 if rules else -1)
        everywhere = sum(1 for r in rules if r.scope == "everywhere")
        say(self.summary, self.tr("{n} rule(s) can apply in {country}: {local} of its own (or of a set or region "
                                  "holding it) and {everywhere} that apply everywhere. Enter opens a rule in the "
                                  "editor.").format(n=len(rules), country=place_name(code),
                                                    local=len(rules) - everywhere, everywhere=everywhere))

    def _show_detail(self, row: int) -> None:
        rule = self.model.row(row) if 0 <= row < self.model.rowCount() else None
        self.detail.show_rules([MatchedRule(rule.id, rule.effect, rule.source, rule.cite or None, rule.message or None)]
                               if rule is not None else [])

    def _open(self, index: QModelIndex) -> None:
        rule = self.model.index(index.row(), 0).data(RowRole)
        if rule is not None:
            self.open_rule.emit(rule.file, rule.line)

    def add_rule(self) -> None:
        code = self.code()
        if code is None or self.document.version is None:
            return
        sources, path, line, rule_id = with_rule_for(self.document.sources, code)
        self.document.replace_sources(sources)
        self.status.emit(self.tr("added rule {rule} to {file}: fill it in, then save").format(rule=rule_id, file=path))
        self.rule_added.emit(path, line)

    def start_find(self) -> None:
        self.find_bar.open_bar()

