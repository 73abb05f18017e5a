"""Jurist: a policy engine for AI image generation.

    import jurist
    policy = jurist.load("rulesets/")            # a .policy file, a directory, or a store URL
    decision = policy.decide({"country": "GB", "action": "generate", ...})
    decision.effect, decision.rules, decision.explain()
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Mapping

from jurist.dsl import CompileError, CompileResult, Diagnostic
from jurist.dsl import compile_sources as _compile_sources
from jurist.engine import Decision, Policy, Request, RequestError
from jurist.engine.limits import ImageLimits
from jurist.engine.vocabulary import SCHEMA

if TYPE_CHECKING:  # the detectors' own modules load OpenCV and onnxruntime
    from jurist.engine.detectors.base import Detector

__all__ = ["CompileError", "CompileResult", "Decision", "Diagnostic", "Policy", "Request", "RequestError",
           "compile_sources", "load"]


def compile_sources(sources: Mapping[str, str], *, analyse: bool = False) -> CompileResult:
    """Compile {file name: text} against the engine's label vocabulary; `analyse` adds the solver's warnings."""
    return _compile_sources(sources, SCHEMA, analyse=analyse)


def load(target: str | os.PathLike[str], *, detectors: Mapping[str, Detector] | None = None,
         trust_observations: bool = False, image_limits: ImageLimits | None = None) -> Policy:
    """A Policy from a `.policy` file, a directory of them, or a store URL `…#ruleset-name`.

    Store URLs (`sqlite:///path.db#global`, `postgresql+psycopg://…#global`)
    load the ruleset's published version, refusing one whose content no longer
    matches its hash.  Raises `CompileError` with every diagnostic on bad rules.
    The keywords are `Policy`'s: detectors to use instead of the shipped ones,
    whether caller observations are taken as given, and per-request image limits.
    """
    text = os.fspath(target)
    if "://" in text:
        from jurist.db.loader import published_version

        served = published_version(text)  # decisions name it `global@v3`, with the sources' hash
        return Policy.from_sources(served.sources, served.origin, detectors=detectors,
                                   trust_observations=trust_observations, image_limits=image_limits, name=served.label)
    return Policy.from_path(text, detectors=detectors, trust_observations=trust_observations,
                            image_limits=image_limits)
