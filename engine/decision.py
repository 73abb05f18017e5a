"""What the engine answers: the effect, why, and what it looked at.

A decision records every score it used (never the images), so a logged
decision can be replayed against a newer ruleset, and it lists the rules it
did not evaluate, so an explanation never claims more than was checked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Mapping, NamedTuple, Sequence

from .policy_version import PolicyVersion

if TYPE_CHECKING:
    from .request import Request


class TraceStep(NamedTuple):
    """One evaluated test (kind "test") or rule outcome (kind "rule")."""

    kind: str
    subject: str           # the test's text, or the rule id
    result: bool | None    # None: could not be checked
    value: Any = None      # the score(s) or request value the test saw
    rule: str = ""         # the rule under evaluation

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "subject": self.subject,
               "result": "unknown" if self.result is None else self.result}
        if self.value is not None:
            out["value"] = self.value
        if self.rule:
            out["rule"] = self.rule
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "TraceStep":
        result = raw["result"]
        return cls(raw["kind"], raw["subject"], None if result == "unknown" else bool(result),
                   raw.get("value"), raw.get("rule", ""))


# Building the trace is on the hot path: this skips the named tuple's keyword-handling constructor.
# Call it with all five fields as one tuple: trace_step(("test", subject, result, value, rule)).
trace_step = partial(tuple.__new__, TraceStep)


@dataclass(frozen=True, slots=True)
class MatchedRule:
    id: str
    effect: str
    source: str
    cite: str | None = None
    message: str | None = None
    unverified: str | None = None  # why it counts as matched without being checked (fail closed)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "effect": self.effect, "cite": self.cite, "message": self.message, "source": self.source}
        if self.unverified:
            out["unverified"] = self.unverified
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "MatchedRule":
        return cls(raw["id"], raw["effect"], raw["source"], raw.get("cite"), raw.get("message"), raw.get("unverified"))


@dataclass(frozen=True, slots=True)
class Obligation:
    """Something the caller must do with what it releases (`obligate disclose "deepfake"`), and why."""

    kind: str                      # mark, disclose, report, retain (the engine's vocabulary)
    value: str                     # what to mark, disclose or report; "" when the kind says it all
    rule: str                      # the rule that obliges it
    cite: str | None = None        # that rule's citation
    unverified: str | None = None  # the rule could not be checked, so the obligation applies (fail closed)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "value": self.value, "rule": self.rule, "cite": self.cite}
        if self.unverified:
            out["unverified"] = self.unverified
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "Obligation":
        return cls(raw["kind"], raw.get("value", ""), raw["rule"], raw.get("cite"), raw.get("unverified"))

    def describe(self) -> str:
        return f"{self.kind} {self.value!r}" if self.value else self.kind


@dataclass(frozen=True, slots=True)
class DetectorRun:
    name: str
    ms: float
    ok: bool
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "ms": self.ms, "ok": self.ok}
        if self.error:
            out["error"] = self.error
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "DetectorRun":
        return cls(raw["name"], float(raw["ms"]), bool(raw["ok"]), raw.get("error"))


@dataclass(frozen=True, slots=True)
class Decision:
    effect: str
    rules: tuple[MatchedRule, ...] = ()
    unevaluated: tuple[str, ...] = ()
    trace: tuple[TraceStep, ...] = ()
    detectors_run: tuple[DetectorRun, ...] = ()
    observations: Mapping[str, Any] = field(default_factory=dict)
    elapsed_ms: float = 0.0
    default_applied: bool = False
    errors: tuple[str, ...] = ()  # request problems that forced a fail-closed decision
    obligations: tuple[Obligation, ...] = ()  # what the caller must do with the output it releases
    date: str | None = None        # the day rules in force were judged on (YYYY-MM-DD), None if no rule asked
    time_zone: str | None = None   # whose "today" that was, when the request gave no date (an IANA zone)
    why_not: Callable[[], Sequence[Any]] | None = field(default=None, compare=False, repr=False)
    """Computes the smallest changes to the request that would change the effect (`counterfactuals`);
    set by the policy that decided, absent from a decision read back from JSON."""
    # The record: when, by which rules, of what.  A decision from `Policy.decide` carries all of it;
    # one built by hand (a refusal before any policy saw the request) may not.  Not compared: two
    # decisions are equal when they decide the same, whenever they were made.
    decided_ns: int = field(default=0, compare=False)   # Unix ns; 0: not stamped
    sequence: int = field(default=0, compare=False, repr=False)  # this process's count, for the id
    policy: PolicyVersion | None = None
    request: Request | None = field(default=None, compare=False, repr=False)  # what `request_sha256` is of
    recorded: tuple[str, str] | None = field(default=None, compare=False, repr=False)  # (id, digest) read back

    @property
    def decision_id(self) -> str:
        """A UUIDv7, time-ordered; "" for a decision nobody stamped."""
        if self.recorded is not None:
            return self.recorded[0]
        if not self.decided_ns:
            return ""
        from .decision_ids import uuid7

        return uuid7(self.decided_ns, self.sequence)

    @property
    def decided_at(self) -> str:
        """When it was decided, in UTC: `2026-12-05T10:11:12.123456Z` ("" if not stamped)."""
        if not self.decided_ns:
            return ""
        from .decision_ids import utc_text

        return utc_text(self.decided_ns)

    @property
    def request_sha256(self) -> str:
        """Hex SHA-256 of the request's canonical JSON ("" when there was no request to digest)."""
        if self.recorded is not None:
            return self.recorded[1]
        if self.request is None:
            return ""
        from .decision_ids import request_sha256

        return request_sha256(self.request)

    def record_fields(self) -> dict[str, Any]:
        """`decision_id`, `decided_at`, `policy` and `request_sha256`, as the JSON form carries them."""
        return {"decision_id": self.decision_id, "decided_at": self.decided_at,
                "policy": self.policy.to_json() if self.policy is not None else None,
                "request_sha256": self.request_sha256}

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    @property
    def message(self) -> str | None:
        """What the user is told: the deciding rule's message, in the request's language where written.

        A decision that failed closed says why (the input that was missing or invalid) rather
        than borrowing the message of a rule it could not check.
        """
        if self.errors:
            return f"This request was refused because it is invalid: {self.errors[0]}."
        deciding = next((r for r in self.rules if r.effect == self.effect and not r.unverified), None)
        deciding = deciding or self.deciding_rule
        return None if deciding is None else deciding.message

    def counterfactuals(self) -> Sequence[Any]:
        """The smallest changes to the request that would change the effect (`Policy.counterfactuals`)."""
        if self.why_not is None:
            raise ValueError("this decision was not made by a policy in this process (it was read from JSON); "
                             "decide the request again to ask what would change it")
        return self.why_not()

    @property
    def deciding_rule(self) -> MatchedRule | None:
        """The rule that decided: the first matched rule with the decision's effect.

        Matched rules are ordered by the ruleset (strongest effect first, then a
        rule that applies everywhere before a local one, then as written), so
        from an exhaustive decision this is the same rule whatever evaluation
        order found the matches: what `jurist report` and the country matrix name.
        A fast decision stops at the first match, so it may name another rule
        of the same effect.
        """
        return next((r for r in self.rules if r.effect == self.effect), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "effect": self.effect,
            "rules": [r.to_json() for r in self.rules],
            "unevaluated": list(self.unevaluated),
            "trace": [t.to_json() for t in self.trace],
            "detectors_run": [d.to_json() for d in self.detectors_run],
            "observations": self.observations,
            "elapsed_ms": self.elapsed_ms,
            "default_applied": self.default_applied,
            "errors": list(self.errors),
            "message": self.message,
            "obligations": [o.to_json() for o in self.obligations],
            "date": self.date,
            "time_zone": self.time_zone,
            **(self.record_fields() if self.decided_ns or self.recorded is not None else {}),
        }

    def dumps(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "Decision":
        """A decision from its JSON form; the record fields, when present, come back as they were."""
        decided_ns, recorded, policy = 0, None, None
        if raw.get("decision_id") is not None or raw.get("decided_at"):
            from .decision_ids import parse_utc

            decided_ns = parse_utc(raw["decided_at"]) if raw.get("decided_at") else 0
            recorded = (str(raw.get("decision_id") or ""), str(raw.get("request_sha256") or ""))
        if raw.get("policy") is not None:
            policy = PolicyVersion.from_json(raw["policy"])
        return cls(raw["effect"], tuple(MatchedRule.from_json(r) for r in raw.get("rules", ())),
                   tuple(raw.get("unevaluated", ())), tuple(TraceStep.from_json(t) for t in raw.get("trace", ())),
                   tuple(DetectorRun.from_json(d) for d in raw.get("detectors_run", ())),
                   raw.get("observations", {}), float(raw.get("elapsed_ms", 0.0)),
                   bool(raw.get("default_applied", False)), tuple(raw.get("errors", ())),
                   tuple(Obligation.from_json(o) for o in raw.get("obligations", ())), raw.get("date"),
                   raw.get("time_zone"), None, decided_ns, 0, policy, None, recorded)

    def explain(self, counterfactual: bool = False) -> str:
        """A human-readable account: the effect, the rules, the obligations, then the trace; with
        `counterfactual`, closing with the smallest changes that would change the effect."""
        lines = [f"decision: {self.effect.upper()}" + (" (default)" if self.default_applied else "")]
        if self.message:
            lines.append(f"  message: {self.message}")
        for err in self.errors:
            lines.append(f"  request error: {err}")
        for r in self.rules:
            lines.append(f"  {r.effect:<6} {r.id}  ({r.source})")
            if r.cite:
                lines.append(f"         cite: {r.cite}")
            if r.message:
                lines.append(f"         message: {r.message}")
            if r.unverified:
                lines.append(f"         counted as matched without being checked: {r.unverified}")
        if self.obligations:
            lines.append("obligations:")
            for o in self.obligations:
                lines.append(f"  {o.describe()}  (rule {o.rule}" + (f"; {o.cite}" if o.cite else "") + ")"
                             + (f"  [unverified: {o.unverified}]" if o.unverified else ""))
        if self.date is not None:
            lines.append(f"date: {self.date}" + (f" (today in {self.time_zone})" if self.time_zone else ""))
        if self.detectors_run:
            lines.append("detectors:")
            for d in self.detectors_run:
                state = "ok" if d.ok else f"FAILED: {d.error}"
                lines.append(f"  {d.name:<14} {d.ms:8.1f} ms  {state}")
        if self.trace:
            lines.append("trace:")
            for t in self.trace:
                result = "unknown" if t.result is None else ("true" if t.result else "false")
                if t.kind == "rule":
                    lines.append(f"  rule {t.subject}: {result}")
                else:
                    seen = f"  (saw {t.value})" if t.value is not None else ""
                    lines.append(f"    {t.subject}: {result}{seen}")
        if self.unevaluated:
            lines.append(f"not evaluated ({len(self.unevaluated)}): " + ", ".join(self.unevaluated[:20])
                         + (" ..." if len(self.unevaluated) > 20 else ""))
        lines.append(f"elapsed: {self.elapsed_ms:.3f} ms")
        if self.decided_ns or self.recorded is not None:
            lines.append(f"decision id: {self.decision_id}")
            lines.append(f"decided at: {self.decided_at}")
            lines.append(f"policy: {self.policy if self.policy is not None else '-'}")
            lines.append(f"request sha256: {self.request_sha256 or '-'}")
        if counterfactual:
            found = self.counterfactuals()
            lines.append("what would change the decision:" if found else
                         "what would change the decision: nothing within the changes tried")
            lines.extend(f"  {c.describe()}" for c in found)
        return "\n".join(lines)
