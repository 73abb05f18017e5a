"""Shared helpers for the language, compiler and engine tests (a plain module, so its name cannot
clash with the other test folders' conftest files)."""
from __future__ import annotations

import textwrap

import jurist
from jurist.engine.observations import Observations


def compile_text(text: str, name: str = "test.policy"):
    return jurist.compile_sources({name: textwrap.dedent(text)})


def policy(text: str, name: str = "test.policy", **kw) -> jurist.Policy:
    return jurist.Policy.from_sources({name: textwrap.dedent(text)}, **kw)


def request(**fields):
    """A fully specified request (no unknown fields) with the given overrides."""
    base = {"action": "generate", "country": "FR", "user": {"tier": "free"}, "surface": "app", "date": "2026-06-01"}
    labels = fields.pop("labels", None)
    persons = fields.pop("persons", None)
    base.update(fields)
    if labels is not None or persons is not None:
        base["observations"] = {"labels": labels or {}, "persons": persons or []}
    return base


class CountingDetector:
    """A test double that records how often the engine asks it for labels."""

    def __init__(self, name: str, labels: dict[str, float], fail: str | None = None):
        self.name, self.labels, self.fail, self.calls = name, labels, fail, 0

    def detect(self, subject, upstream):
        self.calls += 1
        if self.fail:
            raise RuntimeError(self.fail)
        return Observations(dict(self.labels))
