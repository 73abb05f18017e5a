"""Test cases: a request, the effect it must get and the rules that must (not) fire; and the pass rule.

One type and one reader for every place a case comes from or goes to: case
files (`jurist test`), a directory being imported into the store, the store
itself and the GUI.  A case file is JSON, `{"cases": [...]}` (or a bare list),
each case `{"name", "request", "expect": {"effect", "rules": [...],
"not_rules": [...]}}`.  Keys starting with `_` are comments; any other key is
refused, so a misspelt `"rulez"` cannot make a case pass unchecked.  Image
paths in a case file are relative to the file.

`judge` is the one pass rule.  Running cases against a policy (observing
images once, deciding fast and exhaustively) is a use case of the workbench
(`jurist.workbench.cases`); this module needs no policy.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Iterable, Mapping

from jurist.dsl import ir
from jurist.dsl.diagnostics import close_matches, escaped, visible
from jurist.dsl.keywords import EFFECTS

from .decision import Decision
from .request import Request, RequestError
from .vocabulary import SCHEMA

MAX_NAME = 200


class CaseError(ValueError):
    """A case is malformed; the message names where it came from and the case."""


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    request: Request
    effect: str                      # the effect the decision must have
    rules: tuple[str, ...] = ()      # rules that must fire
    not_rules: tuple[str, ...] = ()  # rules that must not
    source: str = ""                 # where it was read from, for messages
    obligations: tuple[tuple[str, str], ...] | None = None  # (kind, value): exactly these, when given
    policy: str | None = None        # the seed policy it proves (a ruleset's policy catalogue), for coverage

    @classmethod
    def from_json(cls, raw: Any, source: str = "", base: Path | None = None) -> "Case":
        """The one reader: a case document checked in full, or CaseError naming what is wrong.

        `base` resolves relative image paths (a case file's folder); without it
        image names stay as written (the store keeps images by name).
        """
        if not isinstance(raw, Mapping):
            raise CaseError(f"{source}: each case is an object with `name`, `request` and `expect`")
        label = f"case `{visible(str(raw.get('name', '?')))}`"
        where = f"{source}: {label}" if source else label
        missing = [k for k in ("name", "request", "expect") if k not in raw]
        if missing:
            raise CaseError(f"{where}: missing `{missing[0]}`")
        _refuse_unknown(raw, _CASE_KEYS, where, "")
        name = raw["name"]
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise CaseError(f"{where}: `name` must be a text of 1 to {MAX_NAME} characters")
        odd = next((ch for ch in name if not ch.isprintable()), None)
        if odd is not None:
            raise CaseError(f"{where}: `name` contains the control character `{escaped(odd)}`; line breaks, tabs "
                            "and other control characters are not allowed")
        expect = raw["expect"]
        if not isinstance(expect, Mapping) or expect.get("effect") not in EFFECTS:
            raise CaseError(f"{where}: `expect.effect` must be one of {', '.join(EFFECTS)}")
        _refuse_unknown(expect, _EXPECT_KEYS, where, "expect.")
        for key in ("rules", "not_rules"):
            ids = expect.get(key, [])
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise CaseError(f"{where}: `expect.{key}` must be a list of rule ids")
        obligations = _obligations(expect.get("obligations"), where)
        policy = raw.get("policy")
        if policy is not None and (not isinstance(policy, str) or not _POLICY_KEY.fullmatch(policy)):
            raise CaseError(f"{where}: `policy` must be a seed policy's key such as `minors` (lower case letters, "
                            "digits and underscores)")
        request = raw["request"]
        if isinstance(request, Mapping):
            request = dict(request)
            images = request.get("images")
            if base is not None and isinstance(images, list) and all(isinstance(p, str) for p in images):
                request["images"] = [p if p.startswith("data:") or Path(p).is_absolute() else str(base / p)
                                     for p in images]
        try:
            parsed = Request.from_json(request)
        except RequestError as exc:
            raise CaseError(f"{where}: {exc}") from None
        return cls(name, parsed, expect["effect"], tuple(expect.get("rules", ())),
                   tuple(expect.get("not_rules", ())), source, obligations, policy)

    def to_json(self) -> dict[str, Any]:
        expect: dict[str, Any] = {"effect": self.effect}
        if self.rules:
            expect["rules"] = list(self.rules)
        if self.not_rules:
            expect["not_rules"] = list(self.not_rules)
        if self.obligations is not None:
            expect["obligations"] = [{"kind": k, "value": v} for k, v in self.obligations]
        out: dict[str, Any] = {"name": self.name, "request": self.request.to_json(), "expect": expect}
        if self.policy is not None:
            out["policy"] = self.policy
        return out


def _obligations(raw: Any, where: str) -> tuple[tuple[str, str], ...] | None:
    """`expect.obligations`: `[{"kind": "disclose", "value": "deepfake"}]`, the decision's exactly (`[]`: none)."""
    if raw is None:
        return None
    shape = '`expect.obligations` must be a list such as [{"kind": "disclose", "value": "deepfake"}]'
    if not isinstance(raw, list):
        raise CaseError(f"{where}: {shape}")
    out = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("kind"), str) \
                or not isinstance(item.get("value", ""), str):
            raise CaseError(f"{where}: {shape}")
        _refuse_unknown(item, _OBLIGATION_KEYS, where, "expect.obligations[].")
        _known_kind(item["kind"], where)
        out.append((item["kind"], item.get("value", "")))
    return tuple(out)


