"""What the minors' attribution backstops cost and catch: the shipped cases, and 294 family-photo placements.

    .venv/bin/python bench/minors_backstop.py

Two backstops send an image with a child and swimwear, underwear or bare skin to
a human or refuse it when the detector cannot say whose that attire is:

* the rule `minor_attribution_review` (rulesets/global/minors.policy): a part two
  bodies could claim, or none (`attribution:unsure`), with a child in the image;
* the language's fail-closed attribution: a label the image shows, scored higher
  than on any detected person, makes `person(subject:minor ...)` unknown, and the
  deny rule counts as matched.

Each is measured by deciding without it: the ruleset with the rule removed, and
the decision's effect recomputed from its genuine matches only (the person rules
that matched only for want of attribution left out).  Counted: decisions whose
effect the backstop makes stricter.

The shipped cases are `rulesets/tests/*.json` (their images observed by the real
detectors).  The placements are `bench/attribution_sweep.py`'s: an adult's face
(100 px) and a child's (70 px), the child 1 to 3 face widths to either side and
1 above to 2 below; and closer ones, the child held or standing in front (its
face up to one adult face width either side, level with the adult's to four
face heights below); whoever wears the bikini wears it as NudeNet reports one (a
covered chest 0.80, a bare belly 0.70, a covered crotch 0.75), the other is
clothed.  Each placement's parts go to bodies by the shipped attribution
(`jurist.engine.detectors.attribution`), and its observations are decided in a
place with no rules of its own (US-TX) for a paid user: an adult in a bikini
beside a clothed child should be allowed, a child in a bikini denied.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import jurist
from jurist.engine import Policy
from jurist.engine.cases import load_cases
from jurist.engine.decision import Decision
from jurist.engine.detectors.attribution import Body, owner_of
from jurist.engine.detectors.nudenet_mapping import INTIMATE, MIN_SCORE, label_scores
from jurist.engine.detectors.nudenet_model import BodyPart

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution_sweep import ADULT, CHILD, _parts, placements  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RULESETS = ROOT / "rulesets"
BACKSTOP = "minor_attribution_review"
MINORS = "global/minors.policy"
NO_ATTRIBUTION = "no per-person attribution"
RANK = {"allow": 0, "review": 1, "deny": 2}
BIKINI = (("FEMALE_BREAST_COVERED", 0.80), ("BELLY_EXPOSED", 0.70), ("FEMALE_GENITALIA_COVERED", 0.75))


def without_backstop() -> Policy:
    """The shipped ruleset less `minor_attribution_review` (its statement, up to the next comment or rule)."""
    sources = {str(p.relative_to(RULESETS)): p.read_text(encoding="utf-8") for p in RULESETS.rglob("*.policy")}
    minors = "global/minors.policy"
    sources[minors], n = re.subn(rf"^rule {BACKSTOP}:.*?(?=^#|^rule |\Z)", "", sources[minors], flags=re.M | re.S)
    assert n == 1, "the backstop rule is not in minors.policy"
    return Policy.from_sources(sources)


def without_fail_closed_attribution(decision: Decision, minors_only: bool = False) -> str:
    """The effect had the person rules that matched only for want of attribution not matched.

    `minors_only`: of the minors' rules alone (a bikini is also partial nudity, which a real
    person's rules review everywhere, so the whole decision hides what the minors' rules do).
    """
    kept = [r.effect for r in decision.rules if not (r.unverified and NO_ATTRIBUTION in r.unverified)
            and (not minors_only or r.source.startswith(MINORS))]
    return max(kept, key=RANK.__getitem__, default="allow")


def minors_effect(decision: Decision) -> str:
    """The strongest effect of the minors' rules that matched, genuinely or failing closed."""
    return max((r.effect for r in decision.rules if r.source.startswith(MINORS)), key=RANK.__getitem__,
               default="allow")


def shipped() -> None:
    policy, bare = jurist.load(RULESETS), without_backstop()
    cases = load_cases([RULESETS / "tests"])
    by_rule: list[tuple[str, str, str]] = []
    by_attribution: list[tuple[str, str, str]] = []
    for case in cases:
        observed = policy.observe(case.request)
        full = policy.decide(observed, exhaustive=True)
        other = bare.decide(observed, exhaustive=True).effect
        if RANK[full.effect] > RANK[other]:
            by_rule.append((case.name, other, full.effect))
        relaxed = without_fail_closed_attribution(full)
        if RANK[full.effect] > RANK[relaxed]:
            by_attribution.append((case.name, relaxed, full.effect))
    print(f"shipped cases: {len(cases)}")
    for title, found in ((f"stricter because of `{BACKSTOP}`", by_rule),
                         ("stricter because attribution fails closed", by_attribution)):
        print(f"  {title}: {len(found)}")
        for name, before, after in found:
            print(f"    {name}: {before} -> {after}")


