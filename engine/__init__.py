"""The Jurist engine: requests in, decisions out, detectors run only when needed."""
from __future__ import annotations

from .decision import Decision, DetectorRun, MatchedRule, TraceStep
from .limits import ImageLimits
from .observations import Observations, Person
from .observed import Observed
from .policy import Policy
from .request import Request, RequestError

__all__ = ["Decision", "DetectorRun", "ImageLimits", "MatchedRule", "Observations", "Observed", "Person", "Policy",
           "Request", "RequestError", "TraceStep"]
