"""Backtesting: what a ruleset would have decided on logged traffic, beside what another decided.

`run_backtest` replays every record of a decision log (`decision_logs`)
under a baseline and a candidate ruleset (`replay`) and counts what changes:
the flip matrix (from effect to effect) overall, per country, region and
deciding rule, loosening flips first (DENY→ALLOW, REVIEW→ALLOW); the rules
whose hits change and those that never fire; decisions that fail closed, and
those that need a re-scan before they can be compared.

Counting is a `Tally`: counters and a few sample decision ids that add up
exactly, so one process, `jobs` processes or a Ray cluster (`backtest_ray`)
produce the same report.  Samples are the earliest decision ids of each cell
(ids sort by time), whichever worker met them.
"""
from __future__ import annotations

import bisect
import json
import multiprocessing
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from jurist.dsl.keywords import EFFECTS, STRENGTH
from jurist.engine import Policy

from .decision_logs import DecisionLog, LogError, Piece, records
from .replay import FAIL_CLOSED, MALFORMED, NEEDS_RESCAN, STATES, Pair, Replayer
from .rule_sources import NamedRules

SAMPLES = 5            # decision ids kept per cell of the report
REPORT_FORMAT = 1
Key = tuple[Any, ...]


def flip_order(flip: tuple[str, str]) -> tuple[int, int, int]:
    """How flips are listed: loosening first, ending in allow first (DENY→ALLOW, REVIEW→ALLOW, DENY→REVIEW),
    then tightening, the largest first."""
    before, after = STRENGTH[flip[0]], STRENGTH[flip[1]]
    if after < before:
        return (0, after, -before)
    return (1, before - after, -after)


FLIPS: tuple[tuple[str, str], ...] = tuple(sorted(((a, b) for a in EFFECTS for b in EFFECTS if a != b),
                                                  key=flip_order))


class Tally:
    """Counters by key and the earliest few decision ids of some keys; `merge` adds another tally in."""

    __slots__ = ("counts", "samples")

    def __init__(self) -> None:
        self.counts: Counter[Key] = Counter()
        self.samples: dict[Key, list[str]] = {}

    def count(self, key: Key, n: int = 1) -> None:
        self.counts[key] += n

    def sample(self, key: Key, decision_id: str) -> None:
        kept = self.samples.get(key)
        if kept is None:
            self.samples[key] = [decision_id]
        elif decision_id in kept:  # a log read twice, or a record logged twice, is one sample
            return
        elif len(kept) < SAMPLES:
            bisect.insort(kept, decision_id)
        elif decision_id < kept[-1]:
            bisect.insort(kept, decision_id)
            kept.pop()

    def merge(self, other: "Tally") -> "Tally":
        self.counts.update(other.counts)
        for key, ids in other.samples.items():
            self.samples[key] = sorted(set(self.samples.get(key, ())) | set(ids))[:SAMPLES]
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tally) and self.counts == other.counts and self.samples == other.samples

    def rows(self) -> list[dict[str, Any]]:
        """One row per key (`key` as JSON text): how a tally travels through Ray Data and is merged there."""
        keys = set(self.counts) | set(self.samples)
        return [{"key": json.dumps(list(k)), "count": self.counts.get(k, 0), "samples": self.samples.get(k, [])}
                for k in keys]

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> "Tally":
        tally = cls()
        for row in rows:
            key = tuple(json.loads(row["key"]))
            if row["count"]:
                tally.counts[key] += int(row["count"])
            if len(row["samples"]):
                tally.samples[key] = sorted(set(tally.samples.get(key, ())) | set(row["samples"]))[:SAMPLES]
        return tally


