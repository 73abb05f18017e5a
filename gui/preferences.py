"""What a person sets once and keeps: language, text size, the rulesets panel, line wrapping.

Backed by QSettings (the platform's own place for them); tests and
screenshots hand in their own, so nothing leaks between runs.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

DEFAULT_POINT_SIZE = 10
SMALLEST, LARGEST = 7, 28


class Preferences:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings if settings is not None else QSettings("jurist", "jurist")

    def _get(self, key: str, default: Any, kind: type) -> Any:
        value = self.settings.value(key, default)
        try:
            return kind(value) if kind is not bool else value in (True, "true", "1", 1)
        except (TypeError, ValueError):
            return default

    @property
    def language(self) -> str | None:
        """The chosen language; None: follow the system's."""
        value = self.settings.value("language")
        return str(value) if value else None

    @language.setter
    def language(self, code: str | None) -> None:
        self.settings.setValue("language", code or "")

    @property
    def point_size(self) -> int:
        return max(SMALLEST, min(LARGEST, int(self._get("point_size", DEFAULT_POINT_SIZE, int))))

    @point_size.setter
    def point_size(self, size: int) -> None:
        self.settings.setValue("point_size", max(SMALLEST, min(LARGEST, size)))

    @property
    def wrap_lines(self) -> bool:
        return bool(self._get("wrap_lines", False, bool))

    @wrap_lines.setter
    def wrap_lines(self, on: bool) -> None:
        self.settings.setValue("wrap_lines", on)

    @property
    def show_rulesets(self) -> bool:
        return bool(self._get("show_rulesets", True, bool))

    @show_rulesets.setter
    def show_rulesets(self, on: bool) -> None:
        self.settings.setValue("show_rulesets", on)


_SCRATCH: Any = None  # one folder per process for `in_memory`'s files, removed when the process ends


def in_memory() -> Preferences:
    """Preferences kept in a scratch file nobody else reads: for tests and screenshots."""
    global _SCRATCH
    import tempfile

    if _SCRATCH is None:
        _SCRATCH = tempfile.TemporaryDirectory(prefix="jurist-prefs-")
    path = tempfile.NamedTemporaryFile(dir=_SCRATCH.name, suffix=".ini", delete=False).name
    return Preferences(QSettings(path, QSettings.Format.IniFormat))
