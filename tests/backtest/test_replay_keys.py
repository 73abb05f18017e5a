"""The replayer keeps decisions by an abstraction of the request; it must decide every record as deciding it afresh
would (the reference beside the optimised path)."""
from __future__ import annotations

import copy
import random
from pathlib import Path

from decision_logs import IMAGE, record
from jurist.dsl import read_sources
from jurist.engine import Policy, Request
from jurist.workbench.replay import Replayer, gaps, replay_request

ROOT = Path(__file__).resolve().parents[2]
LABELS = ("subject:real_person", "subject:minor", "nudity:exposed", "nudity:partial", "attire:bikini",
          "attire:underwear", "intent:swimwear", "intent:undress", "intent:evasion", "intent:sexualize",
          "subject:consenting_self")
PLACES = (("GB", None), ("GB", "GB-SCT"), ("US", None), ("US", "US-CA"), ("US", "US-NY"), ("FR", None),
          ("ID", None), ("AU", None), ("KR", None), ("BR", None), ("DE", None), (None, None))


def random_record(rnd: random.Random, n: int) -> dict:
    country, region = rnd.choice(PLACES)
    request = {k: v for k, v in (("action", rnd.choice(["edit", "generate", None])), ("country", country),
                                 ("region", region), ("surface", rnd.choice(["app", "x", None])),
                                 ("date", rnd.choice(["2026-01-20", "2026-02-01", "2026-03-05", None])))
               if v is not None}
    if rnd.random() < 0.9:
        request["user"] = {"tier": rnd.choice(["free", "paid", "paid"])}
    if rnd.random() < 0.5:
        request["prompt"] = "make it nicer"
    scores = [0.0, 0.29, 0.3, 0.31, 0.49, 0.5, 0.6, 0.84, 0.85, 0.9, 1.0]
    labels = {k: rnd.choice(scores) for k in LABELS if rnd.random() < 0.6}
    unknown = [k for k in LABELS if k not in labels and rnd.random() < 0.3]
    rec = record(n, request, labels, unknown=unknown, images=IMAGE if rnd.random() < 0.6 else ())
    if rnd.random() < 0.3:
        rec["observations"]["persons"] = [{"labels": {k: rnd.choice(scores) for k in LABELS[:6] if rnd.random() < 0.7},
                                           "box": [1, 2, 3, 4]} for _ in range(rnd.randint(1, 2))]
    if rnd.random() < 0.1:
        rec["decision"]["detectors_run"] = [{"name": rnd.choice(["faces", "nudenet", "age"]), "ms": 1.0, "ok": False}]
    return rec


def test_kept_decisions_equal_fresh_ones() -> None:
    shipped = read_sources(ROOT / "rulesets")
    moved = dict(shipped)
    moved["gb.policy"] = moved["gb.policy"].replace("from 2026-02-01", "from 2026-03-01")
    moved["global/minors.policy"] = moved["global/minors.policy"].replace("threshold subject:minor 0.3",
                                                                        "threshold subject:minor 0.5")
    baseline, candidate = Policy.from_sources(shipped, "a"), Policy.from_sources(moved, "b")
    kept, fresh = Replayer(baseline, candidate), Replayer(baseline, candidate)
    rnd = random.Random(7)
    for n in range(1500):
        base = random_record(rnd, n)
        for raw in (base, nudged(base, rnd), nudged(base, rnd), moved_elsewhere(base, rnd)):
            pair = kept.replay(raw)[4]
            found = gaps(raw)
            expected = fresh.decide(Request.from_json(replay_request(raw, found)), found.missing)
            assert (pair.baseline, pair.candidate) == (expected.baseline, expected.candidate), raw
    assert kept.decided < 0.75 * fresh.decided  # the abstraction does keep decisions


def nudged(raw: dict, rnd: random.Random) -> dict:
    """The same record with every score a hair higher or lower: across a threshold sometimes (0.3 → 0.299)."""
    out = copy.deepcopy(raw)
    obs = out["observations"]
    for labels in [obs["labels"]] + [p["labels"] for p in obs.get("persons", [])]:
        for key, value in labels.items():
            labels[key] = min(1.0, max(0.0, round(value + rnd.choice([-0.001, 0.0, 0.001]), 3)))
    return out


def moved_elsewhere(raw: dict, rnd: random.Random) -> dict:
    """Another place or day, the observations kept."""
    out = copy.deepcopy(raw)
    country, region = rnd.choice(PLACES)
    out["request"].pop("region", None)
    out["request"].pop("country", None)
    if country:
        out["request"]["country"] = country
    if region:
        out["request"]["region"] = region
    out["decided_at"] = rnd.choice(["2026-01-31", "2026-02-01", "2026-02-28"]) + out["decided_at"][10:]
    out["request"].pop("date", None)
    return out
