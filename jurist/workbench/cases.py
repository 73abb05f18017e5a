"""Running test cases: against one ruleset, against two (what a draft changes), and keeping the run.

Every adapter runs cases through here: `jurist test`, the GUI's cases page,
the pre-submit preview.  Each case's images are observed once, however many
times the case is then decided (fast and exhaustive; old and new ruleset).
Cases come from files (`engine.cases.load_cases`) or from the store, read by
the same reader, so a case means the same thing wherever it is kept.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Collection, Mapping, Sequence

from jurist.db.hashing import sources_hash
from jurist.engine import Policy
from jurist.engine.cases import Case, CaseChange, CaseError, CaseResult, change, judge
from jurist.engine.detection_memo import DetectionMemo

from .progress import NO_PROGRESS, Progress

if TYPE_CHECKING:  # `jurist test` on a directory runs cases without loading the store's SQLAlchemy
    from jurist.db.records import SimulationRunInfo, VersionInfo
    from jurist.db.service import Store


@dataclass(frozen=True, slots=True)
class Readable:
    """Stored cases read into engine cases; those that no longer read (a label since renamed) fail as rows."""

    cases: tuple[Case, ...]
    unreadable: tuple[CaseResult, ...]


@dataclass(frozen=True, slots=True)
class CaseRun:
    """Every case's result against a ruleset and, with a baseline, the cases the two decide differently."""

    results: tuple[CaseResult, ...]
    changes: tuple[CaseChange, ...] = ()
    cases_hash: str | None = None  # the store's `case_set_hash` of the cases run; None: not the store's

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def failing(self) -> tuple[CaseResult, ...]:
        return tuple(r for r in self.results if not r.passed)


def run_cases(policy: Policy, cases: Sequence[Case], progress: Progress = NO_PROGRESS,
              baseline: Policy | None = None) -> CaseRun:
    """Each case decided as served and exhaustively, and judged; with `baseline`, also compared with it.

    A case's images are observed once for all its decisions (fast and
    exhaustive, this ruleset and the baseline), and an image or prompt several
    cases share is looked at once for the run: the detectors are the slow part.
    """
    rule_ids = _rule_ids(policy)
    memo = DetectionMemo()
    results: list[CaseResult] = []
    changes: list[CaseChange] = []
    for i, case in enumerate(cases):
        observed = policy.observe(case.request, memo=memo)
        full = policy.decide(observed, exhaustive=True)
        results.append(judge(case, policy.decide(observed), full, rule_ids))
        if baseline is not None:
            found = change(case.name, baseline.decide(observed, exhaustive=True), full)
            if found is not None:
                changes.append(found)
        progress.step(i + 1, len(cases))
    return CaseRun(tuple(results), tuple(changes))


def read_documents(documents: Sequence[Any], where: str = "store") -> Readable:
    """Stored case documents read by the one case reader; one that no longer reads fails as a row."""
    good: list[Case] = []
    bad: list[CaseResult] = []
    for doc in documents:
        try:
            good.append(Case.from_json(doc, where))
        except CaseError as exc:
            name = str(doc.get("name", "?")) if isinstance(doc, dict) else "?"
            expect = doc.get("expect") if isinstance(doc, dict) else None
            effect = str(expect.get("effect", "?")) if isinstance(expect, dict) else "?"
            bad.append(CaseResult.unreadable(name, effect, str(exc)))
    return Readable(tuple(good), tuple(bad))


def stored_cases(store: Store, ruleset: str) -> Readable:
    """The ruleset's working set of cases as engine cases, their images inline (no files written)."""
    return read_documents(store.runnable_test_cases(ruleset))


def run_stored(store: Store, ruleset: str, policy: Policy, progress: Progress = NO_PROGRESS,
               baseline: Policy | None = None, number: int | None = None) -> CaseRun:
    """The stored cases run against `policy` (and `baseline`): unreadable ones first, failing with their reason.

    With `number`, version `number`'s cases (those it kept when it was submitted; a draft's are the working
    set), else the working set editors edit.
    """
    found = store.case_set(ruleset, number)
    readable = read_documents(found.documents)
    run = run_cases(policy, readable.cases, progress, baseline)
    return CaseRun(readable.unreadable + run.results, run.changes, found.cases_hash)


def record(store: Store, version: VersionInfo, sources: dict[str, str],
           results: Sequence[CaseResult], cases_hash: str | None = None) -> SimulationRunInfo:
    """Keep a run of `sources` against `version`, only if they are exactly what the store holds for it.

    A draft can be saved by someone else after it was opened; a run of the
    old text must not be filed under the new one.  `cases_hash` names the
    cases that ran (`CaseRun.cases_hash`), which the publish gate reads.
    """
    return store.record_simulation(version.ruleset, version.number, results, expected_hash=sources_hash(sources),
                                   cases_hash=cases_hash)


@dataclass(frozen=True, slots=True)
class CaseEdit:
    """A case as a person writes it in the cases page: what `save_case` stores.

    `request["images"]` names files on disk, or images of the case being
    edited (by the name it stores them under).  `obligations` are exactly the
    decision's when given (`()`: none at all); None leaves them unchecked.
    `policy` names the seed policy the case proves.
    """

    name: str
    request: Mapping[str, Any]
    effect: str
    rules: tuple[str, ...] = ()
    not_rules: tuple[str, ...] = ()
    obligations: tuple[tuple[str, str], ...] | None = None
    policy: str | None = None

    def document(self, images: Sequence[str] | None = None) -> dict[str, Any]:
        """The case document the store and `jurist test` read, with `images` as the request's image names."""
        request = dict(self.request)
        if images is not None:
            if images:
                request["images"] = list(images)
            else:
                request.pop("images", None)
        expect: dict[str, Any] = {"effect": self.effect, "rules": list(self.rules)}
        if self.not_rules:
            expect["not_rules"] = list(self.not_rules)
        if self.obligations is not None:
            expect["obligations"] = [{"kind": k, "value": v} for k, v in self.obligations]
        out: dict[str, Any] = {"name": self.name.strip(), "request": request, "expect": expect}
        if self.policy:
            out["policy"] = self.policy
        return out


def copy_name(name: str, taken: Collection[str]) -> str:
    """`name (copy)`, `name (copy 2)`, …: the first that is not taken."""
    candidate, n = f"{name} (copy)", 2
    while candidate in taken:
        candidate, n = f"{name} (copy {n})", n + 1
    return candidate


def _rule_ids(policy: Policy) -> frozenset[str]:
    ruleset = policy.ruleset
    return frozenset(r.id for r in ruleset.rules) if ruleset is not None else frozenset()
