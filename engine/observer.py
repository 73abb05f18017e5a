"""Label scores for one request, computed lazily and at most once.

The observer is the only place detectors run.  A score comes from the
request's own observations when given (simulation, replay, caller-only
facts), except for labels a detector yields from the prompt or images the
request carries: those are always detected (see `checked_by_detectors`).
Otherwise it comes from the detector that yields the label, run the first
time any label of it is asked for.  A detector that cannot run makes its labels *unknown* (None), which the
evaluator treats as matched for deny and review rules: fail closed.
"""
from __future__ import annotations

import time
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from jurist.dsl.schema import LabelSchema

from .decision import DetectorRun
from .detection_memo import DetectionMemo, input_key
from .detector_set import DetectorSet
from .observations import Box, Observations, Person
from .request import Request

if TYPE_CHECKING:
    from .detectors.base import DecodedImage, DetectionInput

_NONE: frozenset[str] = frozenset()


def checked_by_detectors(request: Request, schema: LabelSchema) -> Observations | None:
    """The request's own observations, less every label a detector yields from the prompt or images it carries.

    A caller's scores are not evidence against the request's own inputs: the
    astronaut photo sent with `subject:real_person: 0` is checked by the face
    detector all the same, and a truncated photo fails closed.  Caller scores
    fill only labels no detector could yield here: context labels such as
    `subject:consenting_self`, and image labels when no image is sent.  A
    policy built with `trust_observations=True` uses them as given instead.
    """
    given = request.observations
    if given is None or not (request.prompt or request.images):
        return given
    inputs = {"prompt"} if request.prompt else set()
    if request.images:
        inputs.add("images")
    yielded = frozenset(k for k, spec in schema.labels.items() if schema.detectors[spec.detector].input in inputs)
    return given.without(yielded)


