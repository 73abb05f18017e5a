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
                raise ValueError(f"{where}: score for `{key}` must be a number, got {shown(value)}")
        if not 0.0 <= value <= 1.0:  # compared before float(): a huge integer would overflow
            raise ValueError(f"{where}: score for `{key}` must be between 0 and 1, got {shown(value)}")
        if cls is not float:
            value = float(value)
        if known is not None:
            if key not in known:
                raise ValueError(_not_a_label(key, where, known))
        elif type(key) is not str or ":" not in key:
            raise ValueError(f"{where}: `{key}` is not a `category:value` label")
        out[key] = value
    return MappingProxyType(out)


_EMPTY: Mapping[str, float] = MappingProxyType({})


def shown(value: Any) -> str:
    """A caller's value for an error message: short, and never failing on a huge number."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 12:
        if value.bit_length() > 13_000:  # str() refuses integers over 4,300 digits
            return "an integer with over 3,900 digits"
        return f"an integer with {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _box(raw: Any, where: str) -> Box:
    """`[x, y, width, height]`: finite numbers, the sizes not negative."""
    if not isinstance(raw, (list, tuple)) or len(raw) != 4:
        raise ValueError(f"{where}.box must be [x, y, width, height], got {shown(raw)}")
    out = []
    for name, v in zip(("x", "y", "width", "height"), raw):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (-_MAX_COORD <= v <= _MAX_COORD):
            raise ValueError(f"{where}.box: {name} must be a finite number, got {shown(v)}")
        if name in ("width", "height") and v < 0:
            raise ValueError(f"{where}.box: {name} must not be negative, got {shown(v)}")
        out.append(float(v))
    return (out[0], out[1], out[2], out[3])


_MAX_COORD = 1e9  # far beyond any image side the intake accepts; rejects NaN and infinities too


def _not_a_label(key: Any, where: str, known: frozenset[str]) -> str:
    """A misspelt label would silently count as "not observed"; name the nearest real one."""
    hint = did_you_mean(str(key), sorted(known))
    return f"{where}: `{key}` is not a label of this engine" + (f"; {hint}" if hint else
                                                                f" (known: {', '.join(sorted(known))})")


_PERSON_FIELDS = frozenset({"labels", "box", "image"})
_MAX_IMAGE_INDEX = 1 << 31


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
        box_raw = raw.get("box")
        box = None if box_raw is None else _box(box_raw, where)
        image = raw.get("image", 0)
        if not isinstance(image, int) or isinstance(image, bool) or not 0 <= image < _MAX_IMAGE_INDEX:
            raise ValueError(f"{where}.image must be an image index (0, 1, ...), got {shown(image)}")
        return cls(_frozen_scores(raw.get("labels"), f"{where}.labels", known), box, image)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"labels": dict(self.labels)}
        if self.box is not None:
            out["box"] = list(self.box)
        if self.image:
            out["image"] = self.image
        return out


_NO_NOTES: Mapping[str, str] = MappingProxyType({})
_OBS_FIELDS = frozenset({"labels", "persons", "unknown", "notes"})
_MAX_NOTE = 500  # characters: a note quotes evidence (a name in the prompt), never the input itself
_NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Observations:
    """Image-level label scores plus any detected persons."""

    labels: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    persons: tuple[Person, ...] = ()
    # Labels a detector could not produce when the decision was made: replaying keeps them unknown.
    unknown: frozenset[str] = frozenset()
    # A few words per label on what supports its score ("names a person: 'Taylor Swift'"), or, for an
    # unknown label, why it is unknown ("the prompt is in Thai, which the lexicon does not cover").
    notes: Mapping[str, str] = field(default_factory=lambda: _NO_NOTES)

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
            raise ValueError(f"{where}: unknown field `{extra}` (expected `labels`, `persons`, `unknown`, `notes`)")
        persons_raw = raw.get("persons")
        persons: tuple[Person, ...] = ()
        if persons_raw is not None:
            if not isinstance(persons_raw, (list, tuple)):
                raise ValueError(f"{where}.persons must be a list, got {type(persons_raw).__name__}")
            persons = tuple(Person.from_json(p, f"{where}.persons[{i}]", known) for i, p in enumerate(persons_raw))
        unknown: frozenset[str] = _NOTHING
        unknown_raw = raw.get("unknown")
        if unknown_raw is not None:
            if not isinstance(unknown_raw, (list, tuple)):
                raise ValueError(f"{where}.unknown must be a list of `category:value` labels, "
                                 f"got {type(unknown_raw).__name__}")
            if not all(isinstance(k, str) and ":" in k for k in unknown_raw):
                raise ValueError(f"{where}.unknown must be a list of `category:value` labels, "
                                 f"got {shown(list(unknown_raw))}")
            unknown = frozenset(unknown_raw)
            if known is not None and not unknown <= known:
                raise ValueError(_not_a_label(min(unknown - known), f"{where}.unknown", known))
        notes = _notes(raw.get("notes"), f"{where}.notes")
        make = _make_observations if cls is Observations else cls
        return make(_frozen_scores(raw.get("labels"), f"{where}.labels", known), persons, unknown, notes)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"labels": dict(self.labels)}
        if self.persons:
            out["persons"] = [p.to_json() for p in self.persons]
        if self.unknown:
            out["unknown"] = sorted(self.unknown)
        if self.notes:
            out["notes"] = dict(self.notes)
        return out

    def without(self, keys: frozenset[str]) -> Observations:
        """These observations with nothing said about `keys`: no score, for the image or any person, and not unknown."""
        if not (keys.intersection(self.labels) or keys & self.unknown
                or any(keys.intersection(p.labels) for p in self.persons)):
            return self
        labels = MappingProxyType({k: v for k, v in self.labels.items() if k not in keys})
        persons = tuple(Person(MappingProxyType({k: v for k, v in p.labels.items() if k not in keys}), p.box, p.image)
                        for p in self.persons)
        notes = MappingProxyType({k: v for k, v in self.notes.items() if k not in keys}) if self.notes else self.notes
        return Observations(labels, persons, self.unknown - keys, notes)

    def merged(self, other: "Observations") -> "Observations":
        """These observations with `other`'s added; on a clash the higher score wins."""
        labels = dict(self.labels)
        for key, score in other.labels.items():
            if score > labels.get(key, -1.0):
                labels[key] = score
        notes = self.notes
        if other.notes:
            notes = MappingProxyType({**other.notes, **self.notes})
        return Observations(MappingProxyType(labels), self.persons + other.persons, self.unknown | other.unknown,
                            notes)


def _notes(raw: Any, where: str) -> Mapping[str, str]:
    if raw is None:
        return _NO_NOTES
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be an object of `category:value` labels to short texts")
    for key, value in raw.items():
        if not isinstance(key, str) or ":" not in key:
            raise ValueError(f"{where}: `{shown(key)}` is not a `category:value` label")
        if not isinstance(value, str) or len(value) > _MAX_NOTE:
            raise ValueError(f"{where}: the note for `{key}` must be text of at most {_MAX_NOTE} characters")
    return MappingProxyType(dict(raw))


_make_observations = positional_constructor(Observations)
