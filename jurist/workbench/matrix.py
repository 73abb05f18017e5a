"""One request decided from every place: the country matrix.

The detectors look at the request once (what they see does not depend on the
place); every cell then decides from that observation, exhaustively, and
names the rule that decided it as the engine does (`Decision.deciding_rule`,
in the ruleset's order, not the evaluation's), the same as `jurist report`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from jurist.dsl import ir
from jurist.dsl.places import countries, us_states
from jurist.engine import Policy

from .progress import NO_PROGRESS, Progress


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


@dataclass(frozen=True, slots=True)
class MatrixCell:
    place: Place
    effect: str
    rule: str          # the deciding rule's id, "" when the default applied
    cite: str
    source: str
    default_applied: bool
    obligations: str = ""  # what the output must carry there: `mark "ai-generated"; disclose "deepfake"`


def place_fields(place: Place) -> dict[str, str | None]:
    """The request fields that put a request in `place` (a state sets both the country and the region)."""
    if place.kind == "country":
        return {"country": place.code, "region": None}
    return {"country": place.code.split("-", 1)[0], "region": place.code}


def request_at(request: Mapping[str, Any], place: Place) -> dict[str, Any]:
    """The same request made from `place`."""
    out = {k: v for k, v in request.items() if k not in ("country", "region")}
    out.update({k: v for k, v in place_fields(place).items() if v is not None})
    return out


def evaluate_matrix(policy: Policy, request: Mapping[str, Any], where: Sequence[Place] | None = None,
                    progress: Progress = NO_PROGRESS) -> list[MatrixCell]:
    """The decision for `request` made from each place, with the rule that decided it."""
    rows = list(where) if where is not None else places()
    observed = policy.observe(request)
    cells = []
    for i, place in enumerate(rows):
        decision = policy.decide(observed.with_context(**place_fields(place)), exhaustive=True)
        rule = decision.deciding_rule
        obliged = "; ".join(dict.fromkeys(ir.obligation_text(o.kind, o.value) for o in decision.obligations))
        cells.append(MatrixCell(place, decision.effect, rule.id if rule else "", (rule.cite or "") if rule else "",
                                rule.source if rule else "", decision.default_applied, obliged))
        progress.step(i + 1, len(rows))
    return cells


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


def to_csv(cells: Sequence[MatrixCell], request: Mapping[str, Any] | None = None, policy: str = "",
           decided_at: dt.datetime | None = None) -> str:
    """The matrix as CSV, opening with `#` lines that say what was decided, by which rules, and when (UTC)."""
    buf = io.StringIO()
    if request is not None:
        moment = (decided_at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
        buf.write(f"# request: {request_text(request) or '(no fields)'}\n")
        images = request.get("images") or []
        if images:
            buf.write(f"# images: {len(images)}\n")
        buf.write(f"# rules: {policy}\n# decided: {moment:%Y-%m-%d %H:%M:%S} UTC\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name", "kind", "decision", "deciding_rule", "cite", "source", "obligations"])
    for c in cells:
        writer.writerow([c.place.code, c.place.name, c.place.kind, c.effect,
                         c.rule or "(default)", c.cite, c.source, c.obligations])
    return buf.getvalue()
