"""The GUI's names for the store's and the engine's closed vocabularies, in the current language.

Effects, version states, roles, review steps and the like are identifiers
below the GUI (`deny`, `in_review`, `approver`); this is the one place that
says them to a person.  Anything else (rule ids, file names, messages) is
data and shown as written.
"""
from __future__ import annotations

from .i18n import QT_TRANSLATE_NOOP, translate

_EFFECTS = {"deny": QT_TRANSLATE_NOOP("Words", "deny"), "review": QT_TRANSLATE_NOOP("Words", "review"),
            "allow": QT_TRANSLATE_NOOP("Words", "allow")}
_VERDICTS = {"deny": QT_TRANSLATE_NOOP("Words", "DENY"), "review": QT_TRANSLATE_NOOP("Words", "REVIEW"),
             "allow": QT_TRANSLATE_NOOP("Words", "ALLOW")}
_STATES = {"draft": QT_TRANSLATE_NOOP("Words", "draft"), "in_review": QT_TRANSLATE_NOOP("Words", "in review"),
           "approved": QT_TRANSLATE_NOOP("Words", "approved"), "published": QT_TRANSLATE_NOOP("Words", "published"),
           "retired": QT_TRANSLATE_NOOP("Words", "retired")}
_ROLES = {"viewer": QT_TRANSLATE_NOOP("Words", "viewer"), "editor": QT_TRANSLATE_NOOP("Words", "editor"),
          "approver": QT_TRANSLATE_NOOP("Words", "approver"), "admin": QT_TRANSLATE_NOOP("Words", "admin")}
_STEPS = {"submit": QT_TRANSLATE_NOOP("Words", "Submit for review"), "approve": QT_TRANSLATE_NOOP("Words", "Approve"),
          "reject": QT_TRANSLATE_NOOP("Words", "Send back to draft"), "publish": QT_TRANSLATE_NOOP("Words", "Publish"),
          "retire": QT_TRANSLATE_NOOP("Words", "Retire")}
_THREAD = {"note": QT_TRANSLATE_NOOP("Words", "submitter's note"), "comment": QT_TRANSLATE_NOOP("Words", "comment"),
           "approve": QT_TRANSLATE_NOOP("Words", "approved"), "reject": QT_TRANSLATE_NOOP("Words", "sent back")}
_SCOPES = {"everywhere": QT_TRANSLATE_NOOP("Words", "everywhere"),
           "country": QT_TRANSLATE_NOOP("Words", "this country"),
           "region": QT_TRANSLATE_NOOP("Words", "a region of it")}
_PLACE_KINDS = {"country": QT_TRANSLATE_NOOP("Words", "country"), "US state": QT_TRANSLATE_NOOP("Words", "US state"),
                "US district or territory": QT_TRANSLATE_NOOP("Words", "US district or territory")}


def _say(table: dict[str, str], key: str | None) -> str:
    if key is None:
        return ""
    return translate("Words", table[key]) if key in table else key


def effect(name: str | None) -> str:
    return _say(_EFFECTS, name)


def verdict(name: str | None) -> str:
    """The simulator's banner: DENY, REVIEW, ALLOW."""
    return _say(_VERDICTS, name) if name else translate("Words", "No decision yet")


def state(name: str | None) -> str:
    return _say(_STATES, name) if name else translate("Words", "empty")


def role(name: str | None) -> str:
    return _say(_ROLES, name) if name else translate("Words", "not registered")


def step(action: str) -> str:
    return _say(_STEPS, action)


def thread_kind(kind: str) -> str:
    return _say(_THREAD, kind)


def scope(name: str) -> str:
    return _say(_SCOPES, name)


def place_kind(name: str) -> str:
    return _say(_PLACE_KINDS, name)


def result(value: bool | None) -> str:
    """A test's outcome in a trace."""
    if value is None:
        return translate("Words", "unknown")
    return translate("Words", "true") if value else translate("Words", "false")


def version_label(ruleset: str, number: int, state_name: str | None = None) -> str:
    """`global@v2` or `global@v2 (draft)`."""
    label = f"{ruleset}@v{number}"
    return label if state_name is None else f"{label} ({state(state_name)})"
