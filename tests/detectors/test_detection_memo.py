"""A run over many requests looks at each distinct image (and prompt) once, with the real detectors."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import skimage.data

import jurist
from jurist.engine.detection_memo import DetectionMemo
from jurist.engine.detectors import default_detectors
from jurist.engine.detectors.base import DetectionInput, Detector
from jurist.engine.observations import Observations

RULES = {"r.policy": "rule real: deny subject:real_person where country = GB\n"
                     "rule swim: review attire:bikini subject:real_person\n"}


@dataclass
class Counting:
    """A real detector, counting how often it is asked to look."""

    inner: Detector
    calls: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.inner.name

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        self.calls.append(len(subject.images))
        return self.inner.detect(subject, upstream)


def _policy() -> tuple[jurist.Policy, dict[str, Counting]]:
    counting = {name: Counting(d) for name, d in default_detectors().items()}
    return jurist.Policy.from_sources(RULES, detectors=counting), counting


def test_the_same_photo_under_two_names_is_looked_at_once_and_decides_the_same(tmp_path: Path,
                                                                               kit: SimpleNamespace) -> None:
    photo = kit.encode(kit.rgb(skimage.data.astronaut()))
    (tmp_path / "a.png").write_bytes(photo)
    (tmp_path / "copy.png").write_bytes(photo)
    policy, counting = _policy()
    memo = DetectionMemo()
    requests = [{"country": country, "images": [str(tmp_path / name)]}
                for country, name in (("GB", "a.png"), ("FR", "copy.png"), ("GB", "copy.png"))]
    with_memo = [policy.decide(policy.observe(r, memo=memo), exhaustive=True) for r in requests]
    assert len(counting["faces"].calls) == 1 and memo.hits > 0
    without = [policy.decide(policy.observe(r), exhaustive=True) for r in requests]
    assert [(d.effect, d.rule_ids) for d in with_memo] == [(d.effect, d.rule_ids) for d in without]
    assert with_memo[0].effect == "deny"


def test_a_changed_file_is_looked_at_again(tmp_path: Path, kit: SimpleNamespace) -> None:
    path = tmp_path / "photo.png"
    policy, counting = _policy()
    memo = DetectionMemo()
    path.write_bytes(kit.encode(kit.rgb(skimage.data.astronaut())))
    first = policy.decide(policy.observe({"country": "GB", "images": [str(path)]}, memo=memo))
    path.write_bytes(kit.encode(kit.rgb(skimage.data.coffee())))
    second = policy.decide(policy.observe({"country": "GB", "images": [str(path)]}, memo=memo))
    assert len(counting["faces"].calls) == 2
    assert (first.effect, second.effect) == ("deny", "allow")


def test_an_image_that_cannot_be_read_fails_closed_every_time(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff not really a jpeg")
    policy, _ = _policy()
    memo = DetectionMemo()
    decisions = [policy.decide(policy.observe({"country": "GB", "images": [str(broken)]}, memo=memo))
                 for _ in range(2)]
    assert [d.effect for d in decisions] == ["deny", "deny"]
    assert decisions[0].rules[0].unverified == decisions[1].rules[0].unverified
    assert "not a supported image" in (decisions[1].rules[0].unverified or "")
