"""Languages: BCP 47 tags, the order a request's locale is matched in, and the CLDR's official languages.

A rule writes `message "..."` (untagged, the default) and `message pt "..."`,
`message pt-BR "..."`; a request asks with its `locale`.  The match is BCP 47
lookup (RFC 4647, 3.4): the locale as given, then shorter by one subtag at a
time (`pt-BR` → `pt`), then the untagged message, then the English one, then
the first written.  Which languages a place needs messages in comes from the
CLDR's territory data through Babel, never from a table of our own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Mapping

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")

ENGLISH = "en"
"""The language an untagged `message "..."` is taken to be in when judging translations."""


def is_well_formed(tag: str) -> bool:
    """Whether `tag` has the shape of a BCP 47 tag (`pt`, `pt-BR`, `zh-Hant-TW`); not whether it is known."""
    return LANGUAGE_TAG.fullmatch(tag) is not None


def canonical_tag(tag: str) -> str:
    """A tag in its conventional case: language lower, script title, region upper (`zh-hant-tw` → `zh-Hant-TW`)."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def is_known(tag: str) -> bool:
    """Whether the CLDR knows the tag's language (and script and region), through Babel."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def lookup_chain(locale: str) -> tuple[str, ...]:
    """The tags tried for a locale, longest first: `zh-Hant-TW` → zh-Hant-TW, zh-Hant, zh."""
    parts = canonical_tag(locale).split("-")
    return tuple("-".join(parts[:n]) for n in range(len(parts), 0, -1))


def choose(messages: Mapping[str, str], default: str | None, locale: str | None) -> str | None:
    """The message for `locale` among a rule's tagged `messages`, else `default` (see the module's chain)."""
    if locale is not None and messages:
        for tag in lookup_chain(locale):
            found = messages.get(tag)
            if found is not None:
                return found
    return default


def primary(tags: Iterable[str]) -> set[str]:
    """The language subtags of `tags`: `pt-BR` counts as Portuguese."""
    return {canonical_tag(tag).split("-")[0] for tag in tags}


@lru_cache(maxsize=None)
def official_languages(country: str) -> tuple[str, ...]:
    """The languages official in a country, in law or in fact, from the CLDR's territory data
    (through Babel): `BE` → nl, fr, de.  Regional ones (Catalan in ES) are not included."""
    from babel.languages import get_official_languages

    return tuple(get_official_languages(country, de_facto=True))


def language_name(tag: str) -> str:
    """`fr` → French, for messages; the tag itself when the CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-").english_name or tag
    except (ValueError, UnknownLocaleError):
        return tag
