"""Checks on what users type: names, codes, roles and source files, before the store is touched.

Each refusal is an InvalidInput naming the bad value and what would be
accepted, so a bad import or a typo writes nothing anywhere.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Mapping, Sequence

from jurist.db.errors import InvalidInput
from jurist.db.workflow import ROLES
from jurist.db.safetext import require_plain, shown

if TYPE_CHECKING:
    from jurist.db.records import SourcesCheck

_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_RULESET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
USER_NAME_RULE = "letters, digits, `.`, `_`, `-`; at most 64"


def is_user_name(name: str) -> bool:
    return _USER_NAME.fullmatch(name) is not None


def validate_user_name(name: str) -> str:
    """`name` if it may be a user's name; InvalidInput otherwise."""
    if not is_user_name(name):
        raise InvalidInput(f"`{shown(name)}` is not a valid user name ({USER_NAME_RULE})")
    return name


def validate_ruleset_name(name: str) -> str:
    """`name` if it may be a ruleset's name; InvalidInput otherwise."""
    if not _RULESET_NAME.fullmatch(name):
        raise InvalidInput(f"`{shown(name)}` is not a valid ruleset name (letters, digits, `.`, `_`, `-`)")
    return name


def validate_token_name(name: str) -> str:
    """`name` if it may name an API token (as a user's name may); InvalidInput otherwise."""
    if not is_user_name(name):
        raise InvalidInput(f"`{shown(name)}` is not a valid token name ({USER_NAME_RULE})")
    return name


def validate_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role `{shown(role)}`; choose one of {', '.join(ROLES)}")
    return role


def validate_jurisdictions(codes: Sequence[str]) -> list[str]:
    """ISO 3166 country or subdivision codes, as the DSL's `jurisdiction` header takes them."""
    from jurist.dsl.places import is_country, is_subdivision

    out: list[str] = []
    for code in codes:
        if not (is_country(code) or is_subdivision(code)):
            hint = f" (codes are upper case: `{code.upper()}`)" if is_country(code.upper()) or \
                is_subdivision(code.upper()) else " (an ISO 3166 code such as `GB` or `US-CA`)"
            raise InvalidInput(f"`{shown(code)}` is not a country or region code{hint}")
        if code not in out:
            out.append(code)
    return out


def validate_sources(sources: Mapping[str, str]) -> dict[str, str]:
    """A version's files: relative paths without `..`, plain names, text without NUL."""
    if not sources:
        raise InvalidInput("a version needs at least one source file")
    clean: dict[str, str] = {}
    for path, text in sources.items():
        if not isinstance(path, str) or not path or path.startswith("/") or ".." in path.split("/") or "\\" in path:
            raise InvalidInput(f"`{shown(path)}` is not a valid source file name (a relative path like "
                               "`gb/rules.policy`)")
        require_plain(path, f"the file name `{path}`")
        if not isinstance(text, str):
            raise InvalidInput(f"`{path}`: source text must be a string")
        if "\x00" in text:
            raise InvalidInput(f"`{path}`: source text contains a NUL character")
        clean[path] = text
    return clean


def check_jurisdictions(ruleset: str, sources: Mapping[str, str], codes: Sequence[str],
                        check: "SourcesCheck | None") -> None:
    """Refuse rules confined to places outside the ruleset's jurisdictions (none declared: any place).

    A rule for `US-CA` is inside `US`, one for `GB-GLG` inside `GB-SCT`; a rule
    for every country is inside any ruleset.  Needs the compile check (the
    store does not know the language) and sources that compile; otherwise
    submitting checks again, since only compiling sources enter review.
    """
    if not codes or check is None:
        return
    from jurist.dsl.places import country_of, enclosing

    result = check(sources)
    for rule_id, source, places in result.rule_places:
        outside = [p for p in places or () if not any(p == c or c in enclosing(p) or country_of(p) == c
                                                      for c in codes)]
        if outside:
            raise InvalidInput(f"{shown(source)}: rule `{shown(rule_id)}` applies in {', '.join(outside)}, outside "
                               f"ruleset `{ruleset}`'s jurisdictions ({', '.join(codes)}); put it in a ruleset for "
                               f"{', '.join(outside)}, or create this ruleset with those jurisdictions too")
