"""Building simulator requests and evaluating one request across every place.

The simulator's form and the country matrix both end up here as plain data,
so the request they send the engine can be tested without a window.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, Mapping

from jurist.dsl.places import countries, us_states
from jurist.engine import Decision, Policy, Request
from jurist.engine.request import RequestError, parse_date
from jurist.engine.vocabulary import SCHEMA

from .progress import NO_PROGRESS, Progress


@dataclass
class RequestForm:
    """What the simulator's form holds; None means "unknown" (rules fail closed on it)."""

    action: str | None = "generate"
    country: str | None = None
    region: str | None = None
    tier: str | None = None
    surface: str | None = None
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
        for key in ("action", "country", "region", "surface", "date"):
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
        return f"`{text}` is not a date: write it as YYYY-MM-DD, e.g. {dt.date.today().isoformat()}"
    return None


def decision_summary(decision: Decision) -> str:
    """One line on why the decision came out as it did; an invalid request says so first."""
    counted = f"{len(decision.rules)} rule(s) matched · {decision.elapsed_ms:.1f} ms"
    if decision.errors:
        return f"invalid request (fail-closed): {'; '.join(decision.errors)} · {counted}"
    rule = decision.deciding_rule
    why = (f"decided by {rule.id} ({rule.source})" if rule else
           "no rule matched: the ruleset's default applied" if decision.default_applied else "no rule decided")
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
    applied = f"{len(unverified)} rule(s) applied unverified (fail-closed)"
    if problem is not None:
        failed = [d for d in decision.detectors_run if not d.ok]
        what = "image could not be checked" if any("image could not be checked" in (d.error or "") for d in failed) \
            else f"detector {failed[0].name} failed"
        return f"{what}: {problem} — {applied}"
    reasons = sorted({r.unverified or "" for r in unverified})
    return f"some tests could not be checked: {'; '.join(reasons)} — {applied}"


def simulate(policy: Policy, request: Mapping[str, Any]) -> Decision:
    """Every rule that fires, not just the deciding one: the simulator shows them all.

    Hypothetical scores are the user's own: they replace the detectors (`trusting_observations`).
    """
    return policy.trusting_observations().decide(dict(request), exhaustive=True)


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    kind: str  # one of PLACE_KINDS


US_NON_STATES = frozenset({"US-DC", "US-AS", "US-GU", "US-MP", "US-PR", "US-UM", "US-VI"})
PLACE_KINDS = ("country", "US state", "US district or territory")


def places() -> list[Place]:
    """Every country, then every US state, then DC and the territories (which are no states,
    though ISO 3166-2 lists them as US subdivisions): the matrix's rows."""
    out = [Place(c, n, "country") for c, n in sorted(countries().items())]
    us = sorted(us_states().items())
    out += [Place(c, n, "US state") for c, n in us if c not in US_NON_STATES]
    out += [Place(c, n, "US district or territory") for c, n in us if c in US_NON_STATES]
    return out


def request_text(request: Mapping[str, Any]) -> str:
    """`action=edit, user.tier=paid`: a request's fields as a person reads them (nested ones dotted)."""
    parts = []
    for key, value in request.items():
        if key in ("observations", "images"):
            continue
        if isinstance(value, Mapping):
            parts += [f"{key}.{k}={v}" for k, v in value.items()]
        else:
            parts.append(f"{key}={value}")
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class MatrixCell:
    place: Place
    effect: str
    rule: str          # the deciding rule's id, "" when the default applied
    cite: str
    source: str
    default_applied: bool


def request_at(request: Mapping[str, Any], place: Place) -> dict[str, Any]:
    """The same request made from `place` (a state sets both the country and the region)."""
    out = {k: v for k, v in request.items() if k not in ("country", "region")}
    if place.kind == "country":
        out["country"] = place.code
    else:
        out["country"], out["region"] = place.code.split("-", 1)[0], place.code
    return out


def observe_once(policy: Policy, request: Mapping[str, Any]) -> dict[str, Any]:
    """Run the detectors once and return the request with their scores as observations.

    Scores do not depend on the place, so the matrix replays them for every
    cell instead of running the detectors hundreds of times.  If a detector
    failed, the images are kept so each cell fails closed the way it would live.
    """
    if not request.get("images") or request.get("observations") is not None:
        return dict(request)
    from jurist.engine.observer import Observer

    observer = Observer(Request.from_json(dict(request)), SCHEMA, policy.detectors)
    for key in SCHEMA.labels:
        observer.score(key)
    used = observer.used()
    if used.get("unknown"):
        return dict(request)
    out = {k: v for k, v in request.items() if k != "images"}
    out["observations"] = {"labels": used["labels"], "persons": used.get("persons", [])}
    return out


def evaluate_matrix(policy: Policy, request: Mapping[str, Any], where: list[Place] | None = None,
                    progress: Progress = NO_PROGRESS) -> list[MatrixCell]:
    """The decision for `request` made from each place, with the rule that decided it."""
    rows = where if where is not None else places()
    base = observe_once(policy, request)
    policy = policy.trusting_observations()  # as the simulator decides: hypothetical scores replace the detectors
    cells = []
    for i, place in enumerate(rows):
        decision = policy.decide(request_at(base, place))
        rule = decision.deciding_rule
        cells.append(MatrixCell(place, decision.effect, rule.id if rule else "", (rule.cite or "") if rule else "",
                                rule.source if rule else "", decision.default_applied))
        progress.step(i + 1, len(rows))
    return cells


def to_csv(cells: list[MatrixCell]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name", "kind", "decision", "deciding_rule", "cite", "source"])
    for c in cells:
        writer.writerow([c.place.code, c.place.name, c.place.kind, c.effect,
                         c.rule or "(default)", c.cite, c.source])
    return buf.getvalue()
