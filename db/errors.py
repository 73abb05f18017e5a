"""Errors the store raises: each carries one readable line for the user.

The CLI prints `str(error)` and picks the exit status from the error's type
(`jurist/cli/errors.py`): a refusal (roles, the two-person rule, state, a
conflict, tampering) is a "no", bad input (a name that does not exist,
malformed text) or an unusable database is an input error.  The GUI shows the
same line in a dialog.  Nothing here is a database driver exception, so callers
never need to know which backend they talk to.
"""
from __future__ import annotations

from typing import Sequence


class StoreError(Exception):
    """Base of every error the store raises on purpose."""



class StoreUnavailable(StoreError):
    """The database cannot be used at all: unreachable, corrupt, foreign or too new."""



class NoStore(StoreUnavailable):
    """The database holds no Jurist store and the command may not create one."""


class NotFound(StoreError):
    """A named user, ruleset, version or test case does not exist: bad input."""



class NothingPublished(NotFound):
    """A ruleset exists but has no published version to serve."""


class PermissionDenied(StoreError):
    """The acting user's role does not allow the operation."""


class UnknownUser(PermissionDenied):
    """The acting identity is not a registered user."""


class TwoPersonRule(PermissionDenied):
    """An author tried to approve a version they wrote."""


class InvalidTransition(StoreError):
    """The version is not in a state that allows the operation."""


class ConflictError(StoreError):
    """Someone else changed the same thing first; reload and retry."""


class InvalidInput(StoreError):
    """Input (a test case, a ruleset directory, a name) is malformed."""



class TamperedVersion(StoreError):
    """A version's rows disagree with its hash or with the audit log: edited behind the store's back."""


class AuditBroken(StoreError):
    """The audit log cannot take a new event (its head record is gone), so no change is made."""


class AuditUnverified(StoreError):
    """The audit log does not verify, so it cannot be anchored: an anchor would vouch for a broken history."""


class CheckUnavailable(StoreError):
    """The store was opened without a compile check, so it cannot do what needs one (submit, check, seed)."""


class CompileRefused(StoreError):
    """A version with compile errors cannot be submitted; carries the diagnostics."""

    def __init__(self, message: str, diagnostics: Sequence[object] = (), rendered: str = "") -> None:
        super().__init__(message)
        self.diagnostics = tuple(diagnostics)
        self.rendered = rendered


class FailingTests(StoreError):
    """A version whose own test cases fail is not published unless an approver overrides, with a reason."""