class Accumulator:
    """Counts replayed records into a tally.  Records that got the same verdicts, place and day are counted
    as a group and expanded once at the end: the per-record work is one increment (and samples for flips)."""

    __slots__ = ("groups", "tally")
    FLUSH = 50_000   # groups kept before they are counted into the tally: memory stays flat as the log grows

    def __init__(self) -> None:
        self.groups: Counter[tuple[Pair, str | None, str | None, str]] = Counter()
        self.tally = Tally()

    def add(self, decision_id: str, day: str, country: str | None, region: str | None, pair: Pair) -> None:
        groups = self.groups
        groups[(pair, country, region, day)] += 1
        if len(groups) > self.FLUSH:
            self.finish()
        kind = pair.kind
        if kind is None:
            return
        sample = self.tally.sample
        b, c = pair.baseline, pair.candidate
        if kind == "flip":
            flip = (b.effect, c.effect)
            sample(("flip",) + flip, decision_id)
            sample(("flip_country", country or "-") + flip, decision_id)
            if region:
                sample(("flip_region", region) + flip, decision_id)
            sample(("flip_rule", _responsible(pair)) + flip, decision_id)
        elif kind == "rescan":
            sample(("rescan",), decision_id)
        else:
            sample(("rule_change", b.rule or "(default)", c.rule or "(default)"), decision_id)

    def skip(self, why: str) -> None:
        self.tally.count(("skipped", why))

    def finish(self) -> Tally:
        """Expand the groups into the tally: what depends on the day once per (verdicts, day), what depends on
        the place once per (verdicts, place)."""
        counts = self.tally.counts
        by_day: Counter[tuple[Pair, str]] = Counter()
        by_place: Counter[tuple[Pair, str | None, str | None]] = Counter()
        for (pair, country, region, day), n in self.groups.items():
            by_day[(pair, day)] += n
            by_place[(pair, country, region)] += n
        self.groups.clear()
        for (pair, day), n in by_day.items():
            counts[("records",)] += n
            counts[("day", day)] += n
            for side, verdict in (("baseline", pair.baseline), ("candidate", pair.candidate)):
                counts[("effect", side, verdict.effect)] += n
                counts[("state", side, verdict.state)] += n
                for rule in verdict.matched:
                    counts[("hits", side, rule)] += n
                    counts[("hits_day", side, rule, day)] += n
                for reason in verdict.reasons:
                    counts[("reason", side, verdict.state, reason)] += n
                for label in verdict.needs:
                    counts[("rescan_label", side, label)] += n
            if pair.kind == "rescan":
                counts[("rescan",)] += n
            else:
                counts[("compared",)] += n
                if pair.kind == "rule":
                    counts[("rule_change", pair.baseline.rule or "(default)", pair.candidate.rule or "(default)")] += n
        for (pair, country, region), n in by_place.items():
            place = country or "-"
            counts[("country", place)] += n
            if pair.kind == "flip":
                flip = (pair.baseline.effect, pair.candidate.effect)
                counts[("flip",) + flip] += n
                counts[("flip_country", place) + flip] += n
                if region:
                    counts[("flip_region", region) + flip] += n
                counts[("flip_rule", _responsible(pair)) + flip] += n
        return self.tally


def _responsible(pair: Pair) -> str:
    """The rule a flip is filed under: the deciding rule of the stronger side (the rule that denied before and
    no longer does, or the rule that now denies)."""
    b, c = pair.baseline, pair.candidate
    stronger = b if STRENGTH[b.effect] > STRENGTH[c.effect] else c
    return stronger.rule or "(default)"


def replay_piece(piece: Piece, replayer: Replayer, since: str | None = None, until: str | None = None) -> Tally:
    """Replay one piece of a log; shadow records (answers nobody got) are skipped: their request was served too."""
    acc = Accumulator()
    add, replay = acc.add, replayer.replay
    for position, raw in records(piece, since, until):
        if raw.get("role") == "shadow":
            acc.skip("shadow")
            continue
        try:
            add(*replay(raw))
        except LogError as exc:
            raise LogError(f"{piece.locate(position)}: not a decision record ({exc})") from None
    return acc.finish()


# -- the report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SideInfo:
    """A ruleset of the comparison as the report names it."""

    name: str
    sources_hash: str
    rules: tuple[str, ...]   # every rule id, in the ruleset's order

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "sources_hash": self.sources_hash, "rules": len(self.rules)}


