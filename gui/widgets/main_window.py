"""The main window: menus, the rulesets panel beside the working pages, all sharing one document.

Everything a person can do has a menu entry with its shortcut letter and
key, and Help › Keyboard shortcuts lists them all.  The window polls the
store's change marker (one tiny read, off the UI thread) so another user's
save, submit or publish shows within seconds.  Switching language rebuilds
the window's widgets around the same workbench, keeping unsaved edits.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jurist.db.records import VersionSources
from jurist.workbench.session import Workbench

from .. import i18n, words, workers
from ..document import RulesetDocument
from ..interaction import Interaction
from ..models.rulesets import Node, NodeRole, RulesetTreeModel
from ..outline import files_by_jurisdiction, places_by_label
from ..palette import BASE, PLACEHOLDER, TEXT, WINDOW
from ..preferences import DEFAULT_POINT_SIZE, LARGEST, SMALLEST, Preferences
from ..simulation import RequestForm
from .cases_panel import CasesPanel
from .country_panel import CountryPanel
from .editor_panel import EditorPanel
from .matrix_panel import MatrixPanel
from .shortcuts_dialog import ShortcutsDialog
from .simulator import SimulatorPanel
from .users_dialog import UsersDialog
from .versions_panel import VersionsPanel

POLL_MS = 2_000  # how often the store's change marker is read: another user's publish shows within seconds


def readable_palette(window: QWidget) -> None:
    """The window's own colours, so every text colour's contrast is known (and tested): see palette.py."""
    palette = window.palette()
    for role, colour in ((QPalette.ColorRole.Window, WINDOW), (QPalette.ColorRole.Base, BASE),
                         (QPalette.ColorRole.WindowText, TEXT), (QPalette.ColorRole.Text, TEXT),
                         (QPalette.ColorRole.ButtonText, TEXT), (QPalette.ColorRole.PlaceholderText, PLACEHOLDER),
                         (QPalette.ColorRole.ToolTipText, TEXT)):
        palette.setColor(QPalette.ColorGroup.Active, role, QColor(colour))
        palette.setColor(QPalette.ColorGroup.Inactive, role, QColor(colour))
    window.setPalette(palette)


def load_what_typing_would() -> None:
    """Load now, before the window shows, what the editor's first background analysis would load: the
    solver's library (about 200 ms) and the CLDR's territory data.  Loaded from the compile thread they
    held the interpreter's lock and froze typing for up to 220 ms (bench/typing_stall.py)."""
    from jurist.dsl import analysis  # noqa: F401  (imports z3)
    from jurist.dsl.languages import official_languages

    official_languages("GB")


