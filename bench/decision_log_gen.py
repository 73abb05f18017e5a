"""A generated decision log, written as `jurist serve` writes one: for backtest benchmarks and worked examples.

    .venv/bin/python bench/decision_log_gen.py OUT.jsonl --records 20000 [--countries 250] [--seed 1] [--eager 0.5]

Each record is a real decision of the shipped rulesets, made lazily as a
server makes it, so its observations hold what the decision looked at and
list the rest as unknown.  What the images show is drawn from a few scenes
(a landscape, a clothed adult, an adult in a bikini, a child, ...) with some
noise in the scores; the detectors are stand-ins that report the scene (no
image is decoded), so a million records take a minute, not a week.  Places
follow a long-tailed distribution over `--countries` countries (a few large
ones hold most traffic, as in real logs), with regions for the US and the UK;
days run from 2026-01-15 to 2026-03-15, across the GB rules' start date.
"""
from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import random
import sys
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jurist.engine import Policy  # noqa: E402
from jurist.engine.decision_record import DecisionRecord, ImageDigest  # noqa: E402
from jurist.engine.detector_set import DetectorSet  # noqa: E402
from jurist.engine.observations import Observations, Person  # noqa: E402

BOX = (10.0, 10.0, 80.0, 80.0)
# (weight, has an image, the person in it (labels of faces, age, nudenet) or None, the prompt's intents)
SCENES: Sequence[tuple[float, bool, dict[str, float] | None, dict[str, float]]] = (
    (0.22, False, None, {}),                                                      # text only, benign
    (0.05, False, None, {"intent:swimwear": 0.9}),                               # text only, swimwear
    (0.03, False, None, {"intent:undress": 0.9}),
    (0.20, True, None, {}),                                                       # landscape
    (0.25, True, {"subject:real_person": 0.95, "subject:minor": 0.05}, {}),      # adult, clothed
    (0.10, True, {"subject:real_person": 0.95, "subject:minor": 0.05, "attire:bikini": 0.8},
     {"intent:swimwear": 0.9}),                                                   # adult, bikini
    (0.05, True, {"subject:real_person": 0.95, "subject:minor": 0.05, "nudity:partial": 0.7}, {}),
    (0.03, True, {"subject:real_person": 0.95, "subject:minor": 0.05, "nudity:exposed": 0.9},
     {"intent:undress": 0.9}),
    (0.05, True, {"subject:real_person": 0.95, "subject:minor": 0.85}, {}),      # a child, clothed
    (0.02, True, {"subject:real_person": 0.95, "subject:minor": 0.85, "attire:bikini": 0.75}, {}),
)
DETECTOR_LABELS = {"faces": ("subject:real_person",), "age": ("subject:minor",),
                   "nudenet": ("nudity:exposed", "nudity:partial", "attire:bikini", "attire:underwear"),
                   "prompt_intent": ("intent:undress", "intent:sexualize", "intent:evasion", "intent:swimwear")}
REGIONS = {"US": ("US-CA", "US-NY", "US-TX", "US-FL", "US-WA"), "GB": ("GB-ENG", "GB-SCT", "GB-WLS")}


class _Scene:
    """What the stand-in detectors report for the request being decided."""

    persons: dict[str, float] | None = None
    intents: dict[str, float] = {}


class _StandIn:
    def __init__(self, name: str):
        self.name = name

    def detect(self, subject: Any, upstream: Observations) -> Observations:
        keys = DETECTOR_LABELS[self.name]
        if self.name == "prompt_intent":
            return Observations({k: _Scene.intents.get(k, 0.02) for k in keys})
        if _Scene.persons is None:
            return Observations({})
        return Observations({}, (Person({k: _Scene.persons.get(k, 0.01) for k in keys}, BOX, 0),))


class _StandInSet(DetectorSet):
    """The detectors of a server, reporting the scene: no image is decoded."""

    def __init__(self) -> None:
        super().__init__({n: _StandIn(n) for n in DETECTOR_LABELS},  # type: ignore[misc]
                         {"faces": (), "age": ("faces",), "nudenet": ("faces",), "prompt_intent": ()})

    def load_images(self, sources: Sequence[str]) -> tuple[Any, ...]:
        return ()


