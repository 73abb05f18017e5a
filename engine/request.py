"""The request a decision is made for: who asks, from where, for what.

A field the caller leaves out is *unknown*, not a default: a deny or review
rule that depends on it counts as matched (fail closed).  Only `date`
defaults, to today in the request's place (`time_zones`), because rules in
force are always judged on some day.  `locale` (a BCP 47 tag such as `pt-BR`)
chooses the language of the messages a decision carries (`jurist.dsl.languages`).
`stage` says which moment is checked: `input` (the prompt and the user's uploads,
before generating) or `output` (`images` are what the generator made); left out,
a rule that tests it counts as matched for deny and review, like any field.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from collections.abc import Mapping
from typing import Any

from jurist.dsl.languages import canonical_tag, is_well_formed
from jurist.dsl.places import countries, country_of, subdivisions

from .frozen import positional_constructor
from .observations import Observations
from .vocabulary import FIELDS, SCHEMA

# Far above any real image prompt; bounds the prompt detector's work (a 1 MB prompt took ~1 s).
MAX_PROMPT_CHARS = 20_000
_KNOWN = frozenset({"action", "country", "region", "user", "surface", "date", "prompt", "images", "observations",
                    "locale", "stage"})


class RequestError(ValueError):
    """The request is malformed; the message names the field and what was wrong."""


@dataclass(frozen=True, slots=True)
class Request:
    action: str | None = None
    country: str | None = None
    region: str | None = None
    tier: str | None = None
    surface: str | None = None
    date: dt.date | None = None
    prompt: str = ""
    images: tuple[str, ...] = ()
    observations: Observations | None = None  # given scores: simulation
    locale: str | None = None  # BCP 47, canonical case: the language messages are chosen in
    stage: str | None = None   # `input` (prompt and uploads, before generating) or `output` (the generated images)

    @classmethod
    def from_json(cls, raw: object) -> Request:
        """Parse and check a request's JSON form; raises `RequestError` naming the first problem."""
        try:
            return cls._checked(raw)
        except RecursionError:  # a caller's value nested deeper than Python's recursion limit, shown in an error
            raise RequestError("the request is nested too deeply to read") from None

    @classmethod
    def _checked(cls, raw: object) -> Request:
        if type(raw) is not dict and not isinstance(raw, Mapping):
            raise RequestError(f"a request is a JSON object, got {type(raw).__name__}")
        if not _KNOWN.issuperset(raw):
            unknown = raw.keys() - _KNOWN
            name = sorted(unknown)[0]
            raise RequestError(f"unknown request field `{name}` (known: {', '.join(sorted(_KNOWN))})")
        get = raw.get
        country = get("country")
        region = get("region")
        if country is not None:
            if type(country) is not str or country not in _COUNTRIES:
                country = _code(country, "country")
                if country not in _COUNTRIES:
                    raise RequestError(f"country: `{country}` is not an ISO 3166-1 alpha-2 code")
        if region is not None:
            region = _code(region, "region")
            if region not in subdivisions():
                raise RequestError(f"region: `{region}` is not an ISO 3166-2 subdivision code")
            if country is None:
                country = country_of(region)
            elif country_of(region) != country:
                raise RequestError(f"region: `{region}` is not in country `{country}`")
        tier = None
        user = get("user")
        if user is not None:
            if not isinstance(user, Mapping):
                raise RequestError("user must be an object such as {\"tier\": \"paid\"}")
            if not _USER_FIELDS.issuperset(user):
                name = sorted(set(user) - _USER_FIELDS, key=str)[0]
                raise RequestError(f"unknown field `user.{name}` (known: user.tier)")
            tier = _closed(user.get("tier"), "user.tier")
        date = get("date")
        if date is not None:
            date = parse_date(date)
        prompt = get("prompt")
        if prompt is None:
            prompt = ""
        elif type(prompt) is not str:
            raise RequestError(f"prompt must be a text, got {type(prompt).__name__}")
        elif len(prompt) > MAX_PROMPT_CHARS:
            raise RequestError(f"prompt is {len(prompt):,} characters, over the limit of {MAX_PROMPT_CHARS:,}")
        images = get("images")
        if images is None:
            images = ()
        elif not isinstance(images, (list, tuple)) or not all(isinstance(i, str) for i in images):
            raise RequestError("images must be a list of file paths or data URLs")
        else:
            images = tuple(images)
        obs = get("observations")
        if obs is not None:
            try:
                obs = Observations.from_json(obs, known=_LABELS)
            except ValueError as exc:
                raise RequestError(str(exc)) from None
        action, surface, locale, stage = get("action"), get("surface"), get("locale"), get("stage")
        if locale is not None:
            locale = parse_locale(locale)
        make = _make_request if cls is Request else cls  # requests are built per decision: the fast path
        return make(action if action is None else _closed(action, "action"), country, region, tier,
                    surface if surface is None else _closed(surface, "surface"), date, prompt, images, obs, locale,
                    stage if stage is None else _closed(stage, "stage"))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("action", "country", "region", "surface", "stage"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.tier is not None:
            out["user"] = {"tier": self.tier}
        if self.date is not None:
            out["date"] = self.date.isoformat()
        if self.prompt:
            out["prompt"] = self.prompt
        if self.images:
            out["images"] = list(self.images)
        if self.observations is not None:
            out["observations"] = self.observations.to_json()
        if self.locale is not None:
            out["locale"] = self.locale
        return out

    @classmethod
    def loads(cls, text: str) -> "Request":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RequestError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
        except RecursionError:  # json's decoder recurses once per level of nesting
            raise RequestError("not valid JSON: nested too deeply") from None
        except ValueError:  # an integer literal longer than Python converts (sys.get_int_max_str_digits)
            raise RequestError(f"not valid JSON: a number with over {sys.get_int_max_str_digits():,} digits") from None
        return cls.from_json(raw)


_make_request = positional_constructor(Request)
_COUNTRIES = countries()
_USER_FIELDS = frozenset({"tier"})
_LABELS = frozenset(SCHEMA.labels)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: Any) -> dt.date:
    """A request's `date`: strictly `YYYY-MM-DD` (the GUI checks its form field with this too)."""
    if not isinstance(value, str):
        raise RequestError("date must be a text YYYY-MM-DD")
    if not _ISO_DATE.fullmatch(value):
        raise RequestError(f"date: `{value}` is not a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RequestError(f"date: `{value}` is not a date YYYY-MM-DD") from None


def parse_locale(value: Any) -> str:
    """A request's `locale`: a BCP 47 language tag (`pt`, `pt-BR`), returned in its canonical case."""
    if not isinstance(value, str) or not is_well_formed(value):
        hint = f"; did you mean `{value.replace('_', '-')}`?" if isinstance(value, str) and "_" in value else ""
        raise RequestError(f"locale: `{value}` is not a BCP 47 language tag such as `pt-BR`{hint}")
    return canonical_tag(value)


def _code(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise RequestError(f"{name} must be a text code such as \"GB\"")
    return value.strip().upper()


def _closed(value: Any, name: str) -> str | None:
    if value is None:
        return None
    allowed = FIELDS[name]
    if not isinstance(value, str) or value not in allowed:
        raise RequestError(f"{name}: `{value}` is not one of {', '.join(allowed)}")
    return value
