"""The persons a dependent detector works on: those `faces` found upstream.

The engine matches persons from several detectors by `(image, box)`, so
dependent detectors answer with exactly the boxes they were given, once each,
in the order given.
"""
from __future__ import annotations

from typing import NamedTuple

from jurist.engine.observations import Box, Observations


class Located(NamedTuple):
    """A person found upstream: the image they are in, and their box in its frame strip."""

    image: int
    box: Box


def upstream_persons(upstream: Observations) -> list[Located]:
    """Persons with a box, first occurrence of each `(image, box)` only."""
    seen: set[Located] = set()
    out: list[Located] = []
    for person in upstream.persons:
        if person.box is None:
            continue
        key = Located(person.image, person.box)
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out