def countries(n: int) -> list[str]:
    from jurist.dsl.places import countries as all_countries

    big = ["US", "GB", "IN", "BR", "DE", "FR", "ID", "JP", "MX", "PH", "TR", "IT", "ES", "KR", "CA", "AU", "MY",
           "SA", "AE", "NL"]
    rest = sorted(c for c in all_countries() if c not in big)
    return (big + rest)[:n]


def generate(out: Path, records: int, n_countries: int = 250, seed: int = 1, first: int = 0,
             eager: float = 0.0) -> int:
    """Write records [first, first + records) of the log to `out` (deterministic per seed and index).

    A share `eager` of the decisions is made as a server that observes every label first makes them (its
    rules marked `always`, say), so their records hold every score; the others are lazy, as by default.
    """
    policy = Policy.from_path(ROOT / "rulesets", trust_observations=False)
    policy.detectors = _StandInSet()
    places = countries(n_countries)
    weights = [1.0 / (i + 1) ** 1.1 for i in range(len(places))]
    scene_weights = [s[0] for s in SCENES]
    rnd = random.Random(seed * 1_000_003 + first)
    with open(out, "w", encoding="utf-8") as handle:
        for i in range(first, first + records):
            _, has_image, persons, intents = SCENES[rnd.choices(range(len(SCENES)), scene_weights)[0]]
            _Scene.persons = None if persons is None else {k: _noisy(rnd, v) for k, v in persons.items()}
            _Scene.intents = {k: _noisy(rnd, v) for k, v in intents.items()}
            country = rnd.choices(places, weights)[0]
            day = 15 + rnd.randrange(60)
            month, dom = (1, day) if day <= 31 else (2, day - 31) if day <= 59 else (3, day - 59)
            date = f"2026-{month:02d}-{dom:02d}"
            request: dict[str, Any] = {"action": rnd.choice(("generate", "edit")), "country": country,
                                       "user": {"tier": "paid" if rnd.random() < 0.7 else "free"},
                                       "surface": rnd.choice(("app", "web", "x", "api")), "date": date,
                                       "prompt": "a picture, please"}
            if country in REGIONS and rnd.random() < 0.8:
                request["region"] = rnd.choice(REGIONS[country])
            if rnd.random() < 0.02:
                request["observations"] = {"labels": {"subject:consenting_self": 1.0}}
            digests: tuple[ImageDigest, ...] = ()
            if has_image:
                request["images"] = [f"upload-{i}.jpg"]
                digests = (ImageDigest(hashlib.sha256(f"img{i}".encode()).hexdigest(), f"{i % 2 ** 64:016x}"),)
            decision = policy.decide(policy.observe(request) if rnd.random() < eager else request)
            record = DecisionRecord.of(decision, request, images=digests)
            line = record.to_json()
            line["decided_at"] = f"{date}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:" \
                                 f"{rnd.randrange(60):02d}.{i % 1_000_000:06d}Z"
            handle.write(_dumps(line) + "\n")
    return records


def _noisy(rnd: random.Random, value: float) -> float:
    return round(min(1.0, max(0.0, value + rnd.uniform(-0.04, 0.04))), 3)


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _part(args: tuple[Path, int, int, int, int, float]) -> int:
    return generate(*args)


def write_log(out: Path, records: int, n_countries: int = 250, seed: int = 1, processes: int = 2,
              eager: float = 0.0) -> Path:
    """The whole log in `out`, generated by `processes` processes and concatenated in order."""
    out.parent.mkdir(parents=True, exist_ok=True)
    share = -(-records // processes)
    parts = [(out.with_name(f"{out.name}.part{k}"), min(share, records - k * share), n_countries, seed, k * share,
              eager) for k in range(processes) if k * share < records]
    with multiprocessing.Pool(len(parts)) as pool:
        pool.map(_part, parts)
    with open(out, "wb") as whole:
        for path, *_ in parts:
            whole.write(path.read_bytes())
            path.unlink()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--countries", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--eager", type=float, default=0.0,
                        help="share of decisions made after observing every label (their records hold every score)")
    args = parser.parse_args()
    write_log(args.out, args.records, args.countries, args.seed, eager=args.eager)
    print(f"wrote {args.records:,} records to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
