"""The persons a dependent detector works on: those `faces` found upstream.

The engine matches persons from several detectors by `(image, box)`, so
dependent detectors answer with exactly the boxes they were given, once each,
in the order given.
"""
from __future__ import annotations

from jurist.engine.observations import Observations, Person


def upstream_persons(upstream: Observations) -> list[Person]:
    """Persons with a box, first occurrence of each `(image, box)` only."""
    seen: set[tuple[int, tuple[float, ...]]] = set()
    out: list[Person] = []
    for person in upstream.persons:
        if person.box is None:
            continue
        key = (person.image, tuple(person.box))
        if key not in seen:
            seen.add(key)
            out.append(person)
    return out