def _known_kind(kind: str, where: str) -> None:
    kinds = SCHEMA.obligations
    if kind not in kinds:
        hint = close_matches(kind, kinds)
        raise CaseError(f"{where}: `{visible(kind)}` is not an obligation the language knows "
                        f"({', '.join(sorted(kinds))}){'; did you mean `' + hint[0] + '`?' if hint else ''}")


_OBLIGATION_TEXT = re.compile(r'\s*([a-z_]+)(?:\s+"([^"]*)")?\s*')


def obligations_text(obligations: Iterable[tuple[str, str]]) -> str:
    """`mark "ai-generated"; disclose "deepfake"`: how people write and read a case's expected obligations."""
    return "; ".join(ir.obligation_text(kind, value) for kind, value in obligations)


def parse_obligations(text: str, where: str = "obligations") -> tuple[tuple[str, str], ...]:
    """The inverse of `obligations_text`; CaseError naming the part that does not read."""
    out = []
    for part in text.split(";"):
        if not part.strip():
            continue
        found = _OBLIGATION_TEXT.fullmatch(part)
        if found is None:
            raise CaseError(f'{where}: `{visible(part.strip())}` is not KIND "VALUE", such as disclose "deepfake"')
        _known_kind(found.group(1), where)
        out.append((found.group(1), found.group(2) or ""))
    return tuple(out)


_CASE_KEYS = frozenset({"name", "request", "expect", "policy"})
_POLICY_KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
_EXPECT_KEYS = frozenset({"effect", "rules", "not_rules", "obligations"})
_OBLIGATION_KEYS = frozenset({"kind", "value"})
_FILE_KEYS = frozenset({"cases"})


def _refuse_unknown(raw: Mapping[str, Any], known: frozenset[str], where: str, prefix: str) -> None:
    extra = sorted(str(k) for k in raw if k not in known and not str(k).startswith("_"))
    if extra:
        near = close_matches(extra[0], sorted(known))
        hint = f"; did you mean `{prefix}{near[0]}`?" if near else f" (known: {', '.join(sorted(known))})"
        raise CaseError(f"{where}: unknown key `{prefix}{extra[0]}`{hint}")


def case_documents(document: Any, where: str) -> list[Any]:
    """The case documents in a case file's JSON: `{"cases": [...]}` or a bare list, never empty."""
    items = document.get("cases") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise CaseError(f"{where}: expected {{\"cases\": [...]}} or a list of cases")
    if isinstance(document, dict):
        _refuse_unknown(document, _FILE_KEYS, where, "")
    if not items:
        raise CaseError(f"{where}: holds no cases")
    return items


def case_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every case file under `paths`: the files given, and `*.json` under the directories given."""
    out: list[Path] = []
    for path in paths:
        p = Path(path)
        out.extend(sorted(p.rglob("*.json")) if p.is_dir() else [p])
    return out


def read_case_file(path: Path) -> tuple[tuple[Case, Any], ...]:
    """Each case of one file with the document it was read from (the store keeps the document)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CaseError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text") from None
    return tuple((Case.from_json(item, str(path), path.parent), item) for item in case_documents(document, str(path)))


def load_cases(paths: Iterable[str | Path]) -> list[Case]:
    """Every case under `paths`, names unique across them all."""
    cases = [case for f in case_files(paths) for case, _ in read_case_file(f)]
    require_unique(case.name for case in cases)
    return cases


def require_unique(names: Iterable[str]) -> None:
    seen: set[str] = set()
    repeated = sorted({n for n in names if n in seen or seen.add(n)})  # type: ignore[func-returns-value]
    if repeated:
        raise CaseError(f"case names must be unique; repeated: {', '.join(repeated[:5])}")


def default_case_paths(ruleset: str | Path) -> list[Path]:
    """A directory ruleset keeps its cases in `tests/` beside its policies."""
    p = Path(ruleset)
    return [p / "tests"] if p.is_dir() and (p / "tests").is_dir() else []


@dataclass(frozen=True, slots=True)
class CaseResult:
    """What running one case gave, judged by `judge`; a case that could not be run has no decision."""

    name: str
    effect: str                        # expected
    rules: tuple[str, ...]             # expected to fire
    not_rules: tuple[str, ...]         # expected not to fire
    decision: Decision | None          # the fast decision, as served
    full: Decision | None              # the exhaustive one: every rule that fires
    problems: tuple[str, ...]
    case: Case | None = field(default=None, compare=False)

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def actual(self) -> str | None:
        return None if self.decision is None else self.decision.effect

    @property
    def fired(self) -> tuple[str, ...]:
        return () if self.full is None else self.full.rule_ids

    @classmethod
    def unreadable(cls, name: str, effect: str, reason: str) -> "CaseResult":
        """A case that could not be read or run: it fails, with the reason as its problem."""
        return cls(name, effect, (), (), None, None, (reason,))


