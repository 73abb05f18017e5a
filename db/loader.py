"""What `jurist.load("<database url>#<ruleset>")` calls to get published sources.

The engine serves exactly what was approved: the published version's files,
re-hashed and compared with the hash recorded when it was written, and that
hash compared with the history the audit log proves (`jurist.db.history`: the
chain intact, every event one the service could have written) as approved
and published; where the store requires signed approvals, one of them must
carry a signature that verifies.  A mismatch means someone edited the rows or
forged events behind the store's back, and we refuse rather than serve rules
nobody reviewed.  Loading is not
a user action, so no identity is needed; access is whatever the database URL
grants.  Loading never creates a store: a mistyped path is an error, not an
empty database.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jurist.db import provenance, rulesets as data, testcases
from jurist.db.connection import create_store_engine, read_session, resolve_url
from jurist.db.errors import InvalidInput, NothingPublished, NotFound, TamperedVersion
from jurist.db.hashing import sources_hash
from jurist.db.migrate import ensure_schema
from jurist.db.models import Ruleset
from jurist.db.records import CaseChanges


def split_target(url_with_fragment: str) -> tuple[str, str]:
    """`sqlite:////x.db#global` → (`sqlite:////x.db`, `global`)."""
    url, sep, name = url_with_fragment.rpartition("#")
    if not sep or not url or not name:
        raise InvalidInput(f"`{url_with_fragment}` names no ruleset; add it after `#`, "
                           "e.g. sqlite:////path/to/jurist.db#global")
    return url, name


def _open(url: str) -> Engine:
    engine = create_store_engine(resolve_url(url))
    try:
        ensure_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _ruleset(session: Session, engine: Engine, name: str) -> Ruleset:
    ruleset = data.get_ruleset(session, name)
    if ruleset is None:
        raise NotFound(f"no ruleset `{name}` in `{engine.url.render_as_string(hide_password=True)}`")
    return ruleset


def published_sources(url_with_fragment: str) -> tuple[dict[str, str], str]:
    """The published version's sources of the named ruleset, and an origin line.

    Raises NotFound / NothingPublished when there is nothing to serve and
    TamperedVersion when the stored sources do not match their hash, or the
    audit log does not show that hash approved and published.
    """
    url, name = split_target(url_with_fragment)
    engine = _open(url)
    try:
        with read_session(engine) as session:
            ruleset = _ruleset(session, engine, name)
            version = data.published_version(session, ruleset)
            if version is None:
                raise NothingPublished(f"ruleset `{name}` has no published version")
            sources = data.load_sources(session, version)
            actual = sources_hash(sources)
            if actual != version.content_hash:
                raise TamperedVersion(f"{name}@v{version.number} was altered in the database: its sources hash to "
                                      f"{actual[:19]}…, not the recorded {version.content_hash[:19]}…; "
                                      "refusing to load it")
            provenance.check_published(session, ruleset, version)
            return sources, f"{name}@v{version.number} ({version.content_hash[:19]}…)"
    finally:
        engine.dispose()


def stored_cases(url_with_fragment: str) -> list[dict[str, Any]]:
    """The named ruleset's stored test cases as `jurist test` reads them, images inline as data URLs.

    Refused (TamperedVersion) when they differ from what the audit log recorded.
    """
    url, name = split_target(url_with_fragment)
    engine = _open(url)
    try:
        with read_session(engine) as session:
            ruleset = _ruleset(session, engine, name)
            provenance.check_cases(session, ruleset)
            return testcases.inline_documents(session, ruleset)
    finally:
        engine.dispose()


def case_changes(url_with_fragment: str) -> CaseChanges | None:
    """How the stored cases differ from those the published version was approved with; None when
    nothing is published."""
    from jurist.db import history

    url, name = split_target(url_with_fragment)
    engine = _open(url)
    try:
        with read_session(engine) as session:
            ruleset = _ruleset(session, engine, name)
            version = data.published_version(session, ruleset)
            if version is None:
                return None
            return history.changes_since_review(history.replay(session), name, version.number,
                                                testcases.stored_case_hashes(session, ruleset))
    finally:
        engine.dispose()
