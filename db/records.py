"""Plain, frozen records the service hands out: never ORM objects.

Widgets and the CLI get values they can show and pass back, but nothing that
could lazy-load, flush or otherwise reach the database behind the service.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Callable, Mapping, TypeVar

from jurist.db.audit import (  # re-exported records
    AnchorCheck as AnchorCheck, AuditProblem as AuditProblem, AuditReport as AuditReport,
)

K = TypeVar("K")
V = TypeVar("V")


def frozen_mapping(value: Mapping[K, V]) -> Mapping[K, V]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The compiler's verdict on a version: errors block submission, warnings do not."""

    ok: bool
    diagnostics: tuple[Any, ...]
    rendered: str
    # (rule id, "file:line", the place codes it is confined to or None for everywhere), when it compiled
    rule_places: tuple[tuple[str, str, tuple[str, ...] | None], ...] = ()


SourcesCheck = Callable[[Mapping[str, str]], CheckResult]
"""Compiles a version's sources (path -> text) and says whether they may enter review.

The store is given one (`Store.open(..., check=...)`) rather than importing the
compiler, so the store stays below the language in the layers; the workbench
supplies the real one (`jurist.workbench.checks.compile_check`).
"""


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    role: str
    created_at: datetime
    key: str | None = None  # the public key they registered for signed approvals (`ed25519:…`)


@dataclass(frozen=True, slots=True)
class ApprovalInfo:
    approver: str
    at: datetime
    comment: str


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """A version's metadata; `revision` is what `save_draft` must be given back."""

    ruleset: str
    number: int
    state: str
    content_hash: str
    parent: int | None
    author: str
    authors: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    revision: int
    approvals: tuple[ApprovalInfo, ...]
    files: tuple[str, ...]
    intact: bool = True  # False: the sources no longer match `content_hash` (edited in the database)

    @property
    def label(self) -> str:
        return f"{self.ruleset}@v{self.number}"


@dataclass(frozen=True, slots=True)
class CommentInfo:
    """One entry of a version's review thread (`kind`: note, comment, approve or reject), oldest first."""

    ruleset: str
    version: int
    author: str
    at: datetime
    kind: str
    body: str


@dataclass(frozen=True, slots=True)
class VersionSources:
    """A version with the full text of every file."""

    info: VersionInfo
    sources: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RulesetInfo:
    """A ruleset and where its versions stand, for listings."""

    name: str
    jurisdictions: tuple[str, ...]
    created_at: datetime
    published: int | None          # number of the published version
    latest: int | None             # highest version number
    latest_state: str | None
    states: Mapping[int, str] = field(default_factory=dict)  # every version's state


@dataclass(frozen=True, slots=True)
class FileDiff:
    path: str
    status: str  # "added", "removed", "changed"
    unified: str


