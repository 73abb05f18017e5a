"""The editor's problems list: one row per diagnostic, errors before warnings."""
from __future__ import annotations


from jurist.dsl import Diagnostic

from ..i18n import QT_TRANSLATE_NOOP
from ..palette import EFFECT_COLOURS
from .table import Column, RowsModel


def _severity_colour(d: Diagnostic) -> str:
    return EFFECT_COLOURS["deny"] if d.is_error else EFFECT_COLOURS["review"]


def full_text(d: Diagnostic) -> str:
    """The whole diagnostic for a tooltip, however narrow its columns are (the compiler's words)."""
    return f"{d.severity}: {d.message}" + (f"\nhelp: {d.help}" if d.help else "")


class ProblemsModel(RowsModel[Diagnostic]):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("Columns", "Severity"), lambda d: d.severity, _severity_colour),
        Column(QT_TRANSLATE_NOOP("Columns", "File"), lambda d: d.file),
        Column(QT_TRANSLATE_NOOP("Columns", "Line"), lambda d: d.line, sort=lambda d: d.line),
        Column(QT_TRANSLATE_NOOP("Columns", "Message"), lambda d: d.message, tooltip=lambda d: full_text(d)),
        Column(QT_TRANSLATE_NOOP("Columns", "Help"), lambda d: d.help or "", tooltip=lambda d: full_text(d)),
    )
