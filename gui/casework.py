"""Running a ruleset's test cases and finding which ones a draft changes.

Cases arrive as the store exports them (engine JSON with image files on
disk); a malformed one becomes a failing row with its reason, not an error
that stops the run.  A run can be handed to the store as `CaseOutcome`s, and
the store must then count exactly the cases the panel showed as passing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Sequence

from jurist.db.simulations import CaseOutcome
from jurist.engine import Policy
from jurist.engine.cases import Case, CaseError, regression_diff, run_case

from .progress import NO_PROGRESS, Progress


@dataclass(frozen=True, slots=True)
class CaseRun:
    name: str
    expected: str
    actual: str | None
    passed: bool
    problems: tuple[str, ...]
    rules: tuple[str, ...]   # every rule that fired (exhaustive)
    expected_rules: tuple[str, ...] = ()
    not_rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionChange:
    name: str
    before: str
    after: str
    before_rules: tuple[str, ...]
    after_rules: tuple[str, ...]

    def describe(self) -> str:
        """`name: deny → deny (rules: +x −y)`: the effect always, the rules that came and went when they did."""
        added = [r for r in self.after_rules if r not in self.before_rules]
        removed = [r for r in self.before_rules if r not in self.after_rules]
        rules = " ".join([f"+{r}" for r in added] + [f"−{r}" for r in removed])
        return f"{self.name}: {self.before} → {self.after}" + (f" (rules: {rules})" if rules else "")


def parse_cases(raw: Sequence[dict[str, Any]]) -> tuple[list[Case], list[CaseRun]]:
    """Engine cases, and a failing row for each case that could not be read."""
    good, bad = [], []
    for item in raw:
        try:
            good.append(Case.from_json(item, "store"))
        except CaseError as exc:
            name = str(item.get("name", "?")) if isinstance(item, dict) else "?"
            expected = str((item.get("expect") or {}).get("effect", "?")) if isinstance(item, dict) else "?"
            bad.append(CaseRun(name, expected, None, False, (str(exc),), ()))
    return good, bad


def run_all(policy: Policy, raw: Sequence[dict[str, Any]], progress: Progress = NO_PROGRESS) -> list[CaseRun]:
    cases, rows = parse_cases(raw)
    for i, case in enumerate(cases):
        result = run_case(policy, case)
        rows.append(CaseRun(case.name, case.effect, result.decision.effect, result.passed, result.problems,
                            result.full.rule_ids, case.rules, case.not_rules))
        progress.step(i + 1, len(cases))
    return sorted(rows, key=lambda r: (r.passed, r.name))


def outcome_of(run: CaseRun) -> CaseOutcome:
    """The store's record of one case run.

    The store judges an outcome from effects and rule ids alone; when the
    engine failed a case for a reason those cannot show (fast and exhaustive
    runs disagree, an unknown rule id), the problems go in as the error, so
    the recorded verdict always equals the one on screen.
    """
    outcome = CaseOutcome(run.name, run.expected, run.expected_rules, run.actual, run.rules,
                          None if run.actual is not None else "; ".join(run.problems) or "not run",
                          run.not_rules)
    if outcome.passed and not run.passed:
        return replace(outcome, error="; ".join(run.problems) or "failed")
    return outcome


def regression(old: Policy, new: Policy, raw: Sequence[dict[str, Any]],
               progress: Progress = NO_PROGRESS) -> list[DecisionChange]:
    """Cases whose effect or fired rules differ between the published and the draft ruleset."""
    cases, _ = parse_cases(raw)
    out = []
    for i, case in enumerate(cases):
        for change in regression_diff(old, new, [case]):
            out.append(DecisionChange(case.name, change.before.effect, change.after.effect,
                                      change.before.rule_ids, change.after.rule_ids))
        progress.step(i + 1, len(cases))
    return out
