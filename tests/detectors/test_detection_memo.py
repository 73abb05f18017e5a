"""A run over many requests looks at each distinct image (and prompt) once, with the real detectors."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import skimage.data

import jurist
from jurist.engine.detection_memo import DetectionMemo

RULES = {"r.policy": "rule real: deny subject:real_person where country = GB\n"
                     "rule swim: review attire:bikini subject:real_person\n"}


def _policy(counted: dict) -> jurist.Policy:
    return jurist.Policy.from_sources(RULES, detectors=counted)


def test_the_same_photo_under_two_names_is_looked_at_once_and_decides_the_same(tmp_path: Path, kit: SimpleNamespace,
                                                                               counted: dict) -> None:
    photo = kit.encode(kit.rgb(skimage.data.astronaut()))
    (tmp_path / "a.png").write_bytes(photo)
    (tmp_path / "copy.png").write_bytes(photo)
    policy = _policy(counted)
    memo = DetectionMemo()
    requests = [{"country": country, "images": [str(tmp_path / name)]}
                for country, name in (("GB", "a.png"), ("FR", "copy.png"), ("GB", "copy.png"))]
    with_memo = [policy.decide(policy.observe(r, memo=memo), exhaustive=True) for r in requests]
    assert counted["faces"].calls == 1 and memo.hits > 0
    without = [policy.decide(policy.observe(r), exhaustive=True) for r in requests]
    assert [(d.effect, d.rule_ids) for d in with_memo] == [(d.effect, d.rule_ids) for d in without]
    assert with_memo[0].effect == "deny"


def test_a_changed_file_is_looked_at_again(tmp_path: Path, kit: SimpleNamespace, counted: dict) -> None:
    path = tmp_path / "photo.png"
    policy = _policy(counted)
    memo = DetectionMemo()
    path.write_bytes(kit.encode(kit.rgb(skimage.data.astronaut())))
    first = policy.decide(policy.observe({"country": "GB", "images": [str(path)]}, memo=memo))
    path.write_bytes(kit.encode(kit.rgb(skimage.data.coffee())))
    second = policy.decide(policy.observe({"country": "GB", "images": [str(path)]}, memo=memo))
    assert counted["faces"].calls == 2
    assert (first.effect, second.effect) == ("deny", "allow")


def test_an_image_that_cannot_be_read_fails_closed_every_time(tmp_path: Path, counted: dict) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff not really a jpeg")
    policy = _policy(counted)
    memo = DetectionMemo()
    decisions = [policy.decide(policy.observe({"country": "GB", "images": [str(broken)]}, memo=memo))
                 for _ in range(2)]
    assert [d.effect for d in decisions] == ["deny", "deny"]
    assert decisions[0].rules[0].unverified == decisions[1].rules[0].unverified
    assert "not a supported image" in (decisions[1].rules[0].unverified or "")
