"""Jurist as a plug-in of the shared peers benchmark (../shared/peers/bench_peers.py).

The harness times `decide(request_dict)` end to end; the conversion of its
request (`{"country", "labels": {"attire_bikini": ...}}`) into Jurist's request
JSON is part of the timed call, as it is for every peer.
"""
from __future__ import annotations

import os
import tempfile

from bench_peers import jurist_policy_text, register


@register("jurist", package="jurist", note="jurist.load(.policy) + policy.decide(dict)")
def build_jurist(rules):
    import jurist

    path = os.path.join(tempfile.mkdtemp(prefix="peers_jurist_"), f"bench_{len(rules)}.policy")
    with open(path, "w") as f:
        f.write(jurist_policy_text(rules))
    policy = jurist.load(path)
    names = {label: label.replace("_", ":", 1) for label in
             ("attire_bikini", "attire_underwear", "nudity_exposed", "subject_minor", "subject_real_person",
              "intent_undress", "intent_sexualize", "intent_evasion")}

    def decide(req):
        labels = {names[k]: v for k, v in req["labels"].items()}
        return policy.decide({"country": req["country"], "observations": {"labels": labels}}).effect == "deny"

    return decide
