"""The label vocabulary the compiler validates rules against.

The compiler does not know any detector: the engine declares which
`category:value` labels exist, which detector yields each, and what that
detector costs, and hands that schema to the compiler.  Keeping the types here
(and the instance in `jurist.engine.vocabulary`) lets `dsl` stay free of
detector code while still ordering tests cheapest first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping


@dataclass(frozen=True, slots=True)
class DetectorSpec:
    """A source of label scores and what one run of it costs, in milliseconds."""

    name: str
    cost_ms: float
    input: str  # "context" (given by the caller), "prompt" or "images"
    description: str = ""


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """One `category:value` label and the detector that yields it."""

    category: str
    value: str
    detector: str
    description: str = ""
    person_level: bool = False  # the detector can attribute it to one detected person

    @property
    def key(self) -> str:
        return f"{self.category}:{self.value}"


@dataclass(frozen=True)
class LabelSchema:
    """The declared vocabulary: labels by key and detectors by name.

    A label may be yielded by several detectors (a prompt that names a person
    and a face in the image both say `subject:real_person`; a plug-in may give
    a second opinion on `nudity:exposed`).  The first declaration is the
    label's own detector (`LabelSpec.detector`); `sources` lists every
    detector that yields it, that one first.  The engine takes the highest of
    their scores.
    """

    labels: Mapping[str, LabelSpec]
    detectors: Mapping[str, DetectorSpec]
    default_threshold: float = 0.5
    # request fields with a closed set of values, e.g. {"action": ("generate", "edit")}
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # what a rule may oblige the caller to do (`obligate KIND "..."`), kind → description
    obligations: Mapping[str, str] = field(default_factory=dict)
    _by_category: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, detectors: Iterable[DetectorSpec], labels: Iterable[LabelSpec],
              fields: Mapping[str, Iterable[str]] | None = None,
              default_threshold: float = 0.5, obligations: Mapping[str, str] | None = None) -> "LabelSchema":
        dets = {d.name: d for d in detectors}
        labs: dict[str, LabelSpec] = {}
        sources: dict[str, list[str]] = {}
        for lab in labels:
            if lab.detector not in dets:
                raise ValueError(f"label `{lab.key}` names unknown detector `{lab.detector}`")
            if lab.key not in labs:
                labs[lab.key] = lab
                sources[lab.key] = [lab.detector]
            elif lab.detector not in sources[lab.key]:
                sources[lab.key].append(lab.detector)
        by_cat: dict[str, list[str]] = {}
        for lab in labs.values():
            by_cat.setdefault(lab.category, []).append(lab.value)
        closed = {k: tuple(v) for k, v in (fields or {}).items()}
        return cls(labs, dets, default_threshold, closed, dict(obligations or {}),
                   {k: tuple(v) for k, v in by_cat.items()}, {k: tuple(v) for k, v in sources.items()})

    @property
    def categories(self) -> Mapping[str, tuple[str, ...]]:
        return self._by_category

    def detector_of(self, label_key: str) -> str | None:
        """The label's own detector (the first to declare it)."""
        spec = self.labels.get(label_key)
        return spec.detector if spec else None

    def detectors_of(self, label_key: str) -> tuple[str, ...]:
        """Every detector that yields the label, its own first; () for an unknown label."""
        found = self.sources.get(label_key)
        if found is not None:
            return found
        spec = self.labels.get(label_key)
        return (spec.detector,) if spec else ()
