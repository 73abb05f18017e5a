"""Users and roles, for admins: who may do what, adding people, changing roles, acting as someone else."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from jurist.db.records import UserInfo
from jurist.db.workflow import ROLES
from jurist.workbench.session import Workbench

from .. import words
from ..i18n import QT_TRANSLATE_NOOP
from ..interaction import Interaction
from ..models.records import UsersModel
from ..models.table import RowRole
from .common import note_label, say, table

ROLE_HELP = {
    "viewer": QT_TRANSLATE_NOOP("UsersDialog", "reads rulesets, runs simulations"),
    "editor": QT_TRANSLATE_NOOP("UsersDialog",
                                "also edits drafts and test cases, submits for review, comments"),
    "approver": QT_TRANSLATE_NOOP("UsersDialog",
                                  "also approves, sends back, publishes and retires (never what they wrote)"),
    "admin": QT_TRANSLATE_NOOP("UsersDialog", "also manages users and may act as another user"),
}


def role_combo(selected: str = "editor") -> QComboBox:
    combo = QComboBox()
    for role in ROLES:
        combo.addItem(words.role(role), role)
    combo.setCurrentIndex(max(0, combo.findData(selected)))
    return combo


class UsersDialog(QDialog):
    """Everyone sees who holds which role; only an admin changes it (the store refuses anyone else too)."""

    act_as = Signal(str)  # open a window acting as this user

    def __init__(self, commands: Workbench, interaction: Interaction, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Users and roles"))
        self.commands = commands
        self.interaction = interaction
        self.model = UsersModel(self)
        self.view = table(self.model, 0)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.role = role_combo()
        self.set_role_button = QPushButton(self.tr("&Change role"))
        self.set_role_button.clicked.connect(self.change_role)
        self.act_as_button = QPushButton(self.tr("Open a window &as this user"))
        self.act_as_button.setToolTip(self.tr("A second window acting as the selected user: every step it takes is "
                                              "recorded with your login behind it"))
        self.act_as_button.clicked.connect(self._act_as)
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("login name, e.g. jdupont"))
        self.new_role = role_combo()
        self.add_button = QPushButton(self.tr("A&dd user"))
        self.add_button.clicked.connect(self.add_user)
        self.new_name.returnPressed.connect(self.add_user)
        self.reason = note_label()
        self.roles_help = note_label("\n".join(f"{words.role(r)}: {self.tr(ROLE_HELP[r])}" for r in ROLES))
        change = QHBoxLayout()
        change.addWidget(QLabel(self.tr("Selected user:")))
        change.addWidget(self.role, 1)
        change.addWidget(self.set_role_button)
        change.addWidget(self.act_as_button)
        add = QHBoxLayout()
        add.addWidget(QLabel(self.tr("New user:")))
        add.addWidget(self.new_name, 2)
        add.addWidget(self.new_role, 1)
        add.addWidget(self.add_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(change)
        layout.addLayout(add)
        layout.addWidget(self.reason)
        layout.addWidget(self.roles_help)
        layout.addWidget(close)
        self.resize(620, 440)
        self.refresh()

    @property
    def is_admin(self) -> bool:
        me = self.commands.me()
        return me is not None and me.role == "admin"

    def refresh(self, select: str | None = None) -> None:
        try:
            self.model.set_rows(list(self.commands.users()))
        except Exception as exc:  # noqa: BLE001
            say(self.reason, str(exc))
            return
        self.view.resizeColumnsToContents()
        if select is not None:
            for row in range(self.model.rowCount()):
                if self.model.row(row).name == select:
                    self.view.selectRow(row)
        self._selection_changed()

    def selected(self) -> UserInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.index(rows[0].row(), 0).data(RowRole) if rows else None

    def _selection_changed(self) -> None:
        user = self.selected()
        admin = self.is_admin
        if user is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(user.role)))
        self.role.setEnabled(admin and user is not None)
        self.set_role_button.setEnabled(admin and user is not None)
        self.act_as_button.setEnabled(admin and user is not None and user.name != self.commands.store.login)
        for widget in (self.new_name, self.new_role, self.add_button):
            widget.setEnabled(admin)
        if not admin:
            me = self.commands.me()
            say(self.reason, self.tr("Only an admin adds users or changes roles; your role is {role}.").format(
                role=words.role(me.role if me else None)))
        elif user is None:
            say(self.reason, self.tr("Select a user to change their role or act as them."))
        else:
            say(self.reason, "")

    def add_user(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            say(self.reason, self.tr("Type the new user's login name first."))
            return
        try:
            self.commands.add_user(name, str(self.new_role.currentData()))
        except Exception as exc:  # noqa: BLE001 - the store's refusal (a bad name, a clash) said as is
            say(self.reason, str(exc))
            return
        self.new_name.clear()
        self.refresh(select=name)

    def change_role(self) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            self.commands.set_role(user.name, str(self.role.currentData()))
        except Exception as exc:  # noqa: BLE001 - e.g. demoting the last admin
            say(self.reason, str(exc))
            return
        self.refresh(select=user.name)

    def _act_as(self) -> None:
        user = self.selected()
        if user is not None:
            self.act_as.emit(user.name)
