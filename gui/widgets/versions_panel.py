"""Versions and approval: what waits for my review, the history, the review steps with the impact of each
version and the reasons a step is off, a word-level diff, the review thread, and the audit log."""
from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from jurist.db.records import VersionInfo
from jurist.db.workflow import ACTIONS, has_role
from jurist.workbench.review import SubmitPreview, Waiting
from jurist.workbench.session import Workbench

from .. import words
from ..document import RulesetDocument
from ..i18n import translate
from ..interaction import Interaction
from ..models.records import AuditModel, VersionsModel
from ..models.table import RowRole
from ..reasons import refusal
from ..sidebyside import Row, align_sources
from ..utc import when
from .background_run import BackgroundRun
from .common import FindBar, leave_with_tab, note_label, say, table, table_search
from .diff_view import DiffView

IMPACT_STATES = ("in_review", "approved")  # an approver sees what these change before taking the next step


def preview_text(preview: SubmitPreview) -> str:
    """What a version changes, in sentences: the cases it was submitted with (and how the working set differs
    now), its failing cases, and the cases it decides differently."""
    if not preview.compiles:
        return translate("Impact", "{draft} has compile errors; the store will refuse it.").format(draft=preview.draft)
    lines = []
    if preview.kept is not None:
        lines.append(translate("Impact", "Submitted with {n} test case(s), which it is tested and published with.")
                     .format(n=preview.kept.kept))
        if preview.kept.any:
            lines.append("  " + translate("Impact", "The working set differs now: {parts} (the next submission "
                                                    "keeps it).").format(parts=", ".join(preview.kept.parts())))
    if preview.failing:
        lines.append(translate("Impact", "{failing} of {cases} test case(s) fail on {draft}:").format(
            failing=len(preview.failing), cases=preview.cases, draft=preview.draft))
        lines += [f"  {r.name}: {'; '.join(r.problems)}" for r in preview.failing]
    else:
        lines.append(translate("Impact", "All {cases} test case(s) pass on {draft}.").format(
            cases=preview.cases, draft=preview.draft))
    if preview.against is None:
        lines.append(translate("Impact", "Nothing is published yet to compare with."))
    elif preview.changes:
        lines.append(translate("Impact", "{n} test case(s) change decision or matched rules against {against}:").format(
            n=len(preview.changes), against=preview.against))
        lines += [f"  {c.describe()}" for c in preview.changes]
    else:
        lines.append(translate("Impact", "No test case changes decision or matched rules against {against}.").format(
            against=preview.against))
    return "\n".join(lines)


def impact_line(preview: SubmitPreview) -> str:
    """The impact in one line, above the review buttons."""
    if not preview.compiles:
        return translate("Impact", "Impact of {draft}: it does not compile.").format(draft=preview.draft)
    if preview.failing:
        failing = translate("Impact", "{failing} of {cases} test case(s) fail").format(
            failing=len(preview.failing), cases=preview.cases)
    else:
        failing = translate("Impact", "all {cases} test case(s) pass").format(cases=preview.cases)
    if preview.against is None:
        against = translate("Impact", "nothing published to compare with")
    else:
        against = translate("Impact", "{n} change decision against {against}").format(
            n=len(preview.changes), against=preview.against)
    return translate("Impact", "Impact of {draft}: {failing}; {against}.").format(
        draft=preview.draft, failing=failing, against=against)


def shortened(text: str, lines: int = 30) -> str:
    rows = text.splitlines()
    more = translate("Impact", "… and {n} more line(s)").format(n=len(rows) - lines)
    return "\n".join(rows[:lines]) + (f"\n{more}" if len(rows) > lines else "")


