"""Rules named on a command line, as their sources: a directory or file, or a store version.

A backtest compiles the same sources in several processes (or Ray workers),
so what travels is the text, with the name reports give it, not a compiled
policy.  Store versions are read through the same checks as `jurist.load`:
the sources against their hash, and the hash against the audit log.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

from jurist.engine import Policy

STORE_ALIAS = "store"  # `store#global@v3`: the store --db names (default: $JURIST_DB, else the per-user store)


@dataclass(frozen=True, slots=True)
class NamedRules:
    """A ruleset's sources and the name reports call it by (`rulesets/`, `global@v3`)."""

    name: str
    sources: Mapping[str, str]

    def policy(self) -> Policy:
        """The sources compiled; raises `CompileError` with every diagnostic."""
        return Policy.from_sources(dict(self.sources), self.name, name=self.name)


def load_rules(spec: str, db: str | None = None) -> NamedRules:
    """`spec` is a `.policy` file or directory, `URL#name` (the published version), `URL#name@vN`
    (version N, in any state), or `store#…` for the store `db` names.

    Raises the store's NotFound/NothingPublished/TamperedVersion, or SourceError for a path.
    """
    target = store_target(spec, db)
    if target is not None:
        return _from_store(*target)
    from jurist.dsl import read_sources

    return NamedRules(os.fspath(spec), read_sources(spec))


def store_target(spec: str, db: str | None = None) -> tuple[str, str] | None:
    """(the store's URL, `name` or `name@vN`) when `spec` names a store version (`URL#…`, `store#…`), else None."""
    url, sep, fragment = spec.rpartition("#")
    if not (sep and url and fragment and ("://" in url or url == STORE_ALIAS)):
        return None
    from jurist.db.connection import resolve_url

    return resolve_url(db if url == STORE_ALIAS else url), fragment


def _from_store(url: str, fragment: str) -> NamedRules:
    from jurist.db.connection import read_session
    from jurist.db.loader import open_existing, verified_published, verified_version, version_fragment

    name, number = version_fragment(fragment)
    engine = open_existing(url)
    try:
        with read_session(engine) as session:
            if number is not None:
                found = verified_version(session, engine, name, number, approved=False)
            else:
                found = verified_published(session, engine, fragment)
            return NamedRules(found.label, dict(found.sources))
    finally:
        engine.dispose()