class MainWindow(QMainWindow):
    def __init__(self, commands: Workbench, interaction: Interaction | None = None, parent: Any = None,
                 preferences: Preferences | None = None) -> None:
        super().__init__(parent)
        load_what_typing_would()
        if interaction is None:
            from .dialogs import QtInteraction

            interaction = QtInteraction(self)
        self.commands = commands
        self.interaction = interaction
        self.preferences = preferences or Preferences()
        self.other_windows: list[MainWindow] = []
        self.users_dialog: UsersDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._marker: int | None = None
        self._polling: workers.Task | None = None
        readable_palette(self)
        self.resize(1400, 880)
        self.setMinimumSize(640, 480)
        self._build(None)
        try:
            self._marker = self.commands.change_marker()  # changes from now on are news
        except Exception:  # noqa: BLE001 - the first poll reads it again
            self._marker = None
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll_store)
        self.poll_timer.start()

    # -- building (again, in another language) ----------------------------------------------

    def _build(self, carried: dict[str, Any] | None) -> None:
        """Every widget, menu and shortcut; `carried` is what a rebuild keeps (unsaved text, the page shown)."""
        self.setWindowTitle(self.tr("Jurist — {user}").format(user=self.commands.actor))
        self.document = RulesetDocument(self.commands.compilations, self)
        self.tree_model = RulesetTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(False)  # a ruleset's state is a second line under its name
        self.tree.setHeaderHidden(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.activated.connect(self.open_node)  # Enter and double-click
        self.tree.clicked.connect(self.open_node)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh_all)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 4, 4, 4)
        side_layout.addWidget(self.tree)
        side_layout.addWidget(refresh)
        side.setMinimumWidth(180)
        self.dock = QDockWidget(self.tr("Rulesets"), self)
        self.dock.setObjectName("rulesets")
        self.dock.setWidget(side)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self._tree_sized = False

        commands, interaction, document = self.commands, self.interaction, self.document
        self.editor = EditorPanel(document, commands, interaction, self.reload_document)
        self.simulator = SimulatorPanel(document, commands, interaction)
        request: Callable[[], dict[str, Any]] = lambda: self.simulator.form.form().to_request()  # noqa: E731
        self.matrix = MatrixPanel(document, request, interaction)
        self.countries = CountryPanel(document)
        self.cases = CasesPanel(document, commands, interaction, request)
        self.versions = VersionsPanel(document, commands, interaction)
        self.pages: tuple[tuple[QWidget, str], ...] = (
            (self.editor, self.tr("&Editor")), (self.simulator, self.tr("&Simulator")),
            (self.matrix, self.tr("Country &matrix")), (self.countries, self.tr("C&ountries")),
            (self.cases, self.tr("&Test cases")), (self.versions, self.tr("&Versions and approval")))
        self.tabs = QTabWidget()
        for page, title in self.pages:
            self.tabs.addTab(page, title.replace("&", ""))
            page.status.connect(self.show_status)
        self.setCentralWidget(self.tabs)

        me = commands.me()
        self.user_label = QLabel(self.tr("{user} ({role}) · {store}").format(
            user=commands.actor, role=words.role(me.role if me else None), store=commands.store.url))
        self.waiting_label = QLabel("")
        self.statusBar().addPermanentWidget(self.waiting_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self.simulator.case_saved.connect(lambda _: self.cases.refresh())
        self.versions.changed.connect(self._versions_changed)
        self.versions.open_version.connect(self.open_version)
        self.versions.open_waiting.connect(self.open_waiting)
        self.countries.open_rule.connect(self.show_rule)
        self.countries.rule_added.connect(self.show_new_rule)
        document.saved.connect(lambda _: self.refresh_tree())
        document.files_changed.connect(self.refresh_tree)
        self._build_menus()
        self.apply_point_size(self.preferences.point_size)
        self.editor.editor.set_wrap(self.preferences.wrap_lines)
        self.dock.setVisible(self.preferences.show_rulesets)

        if carried and carried.get("ruleset"):
            self._restore(carried)
        self.refresh_tree()
        self.versions.refresh_waiting()
        self._show_waiting_count()

    def _restore(self, carried: dict[str, Any]) -> None:
        """After a rebuild: the same version, the same (maybe unsaved) text, page and request."""
        loaded: VersionSources = carried["loaded"]
        self.document.open(loaded)
        if carried["sources"] != dict(loaded.sources):
            self.document.replace_sources(carried["sources"])
        self.editor.open_file(carried["file"])
        self.simulator.form.set_form(carried["form"])
        self.tabs.setCurrentIndex(carried["tab"])

    def _carry(self) -> dict[str, Any]:
        version = self.document.version
        if version is None:
            return {}
        return {"ruleset": self.document.ruleset, "sources": dict(self.document.sources),
                "loaded": VersionSources(version, dict(self.document.saved_sources)),
                "file": self.editor.current_file, "form": self.simulator.form.form(), "tab": self.tabs.currentIndex()}

    def rebuild(self) -> None:
        """Build every widget again (a new language), keeping the open version, unsaved edits and the page."""
        carried = self._carry()
        old_document, old_dock = self.document, self.dock
        for widget in (self.waiting_label, self.user_label):
            self.statusBar().removeWidget(widget)
            widget.deleteLater()
        self.menuBar().clear()
        for action in list(self.actions()):
            self.removeAction(action)
        self.removeDockWidget(old_dock)
        old_dock.deleteLater()
        old_document.deleteLater()
        self._build(carried)

    # -- menus and shortcuts --------------------------------------------------------------

    def _action(self, menu: QMenu, text: str, slot: Callable[..., Any], keys: Any = None, tip: str = "",
                checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            sequences = keys if isinstance(keys, list) else [keys]
            action.setShortcuts([QKeySequence(k) for k in sequences])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # its keys work whichever page has the focus
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        files = bar.addMenu(self.tr("&File"))
        self.new_file_action = self._action(files, self.tr("&New file…"), lambda: self.editor.new_file(),
                                            QKeySequence.StandardKey.New,
                                            self.tr("Add a file for a country (its jurisdiction header filled in)"))
        self._action(files, self.tr("&Rename file…"), lambda: self.editor.rename_file(), "F2")
        self._action(files, self.tr("&Delete file…"), lambda: self.editor.delete_file())
        files.addSeparator()
        self.save_action = self._action(files, self.tr("&Save"), self.editor.save, QKeySequence.StandardKey.Save,
                                        self.tr("Save the draft (a published version starts a new draft)"))
        self._action(files, self.tr("Re&load the saved version"), self._discard_edits)
        files.addSeparator()
        self.act_as_action = self._action(files, self.tr("Open a window &as another user…"), self.show_users,
                                          tip=self.tr("Admins: act as a second person (Admin › Users and roles)"))
        self._action(files, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self._action(edit, self.tr("&Undo"), self.editor.editor.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(edit, self.tr("&Redo"), self.editor.editor.redo,
                                        [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        for action, signal in ((self.undo_action, self.editor.editor.undoAvailable),
                               (self.redo_action, self.editor.editor.redoAvailable)):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the editor's own keys do the work
            signal.connect(action.setEnabled)
            action.setEnabled(False)
        edit.addSeparator()
        self._action(edit, self.tr("&Find…"), self.start_find, QKeySequence.StandardKey.Find,
                     self.tr("Find in the editor, or in the page's table"))
        self._action(edit, self.tr("Find &next"), lambda: self._find_again(False), QKeySequence.StandardKey.FindNext)
        self._action(edit, self.tr("Find &previous"), lambda: self._find_again(True),
                     QKeySequence.StandardKey.FindPrevious)
        self._action(edit, self.tr("&Go to line…"), self.go_to_line, "Ctrl+L")

        view = bar.addMenu(self.tr("&View"))
        self.rulesets_action = self.dock.toggleViewAction()
        self.rulesets_action.setText(self.tr("&Rulesets panel"))
        self.rulesets_action.setShortcut(QKeySequence("Ctrl+B"))
        self.rulesets_action.toggled.connect(self._rulesets_toggled)
        view.addAction(self.rulesets_action)
        self.addAction(self.rulesets_action)
        pages = view.addMenu(self.tr("&Pages"))
        for number, (page, title) in enumerate(self.pages, start=1):
            self._action(pages, title, lambda _=False, p=page: self.show_page(p), f"Ctrl+{number}")
        view.addSeparator()
        self._action(view, self.tr("&Larger text"), lambda: self.change_point_size(+1),
                     [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
        self._action(view, self.tr("&Smaller text"), lambda: self.change_point_size(-1),
                     QKeySequence.StandardKey.ZoomOut)
        self._action(view, self.tr("&Normal text size"), lambda: self.set_point_size(DEFAULT_POINT_SIZE), "Ctrl+0")
        self.wrap_action = self._action(view, self.tr("&Wrap long lines"), self._wrap_toggled, "Alt+Z",
                                        checkable=True)
        self.wrap_action.setChecked(self.preferences.wrap_lines)
        languages = view.addMenu(self.tr("Lan&guage"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(code == i18n.current())
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            languages.addAction(action)
            self.language_actions[code] = action
        view.addSeparator()
        self._action(view, self.tr("&Refresh from the store"), self.refresh_all, QKeySequence.StandardKey.Refresh)

        review = bar.addMenu(self.tr("&Review"))
        self._action(review, self.tr("&Waiting for my review"), self.show_waiting, "Ctrl+Shift+W")
        self._action(review, self.tr("&Run the simulation"), self._run_simulation, "Ctrl+Return",
                     self.tr("Decide the simulator's request"))
        self._action(review, self.tr("Run all test &cases"), self._run_cases, "Ctrl+Shift+T")

        admin = bar.addMenu(self.tr("&Admin"))
        self._action(admin, self.tr("&Users and roles…"), self.show_users, "Ctrl+Shift+U")

        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("&Keyboard shortcuts"), self.show_shortcuts,
                     QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, self.tr("&About Jurist"), self._about)
        self.menus = (files, edit, view, review, admin, help_menu)

    def show_shortcuts(self) -> None:
        self.shortcuts_dialog = ShortcutsDialog(self.menus, self)
        self.shortcuts_dialog.open()

    def _about(self) -> None:
        self.interaction.inform(self.tr("About Jurist"), self.tr(
            "Jurist: rules for AI image generation per country, tested, reviewed by two people and published.\n"
            "Store: {store}").format(store=self.commands.store.url))

    def show_page(self, page: QWidget) -> None:
        self.tabs.setCurrentWidget(page)
        page.setFocus()

    def start_find(self) -> None:
        page = self.tabs.currentWidget()
        finder = getattr(page, "start_find", None)
        if callable(finder):
            finder()

    def _find_again(self, backwards: bool) -> None:
        if self.tabs.currentWidget() is self.editor:
            self.editor.find_next(backwards)
        else:
            self.start_find()

    def go_to_line(self) -> None:
        answer = self.interaction.ask_text(self.tr("Go to line"), self.tr("Line number in {file}:").format(
            file=self.editor.current_file), "")
        if answer and answer.strip().isdigit():
            self.show_page(self.editor)
            self.editor.editor.go_to(int(answer.strip()))

    def _run_simulation(self) -> None:
        self.show_page(self.simulator)
        self.simulator.run()

    def _run_cases(self) -> None:
        self.show_page(self.cases)
        self.cases.run_all()

    def _discard_edits(self) -> None:
        if self.document.dirty and not self.interaction.confirm(
                self.tr("Reload"), self.tr("Discard your unsaved edits and load the saved version?")):
            return
        self.reload_document()

    # -- reading comfort and language -----------------------------------------------------------

    def apply_point_size(self, size: int) -> None:
        font = QApplication.font()
        font.setPointSize(size)
        self.setFont(font)
        self.editor.editor.set_point_size(size)
        self.simulator.set_point_size(size)

    def set_point_size(self, size: int) -> None:
        size = max(SMALLEST, min(LARGEST, size))
        self.preferences.point_size = size
        self.apply_point_size(size)
        self.show_status(self.tr("text size {n} pt").format(n=size))

    def change_point_size(self, step: int) -> None:
        self.set_point_size(self.preferences.point_size + step)

    def _wrap_toggled(self, on: bool) -> None:
        self.preferences.wrap_lines = on
        self.editor.editor.set_wrap(on)

    def _rulesets_toggled(self, on: bool) -> None:
        if self.isVisible():
            self.preferences.show_rulesets = on

    def set_language(self, code: str) -> None:
        """Speak `code` from now on (remembered), rebuilding the window around the same work."""
        self.preferences.language = code
        if code == i18n.current():
            return
        i18n.install(code)
        self.rebuild()

    # -- rulesets tree ---------------------------------------------------------------------

    def refresh_tree(self) -> None:
        """Each ruleset's files by place; the open one as the editor holds it (files added, not yet saved)."""
        try:
            rows, places = [], {}
            for info in self.commands.rulesets():
                sources: Mapping[str, str]
                if info.name == self.document.ruleset:
                    sources = self.document.sources
                else:
                    sources = self.commands.open(info.name).sources if info.latest is not None else {}
                places.update(places_by_label(sources))
                rows.append((info, files_by_jurisdiction(sources)))
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not list rulesets"), str(exc))
            return
        expanded = self._expanded_paths()
        self.tree_model.set_rulesets(rows, places)
        self.tree.expandToDepth(0)
        self._expand(expanded)
        if not self._tree_sized and rows:  # room for the longest line, within a fifth of the window
            self._tree_sized = True
            needed = self.tree.sizeHintForColumn(0) + 32
            self.resizeDocks([self.dock], [max(190, min(needed, self.width() // 5))], Qt.Orientation.Horizontal)
        if self.document.ruleset is None and rows and rows[0][0].latest is not None:
            self.open_ruleset(rows[0][0].name)

    def _expanded_paths(self) -> set[tuple[str, ...]]:
        """Which items are open, by their texts, so a refresh keeps them open."""
        out: set[tuple[str, ...]] = set()

        def walk(parent: QModelIndex, path: tuple[str, ...]) -> None:
            for row in range(self.tree_model.rowCount(parent)):
                index = self.tree_model.index(row, 0, parent)
                key = path + (str(index.data()).split("\n")[0],)
                if self.tree.isExpanded(index):
                    out.add(key)
                    walk(index, key)

        walk(QModelIndex(), ())
        return out

    def _expand(self, paths: set[tuple[str, ...]]) -> None:
        def walk(parent: QModelIndex, path: tuple[str, ...]) -> None:
            for row in range(self.tree_model.rowCount(parent)):
                index = self.tree_model.index(row, 0, parent)
                key = path + (str(index.data()).split("\n")[0],)
                if key in paths:
                    self.tree.expand(index)
                    walk(index, key)

        walk(QModelIndex(), ())

    def open_node(self, index: QModelIndex) -> None:
        """A tree item chosen (click, Enter or double-click): its ruleset opens, a file shows in the editor."""
        node: Node | None = index.data(NodeRole)
        if node is None:
            return
        if node.ruleset != self.document.ruleset and not self.open_ruleset(node.ruleset):
            return
        if node.kind == "file":
            self.editor.open_file(node.path)
            if self.tabs.currentWidget() is not self.editor or self.sender() is not self.tree or \
                    QApplication.mouseButtons() == Qt.MouseButton.NoButton:
                self.tabs.setCurrentWidget(self.editor)

    def _tree_menu(self, point: QPoint) -> None:
        node: Node | None = self.tree.indexAt(point).data(NodeRole)
        menu = self.tree_menu(node)
        if menu is not None:
            menu.exec(self.tree.viewport().mapToGlobal(point))

    def tree_menu(self, node: Node | None) -> QMenu | None:
        """What can be done with a tree item: files added, renamed, deleted; a place's rules listed."""
        if node is None:
            return None
        menu = QMenu(self)
        if node.kind == "file":
            menu.addAction(self.tr("Open"), lambda: self.open_node(self.tree.currentIndex()))
            menu.addAction(self.tr("Rename…"),
                           lambda: self._on_node(node, lambda: self.editor.rename_file(node.path)))
            menu.addAction(self.tr("Delete…"),
                           lambda: self._on_node(node, lambda: self.editor.delete_file(node.path)))
        else:
            place = node.place if node.kind == "jurisdiction" and node.place and "{" not in node.place else None
            menu.addAction(self.tr("New file…"), lambda: self._on_node(node, lambda: self.editor.new_file(place)))
            if place and "-" not in place and len(place) == 2:
                menu.addAction(self.tr("Rules that apply in {place}").format(place=i18n.place_name(place)),
                               lambda: self.show_country(place))
        return menu

    def _on_node(self, node: Node, then: Callable[[], None]) -> None:
        if node.ruleset == self.document.ruleset or self.open_ruleset(node.ruleset):
            then()

    def show_country(self, code: str) -> None:
        self.countries.show_country(code)
        self.show_page(self.countries)

    def show_rule(self, file: str, line: int) -> None:
        self.show_page(self.editor)
        self.editor.open_file(file, line)

    def show_new_rule(self, file: str, line: int) -> None:
        """The rule template just added: shown with its condition selected, ready to be typed over."""
        self.show_rule(file, line)
        editor = self.editor.editor
        cursor = editor.textCursor()
        text = cursor.block().text()
        start = text.find(": ") + 2 if ": " in text else 0
        cursor.setPosition(cursor.block().position() + start)
        cursor.setPosition(cursor.block().position() + len(text), cursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.setFocus()

    def open_ruleset(self, name: str, number: int | None = None) -> bool:
        """Load a ruleset's newest version (or `number`) into every page; False if the user kept their edits."""
        if self.document.dirty and not self.interaction.confirm(
                self.tr("Discard unsaved edits?"), self.tr("{label} has unsaved edits. Discard them?").format(
                    label=self.document.version.label if self.document.version else "")):
            return False
        try:
            loaded = self.commands.open(name, number)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not open the ruleset"), str(exc))
            return False
        self.document.open(loaded)
        self.show_status(self.tr("opened {label} ({state})").format(label=loaded.info.label,
                                                                    state=words.state(loaded.info.state)))
        return True

    def open_version(self, number: int) -> None:
        if self.document.ruleset and self.open_ruleset(self.document.ruleset, number):
            self.tabs.setCurrentWidget(self.editor)

    def open_waiting(self, ruleset: str, number: int) -> None:
        """A version waiting for my review: its ruleset opened, the version selected with its impact."""
        if ruleset != self.document.ruleset and not self.open_ruleset(ruleset):
            return
        self.versions.refresh(select=number)
        self.show_page(self.versions)
        self.versions.versions_view.setFocus()

    def show_waiting(self) -> None:
        self.show_page(self.versions)
        self.versions.refresh_waiting()
        self.versions.waiting.setFocus()
        if self.versions.waiting.count():
            self.versions.waiting.setCurrentRow(0)

    def reload_document(self) -> None:
        """Throw away edits and load the newest saved text (after a save conflict)."""
        if self.document.ruleset is None:
            return
        try:
            loaded = self.commands.open(self.document.ruleset)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not reload"), str(exc))
            return
        self.document.open(loaded)

    def _versions_changed(self) -> None:
        self.refresh_tree()
        self._follow_open_version()
        self._show_waiting_count()

    def _follow_open_version(self) -> None:
        """The open version's state as the store has it now (the text is left alone)."""
        version = self.document.version
        if version is None:
            return
        try:
            info = next((v for v in self.commands.versions(version.ruleset) if v.number == version.number), None)
        except Exception:  # noqa: BLE001 - the tree refresh already reported store problems
            return
        if info is not None and info != version:
            if info.revision != version.revision and not self.document.dirty and info.state == "draft":
                self.reload_document()  # someone saved the draft shown here: show their text
                return
            self.document.version = info
            self.editor.update_label()

    # -- staying current ------------------------------------------------------------------------

    def poll_store(self) -> None:
        """Read the store's change marker off the UI thread; refresh what is shown when it moved."""
        if self._polling is not None:
            return

        def done(marker: int) -> None:
            self._polling = None
            if not shiboken6.isValid(self):
                return
            previous, self._marker = self._marker, marker
            if marker != previous:
                self.store_changed()

        def failed(_message: str) -> None:
            self._polling = None

        self._polling = workers.start(lambda _progress: self.commands.change_marker(), on_done=done, on_error=failed)

    def store_changed(self) -> None:
        """Someone (maybe in another window) changed the store: the tree, versions, waiting list and cases."""
        self.refresh_tree()
        self._follow_open_version()
        if not self.versions.busy:
            self.versions.refresh()
        if not self.cases.busy:
            self.cases.refresh()
        self._show_waiting_count()
        self.show_status(self.tr("the store changed; shown as it is now"))

    def refresh_all(self) -> None:
        self.store_changed()

    def _show_waiting_count(self) -> None:
        count = self.versions.waiting.count()
        self.waiting_label.setText(self.tr("%n waiting for my review", None, count) if count else "")

    # -- users ----------------------------------------------------------------------------------

    def show_users(self) -> None:
        self.users_dialog = UsersDialog(self.commands, self.interaction, self)
        self.users_dialog.act_as.connect(self.open_as)
        self.users_dialog.open()

    def open_as(self, name: str) -> "MainWindow | None":
        """A second window acting as `name` (an admin's login only), on the same store."""
        try:
            other = self.commands.acting_as(name)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not act as {name}").format(name=name), str(exc))
            return None
        window = MainWindow(other, self.interaction, preferences=self.preferences)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.other_windows.append(window)
        window.show()
        return window

    # -- window -------------------------------------------------------------------------

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    @property
    def busy(self) -> bool:
        return self.simulator.busy or self.matrix.busy or self.cases.busy or self.versions.busy

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.document.dirty and not self.interaction.confirm(self.tr("Quit"),
                                                                self.tr("Discard unsaved edits and quit?")):
            event.ignore()
            return
        self.poll_timer.stop()
        for panel in (self.simulator, self.matrix, self.cases, self.versions):
            panel.cancel()
        event.accept()
