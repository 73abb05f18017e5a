"""The store as a running decision server sees it: no user, a few reads, appends to the decision log.

Serving is not a user action (as loading is not, see `jurist.db.loader`), so
no identity is needed; what the database URL grants is what the server may
do.  Each worker process holds one `ServingStore` and asks it, every few
seconds or when PostgreSQL notifies it, whether the published version moved
(`published_head`, one indexed read); only then does it load and verify the
new version (`published`), against its hash and the audit log as the loader
does.  Tokens are read the same way, so a revoked token stops working within
one interval.
"""
from __future__ import annotations

import select as selectors
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import Engine, select

from jurist.db import decision_log, rulesets as data, tokens
from jurist.db.connection import read_session, write_session
from jurist.db.errors import NotFound
from jurist.db.loader import VersionToServe, open_existing, verified_published, verified_version
from jurist.db.models import Ruleset, Version
from jurist.engine.decision_record import DecisionRecord

NOTIFY_CHANNEL = "jurist_versions"  # the trigger of migration 0003_serving


@dataclass(frozen=True, slots=True)
class PublishedHead:
    """What a ruleset serves now: the published version's number and hash, or None for both."""

    number: int | None
    content_hash: str | None


class ServingStore:
    """One worker's handle on the store it follows; safe to use from one thread at a time per method."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._listener: Any = None

    @classmethod
    def open(cls, url: str) -> ServingStore:
        """Connect to an existing store (never creates one) and bring its schema to head."""
        return cls(open_existing(url))

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.stop_listening()
        self.engine.dispose()

    # -- versions ------------------------------------------------------------------

    def published(self, ruleset: str) -> VersionToServe:
        """The published version, verified (raises NothingPublished, NotFound or TamperedVersion)."""
        with read_session(self.engine) as session:
            return verified_published(session, self.engine, ruleset)

    def version(self, ruleset: str, number: int, *, approved: bool) -> VersionToServe:
        """Version `number`, verified against its hash and the log; `approved`: the log must show an approval."""
        with read_session(self.engine) as session:
            return verified_version(session, self.engine, ruleset, number, approved=approved)

    def published_head(self, ruleset: str) -> PublishedHead:
        """The published version's number and hash, without loading or verifying anything."""
        with read_session(self.engine) as session:
            row = session.execute(select(Version.number, Version.content_hash)
                                  .join(Ruleset, Ruleset.id == Version.ruleset_id)
                                  .where(Ruleset.name == ruleset, Version.state == "published")).first()
            if row is None and data.get_ruleset(session, ruleset) is None:
                raise NotFound(f"no ruleset `{ruleset}` in `{self.url}`")
            return PublishedHead(row[0], row[1]) if row is not None else PublishedHead(None, None)

    def version_state(self, ruleset: str, number: int) -> str | None:
        with read_session(self.engine) as session:
            return session.scalar(select(Version.state).join(Ruleset, Ruleset.id == Version.ruleset_id)
                                  .where(Ruleset.name == ruleset, Version.number == number))

    # -- tokens and records ----------------------------------------------------------

    def token_digests(self) -> frozenset[str]:
        """SHA-256 digests of every API token not revoked."""
        with read_session(self.engine) as session:
            return tokens.active_digests(session)

    def append_records(self, records: Iterable[DecisionRecord]) -> int:
        """Write decision records in one transaction; raises whatever the database raises."""
        with write_session(self.engine) as session:
            return decision_log.append_records(session, records)

    # -- PostgreSQL notifications ------------------------------------------------------

    def wait_for_change(self, timeout: float) -> bool:
        """Wait up to `timeout` s for a NOTIFY about versions (PostgreSQL); True if one came.

        On SQLite, and whenever the listening connection fails, it just waits: the caller's poll
        then finds any change.  A lost connection is reopened on the next call.
        """
        if not self.is_postgresql:
            return False
        try:
            conn = self._listening()
            ready, _, _ = selectors.select([conn.fileno()], [], [], timeout)
            if not ready:
                return False
            return any(True for _ in conn.notifies(timeout=0, stop_after=1000))
        except Exception:  # noqa: BLE001 - the poll covers for a broken listener; reconnect next time
            self.stop_listening()
            return False

    def _listening(self) -> Any:
        if self._listener is None:
            import psycopg

            url = self.engine.url
            conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
            conn = psycopg.connect(conninfo, autocommit=True)
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self._listener = conn
        return self._listener

    def stop_listening(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass
            self._listener = None
