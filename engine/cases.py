"""Simulation test cases: a request, the expected effect and the rules that must fire.

Case files are JSON, `{"cases": [...]}` (or a bare list), each case
`{"name", "request", "expect": {"effect", "rules": [...], "not_rules": [...]}}`.
Keys starting with `_` are comments.  Any other key is refused: a misspelt
`"rulez"` would otherwise make a case pass without checking anything.
Image paths in a request are relative to the case file.  A case passes when
both the fast decision and the exhaustive one have the expected effect and
every expected rule is among those that fire; the exhaustive run also gives
rule coverage.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from jurist.dsl.diagnostics import close_matches

from .decision import Decision
from .policy import Policy
from .request import Request, RequestError

EFFECTS = ("deny", "review", "allow")


class CaseError(ValueError):
    """A case file is malformed; the message names the file and the case."""


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    request: Request
    effect: str
    rules: tuple[str, ...] = ()
    not_rules: tuple[str, ...] = ()
    source: str = ""

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], source: str = "", base: Path | None = None) -> "Case":
        where = f"{source}: case `{raw.get('name', '?')}`" if isinstance(raw, Mapping) else source
        if not isinstance(raw, Mapping):
            raise CaseError(f"{source}: each case is an object with `name`, `request` and `expect`")
        missing = [k for k in ("name", "request", "expect") if k not in raw]
        if missing:
            raise CaseError(f"{where}: missing `{missing[0]}`")
        _refuse_unknown(raw, _CASE_KEYS, where, "")
        expect = raw["expect"]
        if not isinstance(expect, Mapping) or expect.get("effect") not in EFFECTS:
            raise CaseError(f"{where}: `expect.effect` must be one of {', '.join(EFFECTS)}")
        _refuse_unknown(expect, _EXPECT_KEYS, where, "expect.")
        for key in ("rules", "not_rules"):
            ids = expect.get(key, [])
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise CaseError(f"{where}: `expect.{key}` must be a list of rule ids")
        request = dict(raw["request"]) if isinstance(raw["request"], Mapping) else raw["request"]
        if base is not None and isinstance(request, dict) and request.get("images"):
            request["images"] = [str((base / p)) if not Path(p).is_absolute() else p for p in request["images"]]
        try:
            req = Request.from_json(request)
        except RequestError as exc:
            raise CaseError(f"{where}: {exc}") from None
        return cls(str(raw["name"]), req, expect["effect"], tuple(expect.get("rules", ())),
                   tuple(expect.get("not_rules", ())), source)

    def to_json(self) -> dict:
        expect: dict[str, Any] = {"effect": self.effect}
        if self.rules:
            expect["rules"] = list(self.rules)
        if self.not_rules:
            expect["not_rules"] = list(self.not_rules)
        return {"name": self.name, "request": self.request.to_json(), "expect": expect}


_CASE_KEYS = frozenset({"name", "request", "expect"})
_EXPECT_KEYS = frozenset({"effect", "rules", "not_rules"})
_FILE_KEYS = frozenset({"cases"})


def _refuse_unknown(raw: Mapping[str, Any], known: frozenset[str], where: str, prefix: str) -> None:
    extra = sorted(k for k in raw if k not in known and not str(k).startswith("_"))
    if extra:
        near = close_matches(str(extra[0]), sorted(known))
        hint = f"; did you mean `{prefix}{near[0]}`?" if near else f" (known: {', '.join(sorted(known))})"
        raise CaseError(f"{where}: unknown key `{prefix}{extra[0]}`{hint}")


def load_cases(paths: Iterable[str | Path]) -> list[Case]:
    cases: list[Case] = []
    for path in paths:
        p = Path(path)
        files = sorted(p.rglob("*.json")) if p.is_dir() else [p]
        for f in files:
            try:
                raw = json.loads(f.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:
                raise CaseError(f"{f}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
            items = raw.get("cases") if isinstance(raw, dict) else raw
            if not isinstance(items, list):
                raise CaseError(f"{f}: expected {{\"cases\": [...]}} or a list of cases")
            if isinstance(raw, dict):
                _refuse_unknown(raw, _FILE_KEYS, str(f), "")
            if not items:
                raise CaseError(f"{f}: holds no cases")
            cases.extend(Case.from_json(c, str(f), f.parent) for c in items)
    names = [c.name for c in cases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise CaseError(f"case names must be unique; repeated: {', '.join(dupes[:5])}")
    return cases


def default_case_paths(ruleset: str | Path) -> list[Path]:
    """A directory ruleset keeps its cases in `tests/` beside its policies."""
    p = Path(ruleset)
    return [p / "tests"] if p.is_dir() and (p / "tests").is_dir() else []


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: Case
    decision: Decision          # the fast decision, as served
    full: Decision              # the exhaustive one: every rule that fires
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def run_case(policy: Policy, case: Case) -> CaseResult:
    fast = policy.decide(case.request)
    full = policy.decide(case.request, exhaustive=True)
    problems = []
    if fast.effect != case.effect:
        problems.append(f"expected {case.effect}, got {fast.effect}")
    elif full.effect != fast.effect:
        problems.append(f"exhaustive evaluation gave {full.effect}, fast gave {fast.effect}")
    fired = set(full.rule_ids)
    missing = [r for r in case.rules if r not in fired]
    if missing:
        problems.append("expected rules did not fire: " + ", ".join(missing))
    unwanted = [r for r in case.not_rules if r in fired]
    if unwanted:
        problems.append("rules fired that should not: " + ", ".join(unwanted))
    unknown = [r for r in (*case.rules, *case.not_rules) if r not in _rule_ids(policy)]
    if unknown:
        problems.append("no such rule in this ruleset: " + ", ".join(unknown))
    return CaseResult(case, fast, full, tuple(problems))


def _rule_ids(policy: Policy) -> set[str]:
    return {r.id for r in policy.ruleset.rules}


@dataclass(frozen=True, slots=True)
class Coverage:
    fired: frozenset[str]
    unreached: tuple[str, ...]
    total: int

    @property
    def complete(self) -> bool:
        return not self.unreached


def coverage(policy: Policy, results: Sequence[CaseResult]) -> Coverage:
    fired = frozenset(r for res in results for r in res.full.rule_ids)
    unreached = tuple(r.id for r in policy.ruleset.rules if r.id not in fired)
    return Coverage(fired, unreached, len(policy.ruleset.rules))


@dataclass(frozen=True, slots=True)
class Change:
    case: Case
    before: Decision
    after: Decision


def regression_diff(old: Policy, new: Policy, cases: Sequence[Case]) -> list[Change]:
    """Cases whose effect or deciding rule differs between two rulesets."""
    changes = []
    for case in cases:
        before, after = old.decide(case.request, exhaustive=True), new.decide(case.request, exhaustive=True)
        if before.effect != after.effect or set(before.rule_ids) != set(after.rule_ids):
            changes.append(Change(case, before, after))
    return changes
