"""How commands talk to the person at the keyboard, without knowing about Qt.

As in git-cola, the application swaps in dialogs (`widgets.dialogs.QtInteraction`)
at start-up while tests use `ScriptedInteraction`, which records what would
have been shown and answers from a script, so no modal box ever blocks a test.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


class Interaction:
    """The questions and messages a command may put to the user."""

    def inform(self, title: str, message: str) -> None:
        raise NotImplementedError

    def error(self, title: str, message: str) -> None:
        raise NotImplementedError

    def confirm(self, title: str, message: str) -> bool:
        raise NotImplementedError

    def ask_text(self, title: str, label: str, default: str = "", multiline: bool = False) -> str | None:
        """A text from the person (several lines when `multiline`), or None when they cancelled."""
        raise NotImplementedError

    def save_path(self, title: str, default: str, filters: str) -> str | None:
        raise NotImplementedError


@dataclass
class ScriptedInteraction(Interaction):
    """Records messages and answers questions from queues: for tests and headless runs."""

    confirms: deque[bool] = field(default_factory=deque)
    texts: deque[str | None] = field(default_factory=deque)
    paths: deque[str | None] = field(default_factory=deque)
    shown: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, message)

    def inform(self, title: str, message: str) -> None:
        self.shown.append(("info", title, message))

    def error(self, title: str, message: str) -> None:
        self.shown.append(("error", title, message))

    def confirm(self, title: str, message: str) -> bool:
        self.shown.append(("confirm", title, message))
        return self.confirms.popleft() if self.confirms else True

    def ask_text(self, title: str, label: str, default: str = "", multiline: bool = False) -> str | None:
        self.shown.append(("ask", title, label))
        return self.texts.popleft() if self.texts else default

    def save_path(self, title: str, default: str, filters: str) -> str | None:
        self.shown.append(("save", title, default))
        return self.paths.popleft() if self.paths else None

    @property
    def errors(self) -> list[str]:
        return [m for kind, _, m in self.shown if kind == "error"]