def observations(scene: dict[str, Any], wearer: str) -> dict[str, Any]:
    """What the nudity detector reports for one placement, the `wearer` ("adult" or "child") in a bikini."""
    faces = [scene["adult"], scene["child"]]
    bodies = [Body(tuple(f)) for f in faces]
    parts = [BodyPart(name, score, tuple(box)) for (name, score), box in zip(BIKINI, scene[f"{wearer}_parts"])]
    mine: list[list[BodyPart]] = [[], []]
    unsure = 0.0
    for part in parts:
        owner = owner_of(part.box, bodies)
        if owner is not None:
            mine[owner].append(part)
        elif part.name in INTIMATE and part.score >= MIN_SCORE:
            unsure = max(unsure, part.score)
    ages = (0.05, 0.85)
    persons = [{"box": list(face), "labels": {"subject:real_person": 0.95, "subject:minor": age,
                                              **{k: v for k, v in label_scores(own).items() if v > 0}}}
               for face, age, own in zip(faces, ages, mine)]
    return {"labels": {**label_scores(parts), "attribution:unsure": unsure}, "persons": persons}


def close_placements() -> list[dict[str, Any]]:
    """A child held or standing in front: its face 1 adult face width left to 1 right of the adult's (21
    steps), from level with it to 4 face heights below (chest, belly, lap: 9 steps)."""
    out = []
    adult = (400.0, 200.0, ADULT, ADULT)
    for step in range(21):
        for down in range(9):
            cx, cy = 450.0 + (-1.0 + step * 0.1) * ADULT, 250.0 + down * 0.5 * ADULT
            child = (cx - CHILD / 2, cy - CHILD / 2, CHILD, CHILD)
            out.append({"adult": adult, "child": child, "adult_parts": _parts(adult), "child_parts": _parts(child)})
    return out


def sweep() -> None:
    for title, scenes in (("side by side (bench/attribution_sweep.py)", placements()),
                          ("held or in front", close_placements())):
        print(f"\nfamily-photo placements, {title}: {len(scenes)} each (US-TX, paid user, edit)")
        decide_scenes(scenes)


def decide_scenes(scenes: list[dict[str, Any]]) -> None:
    policy, bare = jurist.load(RULESETS), without_backstop()
    for wearer, should in (("adult", "allow"), ("child", "deny")):
        whole: Counter[str] = Counter()
        shipped_effects: Counter[str] = Counter()
        no_rule: Counter[str] = Counter()
        no_attribution: Counter[str] = Counter()
        neither: Counter[str] = Counter()
        for scene in scenes:
            request = {"action": "edit", "country": "US", "region": "US-TX", "user": {"tier": "paid"},
                       "surface": "app", "date": "2026-03-01", "stage": "input",
                       "observations": observations(scene, wearer)}
            full = policy.decide(request, exhaustive=True)
            bare_full = bare.decide(request, exhaustive=True)
            whole[full.effect] += 1
            shipped_effects[minors_effect(full)] += 1
            no_rule[minors_effect(bare_full)] += 1
            no_attribution[without_fail_closed_attribution(full, minors_only=True)] += 1
            neither[without_fail_closed_attribution(bare_full, minors_only=True)] += 1
        other = "clothed child" if wearer == "adult" else "clothed adult"
        print(f"  {wearer} in a bikini beside a {other} (the minors' rules should: {should})")
        for title, counts in (("whole decision, shipped", whole), ("minors' rules, shipped", shipped_effects),
                              (f"minors' rules without {BACKSTOP}", no_rule),
                              ("minors' rules without fail-closed attribution", no_attribution),
                              ("minors' rules without either", neither)):
            shown = ", ".join(f"{effect} {counts[effect]}" for effect in ("allow", "review", "deny") if counts[effect])
            print(f"    {title:<58} {shown}")


def main() -> None:
    shipped()
    sweep()


if __name__ == "__main__":
    main()
