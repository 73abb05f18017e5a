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

from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jurist.db import provenance, rulesets as data, testcases
from jurist.db.connection import create_store_engine, read_session, resolve_url
from jurist.db.errors import InvalidInput, NothingPublished, NotFound, TamperedVersion
from jurist.db.hashing import sources_hash
from jurist.db.migrate import ensure_schema
from jurist.db.models import Ruleset, Version
from jurist.db.records import CaseChanges


@dataclass(frozen=True, slots=True)
class VersionToServe:
    """A version's sources, checked against their hash and the audit log, and where they came from."""

    ruleset: str
    number: int
    state: str
    content_hash: str
    sources: Mapping[str, str]

    @property
    def label(self) -> str:
        return f"{self.ruleset}@v{self.number}"

    @property
    def origin(self) -> str:
        return f"{self.label} ({self.content_hash[:19]}…)"


def split_target(url_with_fragment: str) -> tuple[str, str]:
    """`sqlite:////x.db#global` → (`sqlite:////x.db`, `global`)."""
    url, sep, name = url_with_fragment.rpartition("#")
    if not sep or not url or not name:
        raise InvalidInput(f"`{url_with_fragment}` names no ruleset; add it after `#`, "
                           "e.g. sqlite:////path/to/jurist.db#global")
    return url, name


def open_existing(url: str) -> Engine:
    """An engine on an existing store at head (never creates one)."""
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
    served = published_version(url_with_fragment)
    return dict(served.sources), served.origin


def published_version(url_with_fragment: str) -> VersionToServe:
    """The published version of the named ruleset, verified, with its name and number (`jurist.load` uses it)."""
    url, name = split_target(url_with_fragment)
    engine = open_existing(url)
    try:
        with read_session(engine) as session:
            return verified_published(session, engine, name)
    finally:
        engine.dispose()


def verified_published(session: Session, engine: Engine, name: str) -> VersionToServe:
    """The published version of `name`, checked against its hash and the audit log (see `published_sources`)."""
    ruleset = _ruleset(session, engine, name)
    version = data.published_version(session, ruleset)
    if version is None:
        raise NothingPublished(f"ruleset `{name}` has no published version")
    sources = _checked_sources(session, name, version)
    provenance.check_published(session, ruleset, version)
    return VersionToServe(name, version.number, version.state, version.content_hash, sources)


def verified_version(session: Session, engine: Engine, name: str, number: int, *,
                     approved: bool) -> VersionToServe:
    """Version `number` of `name` in any state, checked against its hash and the audit log.

    The log must record that very hash for the version (the last event about it), and with
    `approved` an approval of it too: a canary serves real traffic, so it must be a version an
    approver signed off; a shadow, whose answers nobody gets, may be any version.
    """
    ruleset = _ruleset(session, engine, name)
    version = data.get_version(session, ruleset, number)
    if version is None:
        raise NotFound(f"ruleset `{name}` has no version {number}")
    sources = _checked_sources(session, name, version)
    label = f"{name}@v{number}"
    history = provenance.trusted_history(session, label)  # a broken or forged log serves nothing
    trail = history.trail(name, number)
    if trail is None or trail.hash != version.content_hash:
        raise TamperedVersion(f"refusing to load {label}: the audit log does not record its hash "
                              f"{version.content_hash[:19]}…; run `jurist audit verify`")
    if approved and version.content_hash not in trail.approved:
        raise TamperedVersion(f"refusing to serve {label}: the audit log records no approval of it "
                              f"(it is {version.state}); only an approved version may decide real requests")
    if approved and history.signed_approvals and not trail.signed.get(version.content_hash):
        raise TamperedVersion(f"refusing to serve {label}: this store requires signed approvals, and no approval "
                              "of it carries a signature that verifies")
    return VersionToServe(name, number, version.state, version.content_hash, sources)


def _checked_sources(session: Session, name: str, version: Version) -> dict[str, str]:
    sources = data.load_sources(session, version)
    actual = sources_hash(sources)
    if actual != version.content_hash:
        raise TamperedVersion(f"{name}@v{version.number} was altered in the database: its sources hash to "
                              f"{actual[:19]}…, not the recorded {version.content_hash[:19]}…; "
                              "refusing to load it")
    return sources


def version_fragment(fragment: str) -> tuple[str, int | None]:
    """`global@v3` → (`global`, 3); `global` → (`global`, None): a ruleset, and a version of it when named."""
    name, at, number = fragment.rpartition("@v")
    if not at or not name:
        return fragment, None
    if not number.isdigit() or int(number) < 1:
        raise InvalidInput(f"`{fragment}`: a version is NAME@vN, e.g. global@v3")
    return name, int(number)


def stored_cases(url_with_fragment: str) -> list[dict[str, Any]]:
    """The test cases of `URL#name@vN` (version N) or `URL#name` (the published version; the working set when
    nothing is published) as `jurist test` reads them, images inline as data URLs: those the version kept when
    it was submitted, else the ruleset's working set (see `provenance.cases_of_version`).

    Refused (TamperedVersion) when they differ from what the audit log recorded.
    """
    url, fragment = split_target(url_with_fragment)
    name, number = version_fragment(fragment)
    engine = open_existing(url)
    try:
        with read_session(engine) as session:
            ruleset = _ruleset(session, engine, name)
            version = _chosen(session, ruleset, number)
            if version is None:
                return list(provenance.working_set(session, ruleset).documents)
            return list(provenance.cases_of_version(session, ruleset, version).documents)
    finally:
        engine.dispose()


def case_changes(url_with_fragment: str) -> CaseChanges | None:
    """How the working set differs from the cases version N (`URL#name@vN`) or the published version (`URL#name`)
    keeps, or else was approved with; None when nothing is published."""
    from jurist.db import history

    url, fragment = split_target(url_with_fragment)
    name, number = version_fragment(fragment)
    engine = open_existing(url)
    try:
        with read_session(engine) as session:
            ruleset = _ruleset(session, engine, name)
            version = _chosen(session, ruleset, number)
            if version is None:
                return None
            proven = history.replay(session)
            return history.changes_since_review(proven, name, version.number,
                                                testcases.stored_case_hashes(session, ruleset),
                                                provenance.kept_hashes(session, ruleset, version, proven))
    finally:
        engine.dispose()


def _chosen(session: Session, ruleset: Ruleset, number: int | None) -> Version | None:
    """Version `number` of `ruleset` (NotFound when it has none), or without a number the published one."""
    if number is None:
        return data.published_version(session, ruleset)
    version = data.get_version(session, ruleset, number)
    if version is None:
        raise NotFound(f"ruleset `{ruleset.name}` has no version {number}")
    return version
