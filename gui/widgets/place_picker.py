"""A combo box of places that accepts a typed code or name and never shows one place while meaning another."""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter

from jurist.dsl.places import countries, subdivisions

from ..i18n import place_name, translate


def typed_choices(typed: str, items: Sequence[str], unknown: str | None = None) -> list[int]:
    """The items a person may mean by `typed` (`GB — United Kingdom` items; case ignored): the one whose
    whole text, code or name it is, else every item containing it, names that start with it first."""
    wanted = typed.strip().casefold()
    if not wanted:
        return [0] if items and unknown is not None and items[0] == unknown else []
    texts = [t.casefold() for t in items]
    exact = [i for i, t in enumerate(texts) if wanted == t or wanted in t.split(" — ")]
    if exact:
        return exact[:1]
    starts = [i for i, t in enumerate(texts) if t.partition(" — ")[2].startswith(wanted)]
    return starts + [i for i, t in enumerate(texts) if wanted in t and i not in starts]


class PlacePicker(QComboBox):
    """Countries (and, with `regions`, their subdivisions) as `GB — United Kingdom`, names in the GUI's language.

    The first item is `first` (None as its data): "(unknown)" in a request,
    "every country" for a new file.  Typing a code or a name and leaving the
    field selects that place; `check()` says why a typed text names no place.
    """

    problem_changed = Signal(str)  # "" when the field names a place

    def __init__(self, first: str, regions: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.first = first
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem(first, None)
        for code, _ in sorted(countries().items()):
            self.addItem(f"{code} — {place_name(code)}", code)
        if regions:
            for code, _ in sorted(subdivisions().items()):
                self.addItem(f"{code} — {place_name(code)}", code)
        completer = self.completer()
        assert completer is not None  # an editable combo box always has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        line = self.lineEdit()
        assert line is not None  # editable
        line.editingFinished.connect(lambda: self.check())  # Tab, Enter or a click elsewhere

    def select(self, code: str | None) -> None:
        self.setCurrentIndex(max(0, self.findData(code)))

    def check(self) -> str:
        """Select the place the typed text names (`GB`, `United Kingdom`); else "" or why it cannot be told."""
        typed = self.currentText()
        problem = ""
        if typed != self.itemText(self.currentIndex()):
            found = typed_choices(typed, [self.itemText(i) for i in range(self.count())], self.first)
            if len(found) == 1:
                self.setCurrentIndex(found[0])
                self.setEditText(self.itemText(found[0]))  # also when it was selected already (`gb`)
            elif found:
                shown = ", ".join(self.itemText(i) for i in found[:4])
                more = translate("Places", " and {n} more").format(n=len(found) - 4) if len(found) > 4 else ""
                problem = translate("Places", "`{typed}` could be {shown}{more}: type more, or pick one from the "
                                              "list").format(typed=typed.strip(), shown=shown, more=more)
            else:
                problem = translate("Places", "`{typed}` is not a country: type its code (GB) or name "
                                              "(United Kingdom), or pick one from the list").format(typed=typed.strip())
        self.problem_changed.emit(problem)
        return problem
