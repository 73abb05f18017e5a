"""The review workflow as users meet it: what they may do now, what a submission changes, the steps.

Who may take which step comes from the store's one transition table
(`jurist.db.workflow`): the GUI's buttons and the CLI ask the same question the
store answers when the step is taken, so a window can never offer what the
store would refuse, for a different reason.  Before a draft goes to review its
author sees what it changes: which test cases it decides differently from the
published version, and which of its cases fail.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from jurist.db.records import CaseChanges, VersionInfo
from jurist.db.service import Store
from jurist.db.signing import SigningKey
from jurist.db.workflow import ACTIONS, TRANSITIONS, Verdict, has_role, may
from jurist.dsl.comparison import JurisdictionComparison
from jurist.engine.cases import CaseChange, CaseResult

from .cases import record, run_stored
from .comparison import compare_with_published, comparison_lines
from .drafts import Compilations, open_version, published
from .impact import ImpactWindow, record_and_submit
from .progress import NO_PROGRESS, Progress

STEP_LABELS: Mapping[str, str] = {"submit": "Submit for review", "approve": "Approve", "reject": "Send back to draft",
                                  "publish": "Publish", "retire": "Retire"}


@dataclass(frozen=True, slots=True)
class Waiting:
    """A version waiting for the user: the step they may take on it now (approve or publish)."""

    version: VersionInfo
    step: str


WAITING_STEPS = ("approve", "publish")


def waiting_for(store: Store) -> tuple[Waiting, ...]:
    """Versions of every ruleset the store's user may approve or publish now, oldest submission first.

    The workflow table decides, so a version the user wrote is not waiting for
    them (the two-person rule), and a viewer or editor has nothing waiting.
    """
    me = store.whoami()
    if me is None or not any(has_role(me.role, TRANSITIONS[step].role) for step in WAITING_STEPS):
        return ()
    out = []
    for info in store.list_rulesets():
        if not any(state in ("in_review", "approved") for state in info.states.values()):
            continue
        for version in store.list_versions(info.name):
            step = next((s for s in WAITING_STEPS if may(s, me, version, login=store.login).allowed), None)
            if step is not None:
                out.append(Waiting(version, step))
    return tuple(sorted(out, key=lambda w: (w.version.submitted_at or w.version.updated_at, w.version.label)))


def permissions(store: Store, version: VersionInfo | None) -> dict[str, Verdict]:
    """For each review step, whether the store's user may take it on `version` now, and why not."""
    me = store.whoami()
    return {action: may(action, me, version, login=store.login) for action in ACTIONS}


@dataclass(frozen=True, slots=True)
class SubmitPreview:
    """What submitting a draft would put in front of its approvers."""

    draft: str                      # "global@v4"
    against: str | None             # the published version compared with; None when nothing is published
    compiles: bool                  # False: the store will refuse it with the compiler's diagnostics
    changes: tuple[CaseChange, ...]  # cases decided differently from the published version
    failing: tuple[CaseResult, ...]  # the draft's own cases that fail
    cases: int                      # how many cases were run
    comparison: tuple[JurisdictionComparison, ...] = ()  # the solver's comparison with `against`, per jurisdiction
    kept: CaseChanges | None = None  # a submitted version's kept cases against the working set; None: it keeps none

    def summary(self) -> str:
        """Plain sentences for a confirmation dialog or a terminal."""
        if not self.compiles:
            return f"{self.draft} has compile errors; the store will refuse it."
        lines = []
        if self.kept is not None:
            lines.append(f"Submitted with {self.kept.kept} test case(s), which it is tested and published with.")
            if self.kept.any:
                lines.append(f"  The working set differs now: {', '.join(self.kept.parts())} "
                             "(the next submission keeps it).")
        if self.failing:
            lines.append(f"{len(self.failing)} of {self.cases} test case(s) fail on {self.draft}:")
            lines += [f"  {r.name}: {'; '.join(r.problems)}" for r in self.failing]
        else:
            lines.append(f"All {self.cases} test case(s) pass on {self.draft}.")
        if self.against is None:
            lines.append("Nothing is published yet to compare with.")
        elif self.changes:
            lines.append(f"{len(self.changes)} test case(s) change decision or matched rules against {self.against}:")
            lines += [f"  {c.describe()}" for c in self.changes]
        else:
            lines.append(f"No test case changes decision or matched rules against {self.against}.")
        if self.comparison:
            lines.append(f"Compared with {self.against} by the solver, per jurisdiction:")
            lines += comparison_lines(self.comparison)
        return "\n".join(lines)


