"""The simulator's form as plain data, and the words the simulator shows about a decision.

The request the form sends the engine can be tested without a window.  The
country matrix (one request across every place) is a use case of the
workbench: `jurist.workbench.matrix`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from jurist.engine import Decision, Policy
from jurist.engine.request import RequestError, parse_date
from jurist.engine.vocabulary import SCHEMA

from .i18n import translate


@dataclass
class RequestForm:
    """What the simulator's form holds; None means "unknown" (rules fail closed on it)."""

    action: str | None = "generate"
    country: str | None = None
    region: str | None = None
    tier: str | None = None
    surface: str | None = None
    stage: str | None = "input"  # the moment checked: the request before generating, or the generated image
    date: str | None = None
    prompt: str = ""
    images: tuple[str, ...] = ()
    hypothetical: bool = False
    scores: dict[str, float] = field(default_factory=dict)

    def to_request(self) -> dict[str, Any]:
        """The engine's request JSON.  Hypothetical mode sends the scores the user set instead of images:
        image-level labels at the top, person-level ones on one imagined person so `person(...)` rules apply.
        A label not in `scores` is left to its detector (the prompt's intents above all): a score of 0
        sent for it would silently override what the prompt says."""
        out: dict[str, Any] = {}
        for key in ("action", "country", "region", "surface", "stage", "date"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.tier:
            out["user"] = {"tier": self.tier}
        if self.prompt:
            out["prompt"] = self.prompt
        if self.hypothetical:
            labels = {k: v for k, v in self.scores.items() if not _person_level(k)}
            person = {k: v for k, v in self.scores.items() if _person_level(k)}
            out["observations"] = {"labels": labels, "persons": [{"labels": person}] if person else []}
        elif self.images:
            out["images"] = list(self.images)
        return out

    def replaced_detectors(self) -> dict[str, list[str]]:
        """Detector -> the labels of it whose scores the user set (hypothetical mode), in label order."""
        out: dict[str, list[str]] = {}
        for key in sorted(self.scores):
            out.setdefault(SCHEMA.detector_of(key) or "no detector", []).append(key)
        return out


def _person_level(key: str) -> bool:
    spec = SCHEMA.labels.get(key)
    return bool(spec and spec.person_level)


def date_problem(text: str) -> str | None:
    """Why the form's date would be refused by the engine, in words for the field; None when it is fine."""
    text = text.strip()
    if not text:
        return None
    try:
        parse_date(text)  # the engine's own rule, so the form accepts exactly what a decision will
    except RequestError:
        return translate("Simulator", "`{text}` is not a date: write it as YYYY-MM-DD, e.g. {example}").format(
            text=text, example=dt.date.today().isoformat())
    return None


def decision_summary(decision: Decision) -> str:
    """One line on why the decision came out as it did; an invalid request says so first."""
    matched = len(decision.rules)
    counted = translate("Simulator", "%n rule(s) matched", None, matched) + f" · {decision.elapsed_ms:.1f} ms"
    if decision.errors:
        return translate("Simulator", "invalid request (fail-closed): {errors}").format(
            errors="; ".join(decision.errors)) + f" · {counted}"
    rule = decision.deciding_rule
    why = (translate("Simulator", "decided by {rule} ({source})").format(rule=rule.id, source=rule.source) if rule
           else translate("Simulator", "no rule matched: the ruleset's default applied") if decision.default_applied
           else translate("Simulator", "no rule decided"))
    return f"{why} · {counted}"


def image_problem(decision: Decision) -> str | None:
    """The first failed detector's reason (usually an unreadable image), without its generic prefix."""
    failed = [d.error or "failed" for d in decision.detectors_run if not d.ok]
    if not failed:
        return None
    return failed[0].removeprefix("image could not be checked: ")


def unchecked_warning(decision: Decision) -> str:
    """What the decision could not check, so a fail-closed outcome never passes for a checked one."""
    unverified = [r for r in decision.rules if r.unverified]
    problem = image_problem(decision)
    if problem is None and not unverified:
        return ""
    count = len(unverified)
    applied = translate("Simulator", "%n rule(s) applied unverified (fail-closed)", None, count)
    if problem is not None:
        failed = [d for d in decision.detectors_run if not d.ok]
        what = translate("Simulator", "image could not be checked") \
            if any("image could not be checked" in (d.error or "") for d in failed) \
            else translate("Simulator", "detector {name} failed").format(name=failed[0].name)
        return f"{what}: {problem} — {applied}"
    reasons = sorted({r.unverified or "" for r in unverified})
    return translate("Simulator", "some tests could not be checked: {reasons}").format(
        reasons="; ".join(reasons)) + f" — {applied}"


def simulate(policy: Policy, request: Mapping[str, Any]) -> Decision:
    """Every rule that fires, not just the deciding one: the simulator shows them all.

    Hypothetical scores are the user's own: they replace the detectors (`trusting_observations`).
    """
    return policy.trusting_observations().decide(dict(request), exhaustive=True)
