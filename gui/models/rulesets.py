"""The rulesets tree: ruleset → jurisdiction → file, each ruleset with where its versions stand."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from jurist.db.records import RulesetInfo

from .. import words
from ..i18n import translate
from ..outline import GLOBAL
from ..palette import STATE_COLOURS

NodeRole = Qt.ItemDataRole.UserRole + 10


@dataclass(frozen=True, slots=True)
class Node:
    """What a tree item stands for: a ruleset, a jurisdiction group in it, or one of its files."""

    kind: str        # "ruleset", "jurisdiction", "file"
    ruleset: str
    path: str = ""
    place: str = ""  # a jurisdiction group's place as its files' header writes it ("" for every country)


def ruleset_state(info: RulesetInfo) -> str:
    """`published v2 · draft v3`: the served version and the newest one when they differ."""
    parts = []
    if info.published is not None:
        parts.append(f"{words.state('published')} v{info.published}")
    if info.latest is not None and info.latest != info.published:
        parts.append(f"{words.state(info.latest_state)} v{info.latest}")
    return " · ".join(parts) or translate("Rulesets", "no versions")


class RulesetTreeModel(QStandardItemModel):
    """One column, so the panel stays narrow: a ruleset with where its versions stand on a second line, its
    places (each with how many files), and their files."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([translate("Rulesets", "Rulesets, places and files")])

    def set_rulesets(self, rulesets: Sequence[tuple[RulesetInfo, Mapping[str, list[str]]]],
                     places: Mapping[str, str] | None = None) -> None:
        """Each ruleset with its files grouped by jurisdiction (the label of each group, as
        `outline.files_by_jurisdiction` makes them); `places` maps a group label to the place it stands for."""
        self.removeRows(0, self.rowCount())
        for info, groups in rulesets:
            state = ruleset_state(info)
            top = _item(f"{info.name}\n{state}", Node("ruleset", info.name))
            top.setToolTip(state)
            colour = STATE_COLOURS.get(info.latest_state or "")
            if colour:
                top.setBackground(QColor(colour))
            for label, files in groups.items():
                node = Node("jurisdiction", info.name, place=(places or {}).get(label, ""))
                shown = translate("Rulesets", "Every country") if label == GLOBAL else label
                group = _item(f"{shown} ({len(files)})", node)
                count = len(files)
                group.setToolTip(translate("Rulesets", "%n file(s)", None, count))
                for path in files:
                    group.appendRow(_item(path, Node("file", info.name, path)))
                top.appendRow(group)
            self.appendRow(top)


def _item(text: str, node: Node) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(node, NodeRole)
    return item
