"""Transparency reporting: what was decided, where, on what ground, how automatically, and what failed closed.

Trust-and-safety teams file these figures with regulators (the EU Digital
Services Act's transparency reports, Art. 15 and 24, and its statements of
reasons, Art. 17; the UK Online Safety Act's records).  Everything comes from
the decision log as served: each record's decision, not a replay.  Shadow
records (answers nobody got) are left out.  docs/transparency.md says what
each figure and each statement-of-reasons field means, and which fields a
platform must complete with data Jurist does not have.

Grounds: a decision's legal or contractual ground is its deciding rule's
`cite`.  A cite that begins with "Platform policy" is a contractual ground
(the platform's terms); any other cite names a law, so the decision is about
illegal content.  Rulesets that keep to that convention report correctly;
others should be checked.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, TextIO

from jurist.dsl.diagnostics import visible
from jurist.dsl.keywords import EFFECTS

from .decision_logs import DecisionLog, records

CONTRACTUAL_PREFIX = "Platform policy"
NO_RULE = "(no rule: the ruleset's default)"
# The European Economic Area: where statements of reasons go to the EU transparency database.
EEA = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
       "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO")
_EEA = frozenset(EEA)

DETECTION = {"none": "decided on the request alone (no detector ran)",
             "automated": "automated detection (detectors ran)"}

# The statement-of-reasons columns (EU DSA transparency database field names); docs/transparency.md
# describes each, and marks those a platform must fill in (left empty here).
STATEMENT_FIELDS = (
    "puid", "decision_visibility", "decision_visibility_other", "decision_ground", "decision_ground_reference_url",
    "illegal_content_legal_ground", "illegal_content_explanation", "incompatible_content_ground",
    "incompatible_content_explanation", "incompatible_content_illegal", "category", "territorial_scope",
    "content_type", "content_date", "application_date", "decision_facts", "source_type",
    "automated_detection", "automated_decision", "decision_account", "account_type", "content_language",
)


@dataclass
class TransparencyFigures:
    """The counts of one period of the log."""

    since: str | None
    until: str | None
    counts: Counter[tuple[str, ...]] = field(default_factory=Counter)

    def add(self, raw: Mapping[str, Any]) -> None:
        decision = raw["decision"]
        effect = str(decision.get("effect"))
        request = _request(raw)
        country = str(request.get("country")) if isinstance(request.get("country"), str) else "-"
        count = self.counts
        count[("total",)] += 1
        count[("effect", effect)] += 1
        count[("country", country, effect)] += 1
        rule = deciding_rule(decision)
        count[("ground", ground_kind(rule), cite_of(rule), effect)] += 1
        count[("rule", str(rule.get("id", NO_RULE)) if rule else NO_RULE, effect)] += 1
        detection = "automated" if decision.get("detectors_run") else "none"
        count[("detection", detection, effect)] += 1
        if effect == "review":
            count[("human_review",)] += 1
        for reason in fail_closed_reasons(decision):
            count[("fail_closed_reason", reason)] += 1
        if decision.get("errors") or (rule and rule.get("unverified")):
            count[("fail_closed", effect)] += 1

    def rows(self) -> list[tuple[str, str, str, int]]:
        """(section, key, effect, decisions): the CSV's rows, sorted by section then most decisions first."""
        out: list[tuple[str, str, str, int]] = [("total", "all decisions", "", self.counts[("total",)])]
        out += [("effect", e, e, self.counts[("effect", e)]) for e in EFFECTS]
        sections = (("country", lambda k: (k[1], k[2])), ("ground", lambda k: (f"{k[1]}: {k[2]}", k[3])),
                    ("rule", lambda k: (k[1], k[2])), ("detection", lambda k: (DETECTION[k[1]], k[2])),
                    ("fail_closed_reason", lambda k: (k[1], "deny or review")))
        for name, shape in sections:
            found = [(name, *shape(k), v) for k, v in self.counts.items() if k[0] == name]
            out += sorted(found, key=lambda r: (-r[3], r[1], r[2]))
        out.append(("human_review", "sent to human review (effect review)", "review", self.counts[("human_review",)]))
        out += [("fail_closed", "counted as matched without being checked, or a malformed request", e,
                 self.counts[("fail_closed", e)]) for e in EFFECTS if self.counts[("fail_closed", e)]]
        return out