@dataclass(frozen=True)
class BacktestReport:
    """A backtest's counts with what was compared on what; `to_json` is the report every format renders."""

    baseline: SideInfo
    candidate: SideInfo
    log: tuple[str, ...]
    tally: Tally
    run: Mapping[str, Any] = field(default_factory=dict)   # how it ran: workers, seconds (not compared)

    def count(self, *key: Any) -> int:
        return self.tally.counts.get(key, 0)

    def to_json(self) -> dict[str, Any]:
        t, n = self.tally, self.count
        sides = ("baseline", "candidate")
        flips: list[dict[str, Any]] = [{"from": a, "to": b, "count": n("flip", a, b),
                                        "samples": t.samples.get(("flip", a, b), [])} for a, b in FLIPS if n("flip", a, b)]
        loosening = sum(f["count"] for f in flips if STRENGTH[f["to"]] < STRENGTH[f["from"]])
        total = sum(f["count"] for f in flips)
        days = sorted(k[1] for k in t.counts if k[0] == "day")
        return {
            "format": REPORT_FORMAT,
            "baseline": self.baseline.to_json(),
            "candidate": self.candidate.to_json(),
            "log": list(self.log),
            "records": n("records"),
            "skipped": {k[1]: v for k, v in sorted(t.counts.items()) if k[0] == "skipped"},
            "days": {"first": days[0], "last": days[-1]} if days else None,
            "compared": n("compared"),
            "effects": {s: {e: n("effect", s, e) for e in EFFECTS} for s in sides},
            "states": {s: {st: n("state", s, st) for st in STATES} for s in sides},
            "flips": {"total": total, "loosening": loosening, "tightening": total - loosening, "matrix": flips},
            "flips_by_country": self._cells("flip_country", "country"),
            "flips_by_region": self._cells("flip_region", "region"),
            "flips_by_rule": self._cells("flip_rule", "rule"),
            "rule_changes": sorted(({"baseline_rule": k[1], "candidate_rule": k[2], "count": v,
                                     "samples": t.samples.get(k, [])}
                                    for k, v in t.counts.items() if k[0] == "rule_change"),
                                   key=lambda r: (-r["count"], r["baseline_rule"], r["candidate_rule"])),
            "rule_hits": self._rule_hits(),
            "never_fired": {s: [r for r in getattr(self, s).rules if not n("hits", s, r)] for s in sides},
            "fail_closed": {**{s: n("state", s, FAIL_CLOSED) for s in sides},
                            "change": n("state", "candidate", FAIL_CLOSED) - n("state", "baseline", FAIL_CLOSED),
                            "reasons": self._reasons(FAIL_CLOSED)},
            "malformed": {"count": n("state", "candidate", MALFORMED), "reasons": self._reasons(MALFORMED)},
            "needs_rescan": {"count": n("rescan"), **{s: n("state", s, NEEDS_RESCAN) for s in sides},
                             "labels": sorted(({"side": k[1], "label": k[2], "count": v}
                                               for k, v in t.counts.items() if k[0] == "rescan_label"),
                                              key=lambda r: (r["side"], -r["count"], r["label"])),
                             "samples": t.samples.get(("rescan",), [])},
            "hits_by_day": {s: self._hits_by_day(s) for s in sides},
            "records_by_country": dict(sorted(((k[1], v) for k, v in t.counts.items() if k[0] == "country"),
                                              key=lambda kv: (-kv[1], kv[0]))),
            "run": dict(self.run),
        }

    def _cells(self, kind: str, name: str) -> list[dict[str, Any]]:
        t = self.tally
        cells = [{name: k[1], "from": k[2], "to": k[3], "count": v, "samples": t.samples.get(k, [])}
                 for k, v in t.counts.items() if k[0] == kind]
        return sorted(cells, key=lambda c: (flip_order((c["from"], c["to"])), -c["count"], c[name]))

    def _rule_hits(self) -> list[dict[str, Any]]:
        b, c = set(self.baseline.rules), set(self.candidate.rules)
        order = list(self.baseline.rules) + [r for r in self.candidate.rules if r not in b]
        out = []
        for rule in order:
            before = self.count("hits", "baseline", rule) if rule in b else None
            after = self.count("hits", "candidate", rule) if rule in c else None
            if before != after:
                out.append({"rule": rule, "baseline": before, "candidate": after,
                            "change": (after or 0) - (before or 0)})
        return sorted(out, key=lambda r: -abs(r["change"]))

    def _reasons(self, state: str) -> list[dict[str, Any]]:
        found = [{"side": k[1], "reason": k[3], "count": v} for k, v in self.tally.counts.items()
                 if k[0] == "reason" and k[2] == state]
        return sorted(found, key=lambda r: (r["side"], -r["count"], r["reason"]))

    def _hits_by_day(self, side: str) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for k, v in sorted(self.tally.counts.items()):
            if k[0] == "hits_day" and k[1] == side:
                out.setdefault(k[2], {})[k[3]] = v
        return out


def side_info(rules: NamedRules, policy: Policy | None = None) -> SideInfo:
    """How the report names a ruleset (`policy`: the rules already compiled, if they are)."""
    policy = policy or rules.policy()
    return SideInfo(rules.name, policy.version.sources_hash, tuple(r.id for r in policy.ruleset.rules))


# -- running --------------------------------------------------------------------------------------


def run_backtest(log: DecisionLog, baseline: NamedRules, candidate: NamedRules, *, jobs: int = 1,
                 since: str | None = None, until: str | None = None) -> BacktestReport:
    """Replay `log` (decided in [since, until)) under both rulesets, in this process or `jobs` processes."""
    started = time.perf_counter()
    base_policy, cand_policy = baseline.policy(), candidate.policy()
    base_info, cand_info = side_info(baseline, base_policy), side_info(candidate, cand_policy)
    pieces = log.pieces(jobs)
    tally = Tally()
    if jobs <= 1 or len(pieces) <= 1:
        replayer = Replayer(base_policy, cand_policy)
        for piece in pieces:
            tally.merge(replay_piece(piece, replayer, since, until))
        decided = replayer.decided
        workers = "1 process"
    else:
        decided = 0
        with multiprocessing.Pool(min(jobs, len(pieces)), initializer=_start_worker,
                                  initargs=(baseline, candidate, since, until)) as pool:
            for part, fresh in pool.imap_unordered(_work, pieces):
                tally.merge(part)
                decided += fresh
        workers = f"{jobs} processes"
    return BacktestReport(base_info, cand_info, tuple(log.describe()), tally,
                          {"workers": workers, "seconds": round(time.perf_counter() - started, 3),
                           "decided": decided})


_WORKER: dict[str, Any] = {}


def _start_worker(baseline: NamedRules, candidate: NamedRules, since: str | None, until: str | None) -> None:
    """Compile both rulesets once per worker process."""
    _WORKER.update(replayer=Replayer(baseline.policy(), candidate.policy()), since=since, until=until)


def _work(piece: Piece) -> tuple[Tally, int]:
    replayer: Replayer = _WORKER["replayer"]
    before = replayer.decided
    return replay_piece(piece, replayer, _WORKER["since"], _WORKER["until"]), replayer.decided - before

