"""A run of test cases as files for CI: JUnit XML and JSON, built from the same results the table shows."""
from __future__ import annotations

from typing import Any, Sequence
from xml.etree import ElementTree as ET

from jurist.engine.cases import CaseChange, CaseResult, Coverage


def junit_xml(ruleset: str, results: Sequence[CaseResult], coverage: Coverage, require_coverage: bool = False) -> str:
    """One `<testsuite>` named for the ruleset, a `<testcase>` per case with its problems as the failure
    (and the decision's matched and fail-closed rules in its text); with `require_coverage`, one more
    test case that fails when a rule is reached by no case."""
    failures = sum(not r.passed for r in results)
    suite = ET.Element("testsuite", name=ruleset, tests=str(len(results) + require_coverage),
                       failures=str(failures + (require_coverage and not coverage.complete)), errors="0")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=ruleset, name=r.name)
        if not r.passed:
            failure = ET.SubElement(case, "failure", message=r.problems[0])
            failure.text = "\n".join(r.problems)
    if require_coverage:
        case = ET.SubElement(suite, "testcase", classname=ruleset, name="coverage")
        if not coverage.complete:
            failure = ET.SubElement(case, "failure", message=f"{len(coverage.unreached)} rule(s) reached by no case")
            failure.text = "\n".join(coverage.unreached)
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def run_json(ruleset: str, results: Sequence[CaseResult], coverage: Coverage,
             changes: Sequence[CaseChange] | None = None, require_coverage: bool = False) -> dict[str, Any]:
    """The run as JSON: each case with its expectation, the decision (effect, matched rules with their
    `unverified` reasons, obligations) and its problems; coverage; the regression diff when asked."""
    passed = sum(r.passed for r in results)
    out: dict[str, Any] = {
        "ruleset": ruleset,
        "cases": [{"name": r.name, "passed": r.passed, "expected": r.effect, "actual": r.actual,
                   "problems": list(r.problems),
                   "rules": [m.to_json() for m in r.decision.rules] if r.decision is not None else [],
                   "obligations": [o.to_json() for o in r.decision.obligations] if r.decision is not None else []}
                  for r in results],
        "coverage": {"covered": coverage.total - len(coverage.unreached), "total": coverage.total,
                     "unreached": list(coverage.unreached), "fail_closed_only": list(coverage.fail_closed_only),
                     "required": require_coverage},
        "passed": passed,
        "failed": len(results) - passed,
    }
    if changes is not None:
        out["changes"] = [{"name": c.name, "before": c.before.effect, "after": c.after.effect,
                           "added": list(c.added), "removed": list(c.removed)} for c in changes]
    return out