@dataclass(frozen=True, slots=True)
class VersionDiff:
    ruleset: str
    old: int
    new: int
    files: tuple[FileDiff, ...]

    @property
    def unified(self) -> str:
        return "".join(f.unified for f in self.files)


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image of a test case: the name the request uses and the stored blob."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class TestCaseInfo:
    """A stored test case, in the same shape `jurist test` reads from JSON.

    `expected_rules` must fire and `expected_not_rules` must not.
    """

    __test__ = False

    name: str
    request: Mapping[str, Any]
    expected_effect: str
    expected_rules: tuple[str, ...]
    expected_not_rules: tuple[str, ...]
    images: tuple[ImageRef, ...]
    updated_by: str
    updated_at: datetime
    expected_obligations: tuple[tuple[str, str], ...] | None = None  # exactly these, when given
    policy: str | None = None  # the seed policy the case proves

    def to_json(self) -> dict[str, Any]:
        """The case file's JSON; `not_rules` only when there are some, as case files write it."""
        expect: dict[str, Any] = {"effect": self.expected_effect, "rules": list(self.expected_rules)}
        if self.expected_not_rules:
            expect["not_rules"] = list(self.expected_not_rules)
        if self.expected_obligations is not None:
            expect["obligations"] = [{"kind": k, "value": v} for k, v in self.expected_obligations]
        out: dict[str, Any] = {"name": self.name, "request": _thaw(self.request), "expect": expect}
        if self.policy is not None:
            out["policy"] = self.policy
        return out


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_thaw(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class CaseResultInfo:
    case_name: str
    expected_effect: str
    expected_rules: tuple[str, ...]
    actual_effect: str | None
    actual_rules: tuple[str, ...]
    passed: bool
    error: str | None
    expected_not_rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SimulationRunInfo:
    id: int
    ruleset: str
    version: int
    started_by: str
    started_at: datetime
    passed: int
    failed: int
    results: tuple[CaseResultInfo, ...]
    cases_hash: str | None = None  # the `case_set_hash` of the cases run, when the runner named them


@dataclass(frozen=True, slots=True)
class AuditEventInfo:
    """One audit event; `via` is the real login when an admin acted as `actor` (`--as`)."""

    seq: int
    at: str
    actor: str
    action: str
    subject: str
    details: Mapping[str, Any]
    hash: str
    via: str | None = None

    @property
    def who(self) -> str:
        """"bob", or "bob (via root)" when root acted as bob."""
        return f"{self.actor} (via {self.via})" if self.via else self.actor


@dataclass(frozen=True, slots=True)
class RunnableCases:
    """Test cases ready to run, as `jurist test` reads them (images inline as data URLs), and which they are.

    `kept`: the cases the version kept when it was submitted; False: the ruleset's working set (a draft's, a
    version's submitted before versions kept their cases, or no version's).  `cases_hash` is their
    `case_set_hash`, which a recorded run names so the publish gate knows what ran.
    """

    ruleset: str
    version: int | None
    documents: tuple[dict[str, Any], ...]
    cases_hash: str
    kept: bool = False


@dataclass(frozen=True, slots=True)
class CaseChanges:
    """How a ruleset's test cases changed since a version was last reviewed (approved, else submitted).

    Cases are kept per ruleset and edited between reviews; each review records
    the cases it saw (in the hashed audit log), so a case weakened after an
    approval shows here.
    """

    ruleset: str
    version: int
    reviewed: str                    # "approved" or "submitted"; "" when never reviewed
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    kept: int | None = None          # how many cases the version keeps (submitted with); None: it keeps none

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def kept_line(self) -> str:
        """"global@v3 keeps the 12 test case(s) it was submitted with; 2 differ from the working set now"."""
        if self.kept is None:
            return ""
        parts = len(self.parts())
        now = f"{parts} differ from the working set now" if parts else "the working set is the same now"
        return f"{self.ruleset}@v{self.version} keeps the {self.kept} test case(s) it was submitted with; {now}"

    def parts(self) -> list[str]:
        """["`a` added", "`b` changed"]: each case that differs, and how."""
        return ([f"`{n}` added" for n in self.added] + [f"`{n}` removed" for n in self.removed]
                + [f"`{n}` changed" for n in self.changed])

    def describe(self) -> str:
        """"2 test case(s) changed since global@v3 was approved: `a` changed, `b` removed"."""
        parts = self.parts()
        return (f"{len(parts)} test case(s) differ from those {self.ruleset}@v{self.version} was {self.reviewed} "
                f"with: {', '.join(parts)}")


@dataclass(frozen=True, slots=True)
class NewImpact:
    """A version's impact as the workbench computed it, for `Store.submit` to keep with the version."""

    content_hash: str               # the sources it was computed for: refused if the version moved on
    against_number: int | None
    against_hash: str | None
    decisions: int
    flips: int
    loosening: int
    cases_run: int
    cases_failing: int
    summary: Mapping[str, Any]      # JSON-ready
    cases_hash: str | None = None   # the cases run (`case_set_hash`): refused if they are not those the version keeps


@dataclass(frozen=True, slots=True)
class ImpactInfo:
    """A version's stored impact (see `NewImpact`); `summary` is the report an approver reads."""

    ruleset: str
    number: int
    computed_at: datetime
    content_hash: str
    against_number: int | None
    against_hash: str | None
    decisions: int
    flips: int
    loosening: int
    cases_run: int
    cases_failing: int
    summary: Mapping[str, Any]
    current: bool = True    # computed for the sources the version holds now


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What `import_directory` did: the new draft (None if unchanged) and the cases."""

    ruleset: str
    version: VersionInfo | None
    cases_saved: int


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """An API token as listed: never its text, which is shown once when it is made."""

    name: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just made: `secret` is its only appearance; the store keeps its SHA-256."""

    info: TokenInfo
    secret: str
