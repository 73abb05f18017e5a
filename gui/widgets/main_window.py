"""The main window: the rulesets tree beside the five working pages, sharing one document."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jurist.workbench.session import Workbench

from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.rulesets import Node, NodeRole, RulesetTreeModel
from ..outline import files_by_jurisdiction
from .cases_panel import CasesPanel
from .editor_panel import EditorPanel
from .matrix_panel import MatrixPanel
from .simulator import SimulatorPanel
from .versions_panel import VersionsPanel


class MainWindow(QMainWindow):
    def __init__(self, commands: Workbench, interaction: Interaction | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        if interaction is None:
            from .dialogs import QtInteraction

            interaction = QtInteraction(self)
        self.commands = commands
        self.interaction = interaction
        self.document = RulesetDocument(commands.compilations, self)
        self.setWindowTitle(f"Jurist — {commands.actor}")
        self.resize(1400, 880)

        self.tree_model = RulesetTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.clicked.connect(self._tree_clicked)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh_tree)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 4, 4, 4)
        side_layout.addWidget(self.tree)
        side_layout.addWidget(refresh)
        dock = QDockWidget("Rulesets", self)
        dock.setObjectName("rulesets")
        side.setMinimumWidth(390)  # room for `published v1 · draft v2` beside a country's name
        dock.setWidget(side)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)

        self.editor = EditorPanel(self.document, commands, interaction, self.reload_document)
        self.simulator = SimulatorPanel(self.document, commands, interaction)
        self.matrix = MatrixPanel(self.document, lambda: self.simulator.form.form().to_request(), interaction)
        self.cases = CasesPanel(self.document, commands, interaction)
        self.versions = VersionsPanel(self.document, commands, interaction)
        self.tabs = QTabWidget()
        for page, title in ((self.editor, "Editor"), (self.simulator, "Simulator"), (self.matrix, "Country matrix"),
                            (self.cases, "Test cases"), (self.versions, "Versions and approval")):
            self.tabs.addTab(page, title)
            page.status.connect(self.show_status)
        self.setCentralWidget(self.tabs)

        me = commands.me()
        self.user_label = QLabel(f"{commands.actor} ({me.role if me else 'not registered'}) · {commands.store.url}")
        self.statusBar().addPermanentWidget(self.user_label)
        self.simulator.case_saved.connect(lambda _: self.cases.refresh())
        self.versions.changed.connect(self._versions_changed)
        self.versions.open_version.connect(self.open_version)
        self.document.saved.connect(lambda _: self.refresh_tree())
        self.refresh_tree()

    # -- rulesets ---------------------------------------------------------------------

    def refresh_tree(self) -> None:
        try:
            rows = []
            for info in self.commands.rulesets():
                sources = self.commands.open(info.name).sources if info.latest is not None else {}
                rows.append((info, files_by_jurisdiction(sources)))
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not list rulesets", str(exc))
            return
        self.tree_model.set_rulesets(rows)
        self.tree.expandToDepth(0)
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)
        room = self.tree.viewport().width() - self.tree.columnWidth(1)
        if self.tree.columnWidth(0) > room:  # names elide before the state is cut off
            self.tree.setColumnWidth(0, max(140, room))
        if self.document.ruleset is None and rows and rows[0][0].latest is not None:
            self.open_ruleset(rows[0][0].name)

    def _tree_clicked(self, index: QModelIndex) -> None:
        node: Node | None = index.data(NodeRole)
        if node is None:
            return
        if node.ruleset != self.document.ruleset and not self.open_ruleset(node.ruleset):
            return
        if node.kind == "file":
            self.editor.open_file(node.path)
            self.tabs.setCurrentWidget(self.editor)

    def open_ruleset(self, name: str, number: int | None = None) -> bool:
        """Load a ruleset's newest version (or `number`) into every page; False if the user kept their edits."""
        if self.document.dirty and not self.interaction.confirm(
                "Discard unsaved edits?", f"{self.document.version.label if self.document.version else ''} "
                                          "has unsaved edits. Discard them?"):
            return False
        try:
            loaded = self.commands.open(name, number)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not open the ruleset", str(exc))
            return False
        self.document.open(loaded)
        self.show_status(f"opened {loaded.info.label} ({loaded.info.state.replace('_', ' ')})")
        return True

    def open_version(self, number: int) -> None:
        if self.document.ruleset and self.open_ruleset(self.document.ruleset, number):
            self.tabs.setCurrentWidget(self.editor)

    def reload_document(self) -> None:
        """Throw away edits and load the newest saved text (after a save conflict)."""
        if self.document.ruleset is None:
            return
        try:
            loaded = self.commands.open(self.document.ruleset)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error("Could not reload", str(exc))
            return
        self.document.open(loaded)

    def _versions_changed(self) -> None:
        self.refresh_tree()
        version = self.document.version
        if version is not None and not self.document.dirty:
            try:
                loaded = self.commands.open(version.ruleset, version.number)
            except Exception:  # noqa: BLE001 - the tree refresh already reported store problems
                return
            self.document.version = loaded.info
            self.editor.update_label()

    # -- window -------------------------------------------------------------------------

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    @property
    def busy(self) -> bool:
        return self.simulator.busy or self.matrix.busy or self.cases.busy or self.versions.busy

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.document.dirty and not self.interaction.confirm("Quit", "Discard unsaved edits and quit?"):
            event.ignore()
            return
        for panel in (self.simulator, self.matrix, self.cases):
            panel.cancel()
        event.accept()