def preview_submit(store: Store, ruleset: str, number: int, compilations: Compilations | None = None,
                   progress: Progress = NO_PROGRESS) -> SubmitPreview:
    """Run the ruleset's cases on the draft and on the published version, observing each case once."""
    compilations = compilations or Compilations()
    draft = open_version(store, ruleset, number)
    label = draft.info.label
    if not compilations.compile(draft.sources).ok:
        return SubmitPreview(label, None, False, (), (), 0)
    new = compilations.policy(draft.sources, label)
    current = published(store, ruleset)
    old = compilations.policy(current.sources, current.info.label) if current is not None else None
    run = run_stored(store, ruleset, new, progress, baseline=old, number=number)
    comparison = compare_with_published(store, ruleset, number, compilations) if current is not None else ()
    kept = store.case_changes(ruleset, number) if draft.info.state != "draft" else None
    return SubmitPreview(label, current.info.label if current else None, True, run.changes, run.failing,
                         len(run.results), comparison, kept if kept is not None and kept.kept is not None else None)


def take_step(store: Store, action: str, ruleset: str, number: int | None, comment: str = "",
              key: SigningKey | None = None, *, override_failing_tests: str | None = None,
              window: ImpactWindow | None = None, compilations: Compilations | None = None) -> VersionInfo:
    """submit, approve, reject, publish or retire version `number` (None: the obvious one for the step).

    `comment` is the submitter's note on submit, the approver's remark on approve and reject; `key`
    signs an approval.  Submitting computes the version's impact (`impact.compute_impact`, on `window`)
    and keeps it with the version.  Publishing first runs the ruleset's cases on the version and records
    the run: the store refuses a version whose cases fail unless `override_failing_tests` gives the
    approver's reason.
    """
    if action == "submit":
        return record_and_submit(store, ruleset, number, window or ImpactWindow(), compilations, note=comment)[0]
    if action == "approve":
        return store.approve(ruleset, number, comment, key)
    if action == "reject":
        return store.reject(ruleset, number, comment)
    if action == "publish":
        record_case_run(store, ruleset, number, compilations)
        return store.publish(ruleset, number, override_failing_tests)
    if action == "retire":
        return store.retire(ruleset, number)
    raise ValueError(f"unknown review step `{action}`; the steps are {', '.join(ACTIONS)}")


def record_case_run(store: Store, ruleset: str, number: int | None, compilations: Compilations | None = None) -> None:
    """Run version `number`'s cases (None: the newest approved one; those it kept when submitted) and record the
    run, as the publish gate reads it.  Nothing to run (no such version, or it does not compile) leaves the store to refuse."""
    if number is None:
        number = next((v.number for v in reversed(store.list_versions(ruleset)) if v.state == "approved"), None)
    if number is None:
        return
    version = open_version(store, ruleset, number)
    compilations = compilations or Compilations()
    if not permissions(store, version.info)["publish"].allowed or not compilations.compile(version.sources).ok:
        return
    run = run_stored(store, ruleset, compilations.policy(version.sources, version.info.label), number=number)
    if not run.results:
        return
    outcome = {(r.name, r.passed) for r in run.results}
    kept = next((r for r in store.list_simulation_runs(ruleset, limit=20) if r.version == number), None)
    if kept is None or kept.cases_hash != run.cases_hash or {(r.case_name, r.passed) for r in kept.results} != outcome:
        record(store, version.info, dict(version.sources), run.results, run.cases_hash)  # one run is kept once