def judge(case: Case, fast: Decision, full: Decision, rule_ids: Collection[str]) -> CaseResult:
    """The pass rule: the served (fast) decision has the expected effect and the exhaustive one agrees;
    every expected rule fires and no unwanted one does; every rule named exists in the ruleset.

    Other rules may fire too (an exhaustive decision reports every match), so
    fired rules are not compared as equal sets.  A failing case says why in
    words, with the decision's unverified reasons when it failed closed.
    """
    problems = []
    if fast.effect != case.effect:
        problems.append(f"expected {case.effect}, got {fast.effect}" + _why(fast))
    elif full.effect != fast.effect:
        problems.append(f"exhaustive evaluation gave {full.effect}, fast gave {fast.effect}")
    fired = set(full.rule_ids)
    missing = [r for r in case.rules if r not in fired]
    if missing:
        problems.append("expected rules did not fire: " + ", ".join(missing))
    unwanted = [r for r in case.not_rules if r in fired]
    if unwanted:
        problems.append("rules fired that should not: " + ", ".join(unwanted))
    unknown = [r for r in (*case.rules, *case.not_rules) if r not in rule_ids]
    if unknown:
        problems.append("no such rule in this ruleset: " + ", ".join(unknown))
    if case.obligations is not None:
        expected = sorted(set(case.obligations))
        for name, decision in (("", fast), ("exhaustive evaluation: ", full)):
            got = sorted({(o.kind, o.value) for o in decision.obligations})
            if got != expected:
                problems.append(f"{name}expected obligations {_listed(expected)}, got {_listed(got)}")
                break
    return CaseResult(case.name, case.effect, case.rules, case.not_rules, fast, full, tuple(problems), case)


def _listed(obligations: Iterable[tuple[str, str]]) -> str:
    shown = [f"{kind} {value!r}" if value else kind for kind, value in obligations]
    return ", ".join(shown) if shown else "none"


def _why(decision: Decision) -> str:
    """What the decision rests on, for a failing case: errors, then rules applied unverified."""
    if decision.errors:
        return f" (invalid request: {'; '.join(decision.errors)})"
    parts = []
    genuine = [r.id for r in decision.rules if not r.unverified]
    if genuine:
        parts.append("matched: " + ", ".join(genuine))
    unverified = sorted({f"{r.id}: {r.unverified}" for r in decision.rules if r.unverified})
    if unverified:
        parts.append("fail-closed: " + "; ".join(unverified))
    return f" ({'; '.join(parts)})" if parts else ""


@dataclass(frozen=True, slots=True)
class Coverage:
    fired: frozenset[str]            # rules that genuinely matched in at least one case
    unreached: tuple[str, ...]       # rules no case matched genuinely, in the ruleset's order
    total: int
    fail_closed_only: tuple[str, ...] = ()  # of the unreached, those matched only because an input was missing

    @property
    def complete(self) -> bool:
        return not self.unreached


def coverage(rule_ids: Iterable[str], results: Iterable[CaseResult]) -> Coverage:
    """Which rules matched in at least one case, in the ruleset's order.

    Only genuine matches count: a rule that matched only because an input was missing or could
    not be checked (fail closed) was not tested by that case, and is listed apart.
    """
    ids = list(rule_ids)
    fired: set[str] = set()
    unverified: set[str] = set()
    for res in results:
        for r in (res.full.rules if res.full is not None else ()):
            (unverified if r.unverified else fired).add(r.id)
    unreached = tuple(r for r in ids if r not in fired)
    return Coverage(frozenset(fired), unreached, len(ids), tuple(r for r in unreached if r in unverified))


@dataclass(frozen=True, slots=True)
class CaseChange:
    """A case two rulesets decide differently: the effect, or the rules that fire."""

    name: str
    before: Decision
    after: Decision

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(r for r in self.after.rule_ids if r not in self.before.rule_ids)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(r for r in self.before.rule_ids if r not in self.after.rule_ids)

    def describe(self) -> str:
        """`name: deny → deny (rules: +x −y)`: the effect always, the rules that came and went when they did."""
        rules = " ".join([f"+{r}" for r in self.added] + [f"−{r}" for r in self.removed])
        return f"{self.name}: {self.before.effect} → {self.after.effect}" + (f" (rules: {rules})" if rules else "")


def change(name: str, before: Decision, after: Decision) -> CaseChange | None:
    """The change between two exhaustive decisions of one case, or None when they agree."""
    if before.effect != after.effect or set(before.rule_ids) != set(after.rule_ids):
        return CaseChange(name, before, after)
    return None
