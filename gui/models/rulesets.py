"""The rulesets tree: ruleset → jurisdiction → file, each ruleset with where its versions stand."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from jurist.db.records import RulesetInfo

from ..palette import STATE_COLOURS, state_text

NodeRole = Qt.ItemDataRole.UserRole + 10


@dataclass(frozen=True, slots=True)
class Node:
    """What a tree item stands for: a ruleset, a jurisdiction group in it, or one of its files."""

    kind: str        # "ruleset", "jurisdiction", "file"
    ruleset: str
    path: str = ""


def ruleset_state(info: RulesetInfo) -> str:
    """`published v2 · draft v3`: the served version and the newest one when they differ."""
    parts = []
    if info.published is not None:
        parts.append(f"published v{info.published}")
    if info.latest is not None and info.latest != info.published:
        parts.append(f"{state_text(info.latest_state)} v{info.latest}")
    return " · ".join(parts) or "no versions"


class RulesetTreeModel(QStandardItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Ruleset / file", "State"])

    def set_rulesets(self, rulesets: Sequence[tuple[RulesetInfo, Mapping[str, list[str]]]]) -> None:
        """Each ruleset with its newest version's files grouped by jurisdiction."""
        self.removeRows(0, self.rowCount())
        for info, groups in rulesets:
            top = _item(info.name, Node("ruleset", info.name))
            state = _item(ruleset_state(info), Node("ruleset", info.name))
            state.setToolTip(ruleset_state(info))
            colour = STATE_COLOURS.get(info.latest_state or "")
            if colour:
                state.setBackground(QColor(colour))
            for place, files in groups.items():
                group = _item(place, Node("jurisdiction", info.name))
                for path in files:
                    group.appendRow([_item(path, Node("file", info.name, path)), _item("", Node("file", info.name, path))])
                top.appendRow([group, _item(f"{len(files)} file(s)", Node("jurisdiction", info.name))])
            self.appendRow([top, state])


def _item(text: str, node: Node) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(node, NodeRole)
    return item
