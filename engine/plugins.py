"""Detectors shipped as packages: the `jurist.detectors` entry-point group.

A platform that has its own classifier ships it as a Python package whose
distribution declares an entry point in the group `jurist.detectors`:

    [project.entry-points."jurist.detectors"]
    open_nsfw = "jurist_open_nsfw:PLUGIN"

The entry point names a `DetectorPlugin`: the detector's spec (name, input,
cost), the labels it yields, the detectors it needs run first, and a factory
that builds the detector.  The engine then schedules it like the shipped
ones: rules compile against its labels, it runs only when a rule still needs
one of them, cheapest first, once per request, and any exception it raises
makes its labels unknown (fail closed).  See docs/detectors.md, "Plug-ins".

The module an entry point names is imported whenever the vocabulary is (every
`jurist` command, every `jurist.load`), so it must be cheap to import: import
models and heavy libraries inside `factory` or inside `detect`.

A plug-in may yield a label the engine already has (a second opinion on
`nudity:exposed`): the label's score is then the highest of its detectors'
scores.  A plug-in that wants its opinion to be able to *lower* a decision
yields a label of its own, and rules combine the two (`nudity:exposed
nsfw:explicit` in one rule needs both).  A plug-in that cannot be loaded, or
whose declaration is inconsistent, is left out and named in `PluginProblems`
(`jurist vocabulary` prints them); rules that use its labels then fail to
compile, so nothing is decided without it by accident.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from jurist.dsl.schema import DetectorSpec, LabelSpec

GROUP = "jurist.detectors"
DISABLE_VARIABLE = "JURIST_DETECTOR_PLUGINS"  # "0" or "off": load none (benchmarks of the shipped set)
INPUTS = ("prompt", "images")


@dataclass(frozen=True)
class DetectorPlugin:
    """What a plug-in declares.

    `spec.cost_ms` is its median cost per request on the reference machine,
    including what `requires` costs (it orders tests cheapest first).
    `labels` are the labels it yields, each with `detector == spec.name`;
    `person_level` only where it answers per person, for exactly the persons
    its `requires` found (same `(image, box)`, same order), as `age` does.
    `factory()` builds the detector: any object with `name` (equal to
    `spec.name`) and `detect(subject, upstream) -> Observations` (see
    `jurist.engine.detectors.base.Detector`).  It is called once per
    `default_detectors()`, and should not load a model: load it on the
    first `detect`.
    """

    spec: DetectorSpec
    labels: tuple[LabelSpec, ...]
    factory: Callable[[], Any]  # builds a `jurist.engine.detectors.base.Detector` (not imported here: see above)
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Discovered:
    """The plug-ins that loaded and are consistent, and what went wrong with the others."""

    plugins: tuple[DetectorPlugin, ...] = ()
    problems: tuple[str, ...] = ()


def discover(builtin_detectors: Iterable[DetectorSpec], builtin_labels: Iterable[LabelSpec],
             entry_points: Iterable[Any] | None = None) -> Discovered:
    """The installed plug-ins, checked against the built-in vocabulary and each other.

    `entry_points` defaults to those installed in the group `jurist.detectors`
    (none when the environment variable `JURIST_DETECTOR_PLUGINS` is `0` or `off`).
    """
    if entry_points is None:
        if os.environ.get(DISABLE_VARIABLE, "").strip().lower() in ("0", "off", "no", "false"):
            return Discovered()
        from importlib.metadata import entry_points as installed

        entry_points = sorted(installed(group=GROUP), key=lambda e: e.name)
    detectors = {d.name: d for d in builtin_detectors}
    labels: dict[str, LabelSpec] = {lab.key: lab for lab in builtin_labels}
    plugins: list[DetectorPlugin] = []
    problems: list[str] = []
    for entry in entry_points:
        where = f"detector plug-in `{getattr(entry, 'name', entry)}` ({getattr(entry, 'value', '?')})"
        try:
            plugin = entry.load()
        except Exception as exc:  # a broken package must not take every command down with it
            problems.append(f"{where} could not be loaded: {type(exc).__name__}: {exc}")
            continue
        problem = _inconsistency(plugin, detectors, labels)
        if problem:
            problems.append(f"{where}: {problem}; left out")
            continue
        plugins.append(plugin)
        detectors[plugin.spec.name] = plugin.spec
        for lab in plugin.labels:
            labels.setdefault(lab.key, lab)
    return Discovered(tuple(plugins), tuple(problems))


def _inconsistency(plugin: Any, detectors: Mapping[str, DetectorSpec], labels: Mapping[str, LabelSpec]) -> str:
    """Why `plugin` cannot be scheduled, or "" when it can."""
    if not isinstance(plugin, DetectorPlugin):
        return f"names {type(plugin).__name__}, not a jurist.engine.plugins.DetectorPlugin"
    spec = plugin.spec
    if not isinstance(spec, DetectorSpec) or not spec.name.isidentifier():
        return "its spec must be a DetectorSpec whose name is an identifier"
    if spec.name in detectors:
        return f"a detector named `{spec.name}` already exists"
    if spec.input not in INPUTS:
        return f"its input must be one of {', '.join(INPUTS)}, not `{spec.input}`"
    if not spec.cost_ms >= 0:
        return "its cost must be a number of milliseconds, at least 0"
    if not callable(plugin.factory):
        return "its factory is not callable"
    for dep in plugin.requires:
        if dep not in detectors:
            return f"it requires `{dep}`, which is not a detector"
        if detectors[dep].input != spec.input:
            return f"it requires `{dep}`, which looks at {detectors[dep].input}, not {spec.input}"
    if not plugin.labels:
        return "it yields no label"
    for lab in plugin.labels:
        if not isinstance(lab, LabelSpec) or lab.detector != spec.name:
            return f"label `{getattr(lab, 'key', lab)}` must be a LabelSpec naming detector `{spec.name}`"
        if not (lab.category.isidentifier() and lab.value.isidentifier()):
            return f"`{lab.key}` is not a `category:value` label of identifiers"
        if lab.person_level and not plugin.requires:
            return f"`{lab.key}` is person-level, but the plug-in requires no detector that finds persons"
        known = labels.get(lab.key)
        if known is not None and lab.person_level and not known.person_level:
            return f"`{lab.key}` is an image-level label; a second detector cannot make it person-level"
    return ""