def deciding_rule(decision: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The first matched rule with the decision's effect (rules are listed in the ruleset's order)."""
    effect = decision.get("effect")
    return next((r for r in decision.get("rules") or () if isinstance(r, dict) and r.get("effect") == effect), None)


def cite_of(rule: Mapping[str, Any] | None) -> str:
    if rule is None:
        return NO_RULE
    return str(rule.get("cite") or f"(rule {rule.get('id')} cites nothing)")


def ground_kind(rule: Mapping[str, Any] | None) -> str:
    """"contractual" (the platform's terms), "legal" (a law), or "none" (the default decided)."""
    if rule is None:
        return "none"
    return "contractual" if str(rule.get("cite") or "").startswith(CONTRACTUAL_PREFIX) else "legal"


def fail_closed_reasons(decision: Mapping[str, Any]) -> list[str]:
    """Why a decision failed closed: its request errors, else the deciding rule's `unverified` reason."""
    errors = [f"malformed request: {e}" for e in decision.get("errors") or ()]
    if errors:
        return errors
    rule = deciding_rule(decision)
    return [str(rule["unverified"])] if rule and rule.get("unverified") else []


def figures(log: DecisionLog, since: str | None, until: str | None,
            statements: TextIO | None = None) -> TransparencyFigures:
    """Count the log's served decisions of [since, until); write a statement of reasons per denial to
    `statements` (CSV) when given."""
    out = TransparencyFigures(since, until)
    writer = None
    if statements is not None:
        writer = csv.writer(statements)
        writer.writerow(STATEMENT_FIELDS)
    for piece in log.pieces():
        for _, raw in records(piece, since, until):
            if raw.get("role") == "shadow":
                continue
            out.add(raw)
            if writer is not None and raw["decision"].get("effect") == "deny":
                writer.writerow(statement(raw))
    return out


def statement(raw: Mapping[str, Any]) -> list[str]:
    """One denial as a statement of reasons (STATEMENT_FIELDS; empty where the platform must supply it)."""
    decision = raw["decision"]
    request = _request(raw)
    rule = deciding_rule(decision)
    kind = ground_kind(rule)
    cite, message = cite_of(rule), str((rule or {}).get("message") or "")
    if decision.get("errors"):
        kind, cite, message = "contractual", "Platform policy: requests that cannot be read are refused", \
            "; ".join(str(e) for e in decision["errors"])
    country = request.get("country") if isinstance(request.get("country"), str) else ""
    legal = kind == "legal"
    scope = [country] if legal and country in _EEA else list(EEA) if not legal else []
    facts = f"rule {rule.get('id')}" if rule else "the request could not be read"
    if rule and rule.get("unverified"):
        facts += f", counted as matched without being checked ({rule['unverified']})"
    row = {
        "puid": raw["decision_id"],
        "decision_visibility": "DECISION_VISIBILITY_OTHER",
        "decision_visibility_other": "the image was not generated or edited",
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT" if legal else "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "illegal_content_legal_ground": cite if legal else "",
        "illegal_content_explanation": message if legal else "",
        "incompatible_content_ground": "" if legal else cite,
        "incompatible_content_explanation": "" if legal else message,
        "incompatible_content_illegal": "" if legal else "No",
        "territorial_scope": " ".join(scope),
        "content_type": "CONTENT_TYPE_IMAGE" if raw.get("images") else "CONTENT_TYPE_TEXT",
        "content_date": str(request.get("date") or raw["decided_at"][:10]),
        "application_date": raw["decided_at"][:10],
        "decision_facts": facts,
        "source_type": "SOURCE_VOLUNTARY",
        "automated_detection": "Yes" if decision.get("detectors_run") else "No",
        "automated_decision": "AUTOMATED_DECISION_FULLY",
    }
    return [_cell(row.get(name, "")) for name in STATEMENT_FIELDS]


def _request(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    request = raw.get("request")
    return request if isinstance(request, dict) else {}


def _cell(value: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula, and no control character forges a row."""
    text = visible(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(figures_: TransparencyFigures) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("section", "key", "effect", "decisions"))
    writer.writerows((s, _cell(k), e, n) for s, k, e, n in figures_.rows())
    return buffer.getvalue()


def to_markdown(figures_: TransparencyFigures) -> str:
    c = figures_.counts
    period = f"{figures_.since or 'the start of the log'} to {figures_.until or 'its end'}"
    lines = [f"# Decisions from {period}", "", f"{c[('total',)]:,} decisions: "
             + ", ".join(f"{c[('effect', e)]:,} {e}" for e in EFFECTS) + ".", ""]

    def table(title: str, header: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> None:
        body = [f"| {' | '.join(_md(x) for x in row)} |" for row in rows]
        lines.extend([f"## {title}", ""] + ([f"| {' | '.join(header)} |", "|" + "---|" * len(header)] + body
                                            if body else ["None."]) + [""])

    rows = figures_.rows()
    table("By country", ("country", "effect", "decisions"), ((k, e, f"{n:,}") for s, k, e, n in rows
                                                              if s == "country"))
    table("By legal or contractual ground", ("ground", "effect", "decisions"),
          ((k, e, f"{n:,}") for s, k, e, n in rows if s == "ground"))
    table("By deciding rule", ("rule", "effect", "decisions"), ((k, e, f"{n:,}") for s, k, e, n in rows
                                                                 if s == "rule"))
    table("Automated detection and human review", ("how", "effect", "decisions"),
          [(k, e, f"{n:,}") for s, k, e, n in rows if s == "detection"]
          + [("sent to human review (effect review)", "review", f"{c[('human_review',)]:,}")])
    closed = sum(c[("fail_closed", e)] for e in EFFECTS)
    table(f"Failing closed ({closed:,} decisions)", ("reason", "decisions"),
          ((k, f"{n:,}") for s, k, e, n in rows if s == "fail_closed_reason"))
    return "\n".join(lines).rstrip() + "\n"


def _md(value: Any) -> str:
    return visible(str(value)).replace("|", "\\|")