class VersionsPanel(QWidget):
    status = Signal(str)
    changed = Signal()        # a version changed state (or a step failed): the tree and editor reload
    open_version = Signal(int)
    open_waiting = Signal(str, int)  # ruleset, version: a version waiting for my review was chosen

    def __init__(self, document: RulesetDocument, commands: Workbench, interaction: Interaction,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self.commands = commands
        self.interaction = interaction
        self._impacts: dict[tuple[str, int, str], SubmitPreview] = {}  # by ruleset, number and content hash
        self._pending: tuple[str, int] | None = None  # a step waiting for its preview: (action, number)
        self._previewing: int | None = None  # the version whose cases run now

        self.waiting_label = QLabel(self.tr("Waiting for my review"))
        self.waiting = QListWidget()
        self.waiting.setMaximumHeight(self.waiting.fontMetrics().height() * 4 + 12)
        self.waiting.itemActivated.connect(self._waiting_chosen)
        self.waiting_label.setBuddy(self.waiting)

        self.versions = VersionsModel(self)
        self.versions_view = table(self.versions, 2)
        self.versions_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.versions_view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.versions_view.activated.connect(lambda _: self._open_selected())
        self.versions_find = FindBar(table_search(self.versions_view), self.versions_view)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for action in ACTIONS:
            button = QPushButton(words.step(action))
            button.clicked.connect(lambda _=False, a=action: self.take(a))
            self.buttons[action] = button
            bar.addWidget(button)
        self.open_button = QPushButton(self.tr("&Open in editor"))
        self.open_button.clicked.connect(self._open_selected)
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        self.impact = QLabel("")          # what the selected version changes, in one line, above the buttons
        self.impact.setWordWrap(True)
        self.impact.hide()
        self.impact_view = QPlainTextEdit()  # and in full, in the Impact tab below
        self.impact_view.setReadOnly(True)
        self.reasons = note_label()       # why each step that is off is off: read, not hovered
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setFormat(self.tr("running test cases: %v of %m"))
        self.progress_cancel = QPushButton(self.tr("Cancel"))
        self.background = BackgroundRun((), self.progress_cancel, self.progress, interaction,
                                        self.tr("Could not run the version's test cases"), parent=self)
        self.background.cancelled.connect(self._preview_ended)
        self.background.failed.connect(lambda _: self._preview_ended())
        progress_bar = QHBoxLayout()
        progress_bar.addWidget(self.progress, 1)
        progress_bar.addWidget(self.progress_cancel)
        self.progress.hide()
        self.progress_cancel.hide()

        self.old_combo, self.new_combo, self.file_combo = QComboBox(), QComboBox(), QComboBox()
        for combo in (self.old_combo, self.new_combo):
            combo.currentIndexChanged.connect(lambda *_: self.show_diff())
        self.file_combo.currentTextChanged.connect(lambda *_: self._show_file_diff())
        self.diff_rows: list[Row] = []  # the aligned rows of the file shown
        self.diff_view = DiffView()
        self._aligned: dict[str, Any] = {}
        diff_bar = QHBoxLayout()
        diff_bar.addWidget(QLabel(self.tr("Compare")))
        diff_bar.addWidget(self.old_combo)
        diff_bar.addWidget(QLabel(self.tr("with")))
        diff_bar.addWidget(self.new_combo)
        diff_bar.addWidget(QLabel(self.tr("file")))
        diff_bar.addWidget(self.file_combo, 1)
        self.diff_summary = QLabel("")
        diff_box = QWidget()
        diff_layout = QVBoxLayout(diff_box)
        diff_layout.setContentsMargins(0, 0, 0, 0)
        diff_layout.addLayout(diff_bar)
        diff_layout.addWidget(self.diff_view, 1)
        diff_layout.addWidget(self.diff_summary)

        self.thread_view = QTextBrowser()
        self.thread_view.setOpenLinks(False)
        self.comment = leave_with_tab(QPlainTextEdit())
        self.comment.setPlaceholderText(self.tr("Write a comment on the selected version"))
        self.comment.setMaximumHeight(self.comment.fontMetrics().height() * 4 + 12)
        self.post_button = QPushButton(self.tr("&Post comment"))
        self.post_button.clicked.connect(self.post_comment)
        self.comment_reason = note_label()
        thread_box = QWidget()
        thread_layout = QVBoxLayout(thread_box)
        thread_layout.setContentsMargins(0, 0, 0, 0)
        thread_layout.addWidget(self.thread_view, 1)
        post_row = QHBoxLayout()
        post_row.addWidget(self.comment, 1)
        post_row.addWidget(self.post_button, 0, Qt.AlignmentFlag.AlignBottom)
        thread_layout.addLayout(post_row)
        thread_layout.addWidget(self.comment_reason)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(diff_box, self.tr("Changes"))
        self.lower_tabs.addTab(thread_box, self.tr("Review thread"))
        self.lower_tabs.addTab(self.impact_view, self.tr("Impact"))

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.waiting_label)
        upper_layout.addWidget(self.waiting)
        upper_layout.addWidget(self.versions_view, 1)
        upper_layout.addWidget(self.versions_find)
        upper_layout.addWidget(self.impact)
        upper_layout.addLayout(bar)
        upper_layout.addWidget(self.reasons)
        upper_layout.addLayout(progress_bar)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(self.lower_tabs)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(1, 2)
        history_layout.addWidget(split, 1)

        self.audit = AuditModel(self)
        self.audit_view = table(self.audit, 5)
        self.audit_find = FindBar(table_search(self.audit_view), self.audit_view)
        self.audit_subject = QLineEdit()
        self.audit_subject.setPlaceholderText(self.tr("Subject, e.g. ruleset:global (empty: everything)"))
        self.audit_subject.returnPressed.connect(self.refresh_audit)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh_audit)
        verify = QPushButton(self.tr("&Verify chain"))
        verify.clicked.connect(self.verify_audit)
        self.audit_status = QLabel("")
        audit_bar = QHBoxLayout()
        audit_bar.addWidget(self.audit_subject, 1)
        audit_bar.addWidget(refresh)
        audit_bar.addWidget(verify)
        audit = QWidget()
        audit_layout = QVBoxLayout(audit)
        audit_layout.addLayout(audit_bar)
        audit_layout.addWidget(self.audit_view, 1)
        audit_layout.addWidget(self.audit_find)
        audit_layout.addWidget(self.audit_status)

        self.tabs = QTabWidget()
        self.tabs.addTab(history, self.tr("History and approval"))
        self.tabs.addTab(audit, self.tr("Audit log (UTC)"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        document.opened.connect(self._follow_document)
        document.saved.connect(lambda _: self._follow_document())

    # -- loading -----------------------------------------------------------------------

    def _follow_document(self) -> None:
        """Select the version the editor holds, so its buttons are the ones offered."""
        self.refresh(select=self.document.version.number if self.document.version else None)

    def refresh(self, select: int | None = None) -> None:
        ruleset = self.document.ruleset
        self.refresh_waiting()
        if ruleset is None:
            return
        selected = self.selected()
        try:
            versions = self.commands.versions(ruleset)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not list versions"), str(exc))
            return
        self.versions.set_rows(list(reversed(versions)))
        self.versions_view.resizeColumnsToContents()
        old, new = self.old_combo.currentData(), self.new_combo.currentData()
        for combo in (self.old_combo, self.new_combo):
            combo.blockSignals(True)
            combo.clear()
            for v in versions:
                combo.addItem(f"v{v.number} ({words.state(v.state)})", v.number)
            combo.blockSignals(False)
        if old is not None and new is not None and self.old_combo.findData(old) >= 0 and select is None:
            self.old_combo.setCurrentIndex(self.old_combo.findData(old))  # a refresh keeps the comparison shown
            self.new_combo.setCurrentIndex(self.new_combo.findData(new))
        elif len(versions) >= 2:
            published = next((i for i, v in enumerate(versions) if v.state == "published"), len(versions) - 2)
            self.old_combo.setCurrentIndex(published if published != len(versions) - 1 else len(versions) - 2)
            self.new_combo.setCurrentIndex(len(versions) - 1)
        self.show_diff()
        keep = select or (selected.number if selected else (versions[-1].number if versions else None))
        if keep is not None:
            self.select_version(keep)
        self._selection_changed()
        self.refresh_audit()

    def refresh_waiting(self) -> None:
        """The versions, in any ruleset, that the user may approve or publish now."""
        try:
            waiting = self.commands.waiting_for_me()
        except Exception as exc:  # noqa: BLE001
            self.waiting_label.setText(self.tr("Waiting for my review: cannot list ({error})").format(error=exc))
            return
        self.waiting.clear()
        for item in waiting:
            version = item.version
            entry = QListWidgetItem(self.tr("{label} — {step} — by {authors}, submitted {at}").format(
                label=version.label, step=words.step(item.step), authors=", ".join(version.authors),
                at=when(version.submitted_at)))
            entry.setData(Qt.ItemDataRole.UserRole, item)
            self.waiting.addItem(entry)
        self.waiting_label.setText(self.tr("Waiting for my review ({n}) — Enter opens") .format(n=len(waiting))
                                   if waiting else self.tr("Nothing is waiting for my review"))
        self.waiting.setVisible(bool(waiting))
        rows = min(4, max(1, len(waiting)))
        self.waiting.setMaximumHeight(self.waiting.sizeHintForRow(0) * rows + 8 if waiting else 0)

    def waiting_items(self) -> list[Waiting]:
        return [self.waiting.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.waiting.count())]

    def _waiting_chosen(self, item: QListWidgetItem) -> None:
        chosen: Waiting = item.data(Qt.ItemDataRole.UserRole)
        self.open_waiting.emit(chosen.version.ruleset, chosen.version.number)

    def selected(self) -> VersionInfo | None:
        rows = self.versions_view.selectionModel().selectedRows() if self.versions_view.selectionModel() else []
        return self.versions.index(rows[0].row(), 0).data(RowRole) if rows else None

    def select_version(self, number: int) -> None:
        for row in range(self.versions.rowCount()):
            if self.versions.row(row).number == number:
                self.versions_view.selectRow(row)

    def _selection_changed(self) -> None:
        version = self.selected()
        me = self.commands.me()
        permissions = self.commands.permissions(version)
        reasons = []
        for action, button in self.buttons.items():
            verdict = permissions[action]
            button.setEnabled(verdict.allowed and self._pending is None)
            why = refusal(action, verdict, version, me)
            button.setToolTip(why or verdict.reason)
            if why and version is not None:
                reasons.append(f"{words.step(action)}: {why}")
        if self._pending is not None:
            reasons.insert(0, self.tr("“{step}” goes on once the test cases have run; the other steps wait for "
                                      "it").format(step=words.step(self._pending[0])))
        say(self.reasons, "\n".join(reasons))
        self.open_button.setEnabled(version is not None)
        self._show_thread()
        self._show_impact(version)

    def _open_selected(self) -> None:
        version = self.selected()
        if version is not None:
            self.open_version.emit(version.number)

    # -- impact --------------------------------------------------------------------------

    def _impact_key(self, version: VersionInfo) -> tuple[str, int, str]:
        return version.ruleset, version.number, version.content_hash

    def _show_impact(self, version: VersionInfo | None) -> None:
        """Before an approver takes the next step, what the version changes: computed in the background."""
        me = self.commands.me()
        found = self._impacts.get(self._impact_key(version)) if version is not None else None
        self.impact_view.setPlainText(preview_text(found) if found is not None else self.tr(
            "The impact of a version in review (its failing test cases, and the cases it decides differently from "
            "the published version) shows here for approvers."))
        if version is None or version.state not in IMPACT_STATES or me is None or not has_role(me.role, "approver"):
            self.impact.hide()
            return
        if found is not None:
            self.impact.setText(impact_line(found) + " " + self.tr("(details in the Impact tab)"))
        else:
            self.impact.setText(self.tr("Impact of {label}: running its test cases…").format(label=version.label))
        self.impact.show()
        if found is None and not self.busy:
            self._preview(version.number)

    def impact_of(self, version: VersionInfo) -> SubmitPreview | None:
        return self._impacts.get(self._impact_key(version))

    def _preview(self, number: int) -> None:
        ruleset = self.document.ruleset or ""
        self._previewing = number
        self.progress.show()
        self.progress_cancel.show()
        self.status.emit(self.tr("running the version's test cases and comparing with the published version…"))
        self.background.start(lambda progress: self.commands.preview_submit(ruleset, number, progress),
                              lambda preview: self._previewed(ruleset, number, preview))
        self._selection_changed()  # the steps wait, and say so

    def _previewed(self, ruleset: str, number: int, preview: SubmitPreview) -> None:
        self.progress.hide()
        self.progress_cancel.hide()
        version = next((v for v in self.versions.rows() if v.number == number and v.ruleset == ruleset), None)
        if version is not None:
            self._impacts[self._impact_key(version)] = preview
        self._previewing = None
        pending = self._pending
        if pending is not None and pending[1] != number:  # the step is for another version: run its cases now
            self._preview(pending[1])
            return
        self._pending = None
        self._selection_changed()
        if pending is not None:
            self._continue(pending[0], number, preview)

    def _preview_ended(self) -> None:
        self.progress.hide()
        self.progress_cancel.hide()
        self._pending = None
        self._previewing = None
        self._selection_changed()

    # -- review actions -----------------------------------------------------------------

    def take(self, action: str) -> None:
        version = self.selected()
        if version is None or self.document.ruleset is None or self._pending is not None:
            return
        if action in ("submit", "approve"):
            found = self.impact_of(version)
            if found is None:  # run the cases first; the step continues when they are done
                self._pending = (action, version.number)
                if not self.busy:
                    self._preview(version.number)
                self._selection_changed()
                return
            self._continue(action, version.number, found)
            return
        comment = ""
        if action == "reject":
            answer = self.interaction.ask_text(words.step(action), self.tr("Why it goes back (kept on the review "
                                                                           "thread; optional):"), multiline=True)
            if answer is None:
                return
            comment = answer
        elif action in ("publish", "retire") and not self.interaction.confirm(
                words.step(action), self.tr("{step} {label}?").format(step=words.step(action), label=version.label)
                + self._publish_note(action)):
            return
        self._do(action, version.number, comment)

    def _continue(self, action: str, number: int, preview: SubmitPreview) -> None:
        """Submit or approve once the person has read what the version changes."""
        label = preview.draft
        if action == "submit" and not preview.compiles:
            self._do("submit", number)  # the store refuses it with the compiler's diagnostics
            return
        question = (self.tr("Submit {label} for review?") if action == "submit" else self.tr("Approve {label}?"))
        if not self.interaction.confirm(words.step(action), f"{shortened(preview_text(preview))}\n\n"
                                        + question.format(label=label)):
            return
        prompt = (self.tr("A note to the approvers: what changed and why (kept on the review thread; optional):")
                  if action == "submit" else self.tr("Comment (kept on the review thread; optional):"))
        answer = self.interaction.ask_text(words.step(action), prompt, multiline=True)
        if answer is None:
            return
        self._do(action, number, answer)

    def _publish_note(self, action: str) -> str:
        """Name the version that publishing retires, so nobody has to work out which one it is."""
        if action != "publish":
            return ""
        current = next((v for v in self.versions.rows() if v.state == "published"), None)
        return ("\n" + self.tr("{label}, the version published now, will be retired.").format(label=current.label)
                if current is not None else "")

    def _do(self, action: str, number: int, comment: str = "") -> None:
        ruleset = self.document.ruleset or ""
        try:
            info = self.commands.take_step(action, ruleset, number, comment)
        except Exception as exc:  # noqa: BLE001
            rendered = getattr(exc, "rendered", "")
            self.interaction.error(self.tr("Could not take the step “{step}”").format(step=words.step(action)),
                                   f"{exc}\n\n{rendered}".strip())
            self.refresh()
            self.changed.emit()  # someone else may have moved the version: the tree shows where it stands now
            return
        self.status.emit(self.tr("{label} is now {state}").format(label=info.label, state=words.state(info.state)))
        self.changed.emit()
        self.refresh()

    @property
    def busy(self) -> bool:
        return self.background.busy

    def cancel(self) -> None:
        self.background.cancel()

    # -- the review thread ------------------------------------------------------------------

    def _show_thread(self) -> None:
        version = self.selected()
        me = self.commands.me()
        may_post = me is not None and has_role(me.role, "editor") and version is not None
        self.post_button.setEnabled(may_post)
        self.comment.setEnabled(may_post)
        say(self.comment_reason, "" if may_post or version is None else
            self.tr("Commenting needs the editor role; your role is {role}.").format(
                role=words.role(me.role if me else None)))
        if version is None:
            self.thread_view.setHtml("")
            return
        try:
            entries = self.commands.comments(version.ruleset, version.number)
        except Exception as exc:  # noqa: BLE001
            self.thread_view.setPlainText(self.tr("Cannot read the thread: {error}").format(error=exc))
            return
        if not entries:
            self.thread_view.setPlainText(self.tr("No note or comment on {label} yet.").format(label=version.label))
            self.lower_tabs.setTabText(1, self.tr("Review thread"))
            return
        self.lower_tabs.setTabText(1, self.tr("Review thread ({n})").format(n=len(entries)))
        parts = []
        for entry in entries:
            kind = html.escape(words.thread_kind(entry.kind))
            head = f"<b>{html.escape(entry.author)}</b> · {kind} · {when(entry.at)}"
            body = html.escape(entry.body).replace("\n", "<br>")
            parts.append(f"<p>{head}<br>{body}</p>")
        self.thread_view.setHtml("".join(parts))

    def post_comment(self) -> None:
        version = self.selected()
        text = self.comment.toPlainText()
        if version is None or not text.strip():
            return
        try:
            self.commands.add_comment(version.ruleset, version.number, text)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not post the comment"), str(exc))
            return
        self.comment.clear()
        self._show_thread()
        self.refresh_audit()
        self.status.emit(self.tr("comment posted on {label}").format(label=version.label))

    # -- diff --------------------------------------------------------------------------

    def show_diff(self) -> None:
        ruleset, old, new = self.document.ruleset, self.old_combo.currentData(), self.new_combo.currentData()
        current = self.file_combo.currentText()
        self._aligned = {}
        self.file_combo.blockSignals(True)
        self.file_combo.clear()
        self.file_combo.blockSignals(False)
        if ruleset is None or old is None or new is None:
            self.diff_rows = []
            self.diff_view.show_rows([])
            return
        try:
            a, b = self.commands.diff_sources(ruleset, old, new)
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not compare versions"), str(exc))
            return
        self._aligned = align_sources(a, b)
        self.file_combo.blockSignals(True)
        self.file_combo.addItems(list(self._aligned))
        if current in self._aligned:
            self.file_combo.setCurrentText(current)
        self.file_combo.blockSignals(False)
        self.diff_summary.setText(self.tr("{n} file(s) differ between v{old} and v{new}").format(
            n=len(self._aligned), old=old, new=new) if self._aligned
            else self.tr("v{old} and v{new} have the same sources").format(old=old, new=new))
        self._show_file_diff()

    def _show_file_diff(self) -> None:
        rows = self._aligned.get(self.file_combo.currentText(), [])
        self.diff_rows = list(rows)
        self.diff_view.show_rows(rows, f"v{self.old_combo.currentData()}", f"v{self.new_combo.currentData()}")
        first = next((i for i, r in enumerate(rows) if r.kind != "same"), None)
        if first is not None:
            self.diff_view.scroll_to_row(max(0, first - 2))  # the first change, with two lines before it

    # -- audit ---------------------------------------------------------------------------

    def refresh_audit(self) -> None:
        subject = self.audit_subject.text().strip() or None
        try:
            self.audit.set_rows(list(self.commands.audit(500, subject)))
        except Exception as exc:  # noqa: BLE001
            self.audit_status.setText(str(exc))
            return
        self.audit_view.resizeColumnsToContents()
        count = self.audit.rowCount()
        self.audit_status.setText(self.tr("%n event(s), newest first", None, count))

    def verify_audit(self) -> None:
        try:
            report = self.commands.verify_audit()
        except Exception as exc:  # noqa: BLE001
            self.interaction.error(self.tr("Could not verify the audit log"), str(exc))
            return
        if report.ok:
            self.audit_status.setText(self.tr("audit chain intact: {n} event(s), head {head}…").format(
                n=report.events, head=report.head_hash[:16]))
            return
        found = [p.message for p in (*report.problems, *report.violations)] + list(report.mismatches)
        self.audit_status.setText(self.tr("AUDIT CHAIN BROKEN: {n} problem(s)").format(n=len(found)))
        self.interaction.error(self.tr("The audit log was altered"), "\n".join(found[:20]))

    def start_find(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.audit_find.open_bar()
        else:
            self.versions_find.open_bar()