class Observer:
    """Scores and persons for one request; records which detectors ran and how long they took."""

    __slots__ = ("request", "schema", "_detectors", "_given", "_outputs", "_failed", "_scores",
                 "runs", "_images", "_image_error", "_memo", "_keys")

    def __init__(self, request: Request, schema: LabelSchema, detectors: DetectorSet, *,
                 trust_observations: bool = False, memo: DetectionMemo | None = None):
        self.request = request
        self._memo = memo
        self._keys: dict[str, str | None] = {}
        self.schema = schema
        self._detectors = detectors
        given = request.observations
        if given is not None and not trust_observations and (request.prompt or request.images):
            given = checked_by_detectors(request, schema)
        self._given = given
        self._outputs: dict[str, Observations] = {}
        self._failed: dict[str, str] = {}
        self._scores: dict[str, float | None] = {}
        self.runs: list[DetectorRun] = []
        self._images: tuple[DecodedImage, ...] | None = None
        self._image_error: str | None = None

    # --- observing ahead of a decision ------------------------------------

    def observe(self, labels: Iterable[str]) -> None:
        """Run now, cheapest first, every detector that yields one of `labels` and has an input to look at."""
        schema = self.schema
        names = {d for k in labels for d in self._sources(k)}
        for name in sorted(names, key=lambda d: (schema.detectors[d].cost_ms, d)):
            self._run(name)

    @property
    def given(self) -> Observations | None:
        """The caller's observations, as this observer reads them."""
        return self._given

    @property
    def outputs(self) -> Mapping[str, Observations]:
        """What each detector that ran yielded, by detector name."""
        return MappingProxyType(self._outputs)

    @property
    def failures(self) -> Mapping[str, str]:
        """Why each detector that could not run failed, by detector name."""
        return MappingProxyType(self._failed)

    # --- scores -----------------------------------------------------------

    def score(self, key: str) -> float | None:
        """The image-level score of a label: the highest over the image and every person."""
        found = self._scores.get(key, -1.0)
        if found != -1.0:
            return found
        value = self._compute(key)
        self._scores[key] = value
        return value

    def _compute(self, key: str) -> float | None:
        """The highest score any of the label's detectors gives, or the caller's in place of its own detector.

        Unknown (None) when the caller records it so, or when any detector
        that yields it failed or could not tell (a prompt in a language the
        lexicon does not cover): fail closed, whatever the others say.
        """
        given = self._given
        best: float | None = None
        if given is not None:
            if key in given.unknown:
                return None
            best = given.labels.get(key)
            for p in given.persons:
                s = p.labels.get(key)
                if s is not None and (best is None or s > best):
                    best = s
        sources = self._sources(key)
        for index, detector in enumerate(sources):
            if index == 0 and best is not None:
                continue  # the caller's score stands in for the label's own detector
            output = self._run(detector)
            if output is None:
                if detector in self._failed:
                    return None
                continue  # nothing for it to look at: it says nothing
            if key in output.unknown:
                return None
            found = output.labels.get(key, 0.0)
            for p in output.persons:
                found = max(found, p.labels.get(key, 0.0))
            if best is None or found > best:
                best = found
        return 0.0 if best is None else best

    def failure(self, key: str) -> str | None:
        """Why a label is unknown, for the decision's explanation."""
        if self._given is not None and key in self._given.unknown:
            return f"`{key}` is recorded as unknown in the given observations"
        for detector in self._sources(key):
            if detector in self._failed:
                return self._failed[detector]
            output = self._outputs.get(detector)
            if output is not None and key in output.unknown:
                return output.notes.get(key) or f"`{detector}` could not tell `{key}`"
        return None

    # --- persons ----------------------------------------------------------

    def unknown_among(self, keys: Sequence[str]) -> frozenset[str]:
        """Which of `keys` the given observations record as unknown (a replayed decision's gaps)."""
        given = self._given
        if given is None or not given.unknown:
            return _NONE
        return given.unknown.intersection(keys)

    def persons(self, keys: Sequence[str]) -> tuple[Person, ...] | None:
        """Every detected or given person, with the labels `keys` need; None if a needed detector failed."""
        needed = {d for k in keys for d in self._sources(k)}
        given = self._given
        if given is not None and given.persons and all(any(k in p.labels for p in given.persons) for k in keys):
            return given.persons
        outputs: list[Observations] = []
        for name in sorted(needed, key=lambda d: self.schema.detectors[d].cost_ms):
            if self._nobody_for(name):
                continue  # it answers only for the persons its requirements find, and they found none
            out = self._run(name)
            if out is None and name in self._failed:
                return None
            if out is not None:
                outputs.append(out)
        return _merge_persons((given.persons if given is not None else ()), [o.persons for o in outputs])

    def _sources(self, key: str) -> tuple[str, ...]:
        """The detectors that yield `key` here: its own, and the others this observer's set offers."""
        sources = self.schema.detectors_of(key)
        if len(sources) < 2:
            return sources
        offers = self._detectors.offers
        return sources[:1] + tuple(d for d in sources[1:] if offers(d))

    def _nobody_for(self, name: str) -> bool:
        """Whether the detectors `name` requires ran and found no person (so a person test need not run it)."""
        requires = self._detectors.requires.get(name, ())
        if not requires or name in self._outputs or name in self._failed:
            return False
        for dep in requires:
            out = self._run(dep)
            if out is None or out.persons:
                return False  # failed (then `name` fails the same way) or found someone
        return True

    # --- detectors --------------------------------------------------------

    def _run(self, name: str) -> Observations | None:
        if name in self._outputs:
            return self._outputs[name]
        if name in self._failed:
            return None
        spec = self.schema.detectors.get(name)
        if spec is None or not self._has_input(spec.input):
            return None  # nothing to look at (context labels only the caller can state): absent means 0
        return self._detect(name, spec.input)

    def _has_input(self, kind: str) -> bool:
        request = self.request
        return bool(request.prompt) if kind == "prompt" else bool(request.images) if kind == "images" else False

    def _detect(self, name: str, kind: str) -> Observations | None:
        upstream = Observations()
        for dep in self._detectors.requires.get(name, ()):
            out = self._run(dep)
            if out is None and dep in self._failed:
                self._failed[name] = self._failed[dep]  # same cause; said once in the explanation
                return None
            if out is not None:
                upstream = upstream.merged(out)
        memo = self._memo
        key = None if memo is None else self._memo_key(kind)
        if memo is None or key is None:
            return self._detect_now(name, kind, upstream)
        seen = memo.get(name, key)
        if seen is None:
            output = self._detect_now(name, kind, upstream)
            memo.put(name, key, (output, self._failed.get(name), self.runs[-1]))
            return output
        output, failure, run = seen
        self.runs.append(run)
        if failure is not None:
            self._failed[name] = failure
            return None
        assert output is not None
        self._outputs[name] = output
        return output

    def _memo_key(self, kind: str) -> str | None:
        """What a detector of `kind` looks at, as the memo keys it (computed once per request and kind)."""
        if kind not in self._keys:
            from .detectors.intake import MAX_FILE_BYTES

            self._keys[kind] = input_key(kind, self.request.prompt, self.request.images, MAX_FILE_BYTES)
        return self._keys[kind]

    def _detect_now(self, name: str, kind: str, upstream: Observations) -> Observations | None:
        started = time.perf_counter()
        try:
            detector = self._detectors.get(name)
            subject = self._subject(kind)
            output = detector.detect(subject, upstream)
            if not isinstance(output, Observations):
                raise TypeError(f"returned {type(output).__name__}, not Observations")
        except Exception as exc:  # any failure means "could not check": fail closed
            reason = str(exc) or type(exc).__name__
            self._failed[name] = reason
            self.runs.append(DetectorRun(name, (time.perf_counter() - started) * 1000, False, reason))
            return None
        self.runs.append(DetectorRun(name, (time.perf_counter() - started) * 1000, True))
        self._outputs[name] = output
        return output

    def _subject(self, kind: str) -> DetectionInput:
        from .detectors.base import DetectionInput

        if kind == "prompt":
            return DetectionInput(self.request.prompt, ())
        if self._image_error is not None:
            raise RuntimeError(self._image_error)
        if self._images is None:
            try:
                self._images = self._detectors.load_images(self.request.images)
            except Exception as exc:
                self._image_error = f"image could not be checked: {exc}"
                raise RuntimeError(self._image_error) from None
        return DetectionInput(self.request.prompt, self._images)

    # --- record -------------------------------------------------------------

    def used(self) -> dict[str, Any]:
        """Every score the decision used, in the request's observation format (replayable).

        A replay against another ruleset may ask for labels this decision never looked at.
        Those are recorded too: known where a given observation or a detector that ran holds
        them, otherwise *unknown* when their detector had an input to look at (the replay
        then fails closed instead of reading a silent 0).
        """
        scores = self._scores
        given = self._given
        labels: dict[str, float] = {}
        if given is not None:  # the proxy's own copy() is a C-speed copy of its dict
            labels = given.labels.copy() if type(given.labels) is MappingProxyType else dict(given.labels)
        unknown: list[str] = []
        for key, value in scores.items():
            if value is None:
                unknown.append(key)
            else:
                labels[key] = value
        if given is not None and given.unknown:
            unknown.extend(k for k in given.unknown if k not in scores)
        request = self.request
        if request.prompt or request.images:
            unknown.extend(self._unlooked(labels, scores))
        out: dict[str, Any] = {"labels": labels}
        if self._outputs or (given is not None and given.persons):
            persons = self._persons_seen()
            if persons:
                out["persons"] = [p.to_json() for p in persons]
        if unknown:
            out["unknown"] = sorted(set(unknown))
        notes = self._notes(labels, unknown)
        if notes:
            out["notes"] = notes
        return out

    def _notes(self, labels: Mapping[str, float], unknown: Sequence[str]) -> dict[str, str]:
        """What the detectors that ran said about the labels recorded: the decision's evidence."""
        notes: dict[str, str] = dict(self._given.notes) if self._given is not None else {}
        for output in self._outputs.values():
            for key, text in output.notes.items():
                if key in labels or key in unknown:
                    notes.setdefault(key, text)
        return notes

    def _unlooked(self, labels: dict[str, float], scores: Mapping[str, float | None]) -> list[str]:
        """Labels not asked for: fill in those a detector already yielded, return those nobody checked."""
        unchecked = []
        schema = self.schema
        for key, spec in schema.labels.items():
            if key in scores or key in labels:
                continue
            sources = self._sources(key)
            pending = [d for d in sources if d not in self._outputs and self._has_input(schema.detectors[d].input)]
            if pending or any(key in self._outputs[d].unknown for d in sources if d in self._outputs):
                unchecked.append(key)
                continue
            outputs = [self._outputs[d] for d in sources if d in self._outputs]
            if outputs:
                labels[key] = max(max([o.labels.get(key, 0.0)] + [p.labels.get(key, 0.0) for p in o.persons])
                                  for o in outputs)
        return unchecked

    def _persons_seen(self) -> tuple[Person, ...]:
        given = self._given.persons if self._given is not None else ()
        return _merge_persons(given, [o.persons for o in self._outputs.values()])


def _merge_persons(given: Sequence[Person], detected: Sequence[Sequence[Person]]) -> tuple[Person, ...]:
    """Persons from several detectors are the same person when they share image and box."""
    merged: dict[tuple[int, Box], dict[str, float]] = {}
    order: list[tuple[int, Box]] = []
    boxes: dict[tuple[int, Box], Person] = {}
    anonymous: list[Person] = list(given)
    for group in detected:
        for p in group:
            if p.box is None:
                anonymous.append(p)
                continue
            key = (p.image, p.box)
            if key not in merged:
                merged[key] = {}
                order.append(key)
                boxes[key] = p
            for k, v in p.labels.items():
                if v > merged[key].get(k, -1.0):
                    merged[key][k] = v
    out = list(anonymous)
    out.extend(Person(MappingProxyType(merged[k]), boxes[k].box, boxes[k].image) for k in order)
    return tuple(out)
