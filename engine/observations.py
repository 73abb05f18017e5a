"""Detector outputs: image-level label scores and detected persons.

Observations are what a decision is computed from besides the request's
context.  A decision records the observations it used (never the images), so
any logged decision can be replayed against a newer ruleset.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from collections.abc import Mapping
from typing import Any

from jurist.dsl.diagnostics import did_you_mean

from .frozen import positional_constructor

Box = tuple[float, float, float, float]  # x, y, width, height in image pixels


def _frozen_scores(raw: Mapping[str, Any] | None, where: str,
                   known: frozenset[str] | None = None) -> Mapping[str, float]:
    if raw is None:
        return _EMPTY
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be an object of label scores, got {type(raw).__name__}")
    out: dict[str, float] = {}
    for key, value in raw.items():
        cls = type(value)
        if cls is not float:
            if cls is bool or not isinstance(value, (int, float)):
                raise ValueError(f"{where}: score for `{key}` must be a number, got {value!r}")
            value = float(value)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{where}: score for `{key}` must be between 0 and 1, got {value!r}")
        if known is not None:
            if key not in known:
                raise ValueError(_not_a_label(key, where, known))
        elif type(key) is not str or ":" not in key:
            raise ValueError(f"{where}: `{key}` is not a `category:value` label")
        out[key] = value
    return MappingProxyType(out)


_EMPTY: Mapping[str, float] = MappingProxyType({})


def _not_a_label(key: Any, where: str, known: frozenset[str]) -> str:
    """A misspelt label would silently count as "not observed"; name the nearest real one."""
    hint = did_you_mean(str(key), sorted(known))
    return f"{where}: `{key}` is not a label of this engine" + (f"; {hint}" if hint else
                                                                f" (known: {', '.join(sorted(known))})")


_PERSON_FIELDS = frozenset({"labels", "box", "image"})


@dataclass(frozen=True, slots=True)
class Person:
    """One detected person; labels scoped to them serve `person(...)` rules."""

    labels: Mapping[str, float]
    box: Box | None = None
    image: int = 0  # index into the request's images

    @classmethod
    def from_json(cls, raw: Mapping[str, Any], where: str = "person",
                  known: frozenset[str] | None = None) -> "Person":
        if not isinstance(raw, Mapping):
            raise ValueError(f"{where} must be an object with `labels` and optionally `box`")
        if not _PERSON_FIELDS.issuperset(raw):
            extra = sorted(set(raw) - _PERSON_FIELDS, key=str)[0]
            raise ValueError(f"{where}: unknown field `{extra}` (expected `labels`, `box`, `image`)")
        box = raw.get("box")
        if box is not None:
            if (not isinstance(box, (list, tuple)) or len(box) != 4
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in box)):
                raise ValueError(f"{where}.box must be [x, y, width, height]")
            box = tuple(float(v) for v in box)
        image = raw.get("image", 0)
        if not isinstance(image, int) or isinstance(image, bool) or image < 0:
            raise ValueError(f"{where}.image must be a non-negative image index")
        return cls(_frozen_scores(raw.get("labels"), f"{where}.labels", known), box, image)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"labels": dict(self.labels)}
        if self.box is not None:
            out["box"] = list(self.box)
        if self.image:
            out["image"] = self.image
        return out


_OBS_FIELDS = frozenset({"labels", "persons", "unknown"})
_NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Observations:
    """Image-level label scores plus any detected persons."""

    labels: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    persons: tuple[Person, ...] = ()
    # Labels a detector could not produce when the decision was made: replaying keeps them unknown.
    unknown: frozenset[str] = frozenset()

    @classmethod
    def from_json(cls, raw: Mapping[str, Any] | None, where: str = "observations",
                  known: frozenset[str] | None = None) -> "Observations":
        """`known`, when given, is the label vocabulary: any other label is refused by name."""
        if raw is None:
            return cls()
        if type(raw) is not dict and not isinstance(raw, Mapping):
            raise ValueError(f"{where} must be an object with `labels` and/or `persons`")
        if not _OBS_FIELDS.issuperset(raw):
            extra = sorted(set(raw) - _OBS_FIELDS)[0]
            raise ValueError(f"{where}: unknown field `{extra}` (expected `labels`, `persons`, `unknown`)")
        persons_raw = raw.get("persons")
        persons: tuple[Person, ...] = ()
        if persons_raw:
            if not isinstance(persons_raw, list):
                raise ValueError(f"{where}.persons must be a list")
            persons = tuple(Person.from_json(p, f"{where}.persons[{i}]", known) for i, p in enumerate(persons_raw))
        unknown: frozenset[str] = _NOTHING
        unknown_raw = raw.get("unknown")
        if unknown_raw:
            if not isinstance(unknown_raw, (list, tuple)) or not all(isinstance(k, str) and ":" in k
                                                                     for k in unknown_raw):
                raise ValueError(f"{where}.unknown must be a list of `category:value` labels")
            unknown = frozenset(unknown_raw)
            if known is not None and not unknown <= known:
                raise ValueError(_not_a_label(min(unknown - known), f"{where}.unknown", known))
        make = _make_observations if cls is Observations else cls
        return make(_frozen_scores(raw.get("labels"), f"{where}.labels", known), persons, unknown)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"labels": dict(self.labels)}
        if self.persons:
            out["persons"] = [p.to_json() for p in self.persons]
        if self.unknown:
            out["unknown"] = sorted(self.unknown)
        return out

    def merged(self, other: "Observations") -> "Observations":
        """These observations with `other`'s added; on a clash the higher score wins."""
        labels = dict(self.labels)
        for key, score in other.labels.items():
            if score > labels.get(key, -1.0):
                labels[key] = score
        return Observations(MappingProxyType(labels), self.persons + other.persons, self.unknown | other.unknown)


_make_observations = positional_constructor(Observations)
