"""The store's tables as a typed SQLAlchemy 2.0 ORM.

Relationships are `lazy="raise"`: every query says what it loads, so no code
path issues hidden per-row queries, and nothing outside the data-access
functions can wander the object graph (the service returns plain records).
Constraints that protect the workflow live in the schema too, so they hold
even against a buggy caller: one published version per ruleset (a partial
unique index), known roles, states and effects (check constraints).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    CheckConstraint, DateTime, Dialect, ForeignKey, Index, Integer, LargeBinary, MetaData,
    String, Text, TypeDecorator, UniqueConstraint, text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from jurist.db.workflow import COMMENT_KINDS, EFFECTS, ROLES, STATES  # the columns' closed values
from jurist.engine.decision_record import ROLES as DECISION_ROLES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use UTC")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base; the naming convention keeps migrations deterministic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


class User(Base):
    """A person known to the store, with exactly one role."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class Ruleset(Base):
    """A named body of rules; its content lives in numbered versions."""

    __tablename__ = "rulesets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    jurisdictions: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of codes
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    versions: Mapped[list["Version"]] = relationship(back_populates="ruleset", lazy="raise")


class Version(Base):
    """One snapshot of a ruleset's sources moving through review to publication.

    `revision` is SQLAlchemy's version counter: every UPDATE carries
    `WHERE revision = <the value read>`, so two sessions saving the same draft
    cannot both win.
    """

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("ruleset_id", "number", name="uq_versions_ruleset_number"),
        CheckConstraint(_in("state", STATES), name="state_known"),
        Index("uq_versions_one_published", "ruleset_id", unique=True,
              sqlite_where=text("state = 'published'"),
              postgresql_where=text("state = 'published'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ruleset_id: Mapped[int] = mapped_column(ForeignKey("rulesets.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    state: Mapped[str] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(71))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(Integer, nullable=False)

    ruleset: Mapped[Ruleset] = relationship(back_populates="versions", lazy="raise")

    __mapper_args__ = {"version_id_col": revision}


class VersionImpact(Base):
    """What a version changes, computed when it was submitted: its backtest against the version then
    published, on the newest logged decisions, and its test cases.  `summary` is the JSON the approver reads
    (`jurist.workbench.impact`); the counts beside it are what listings and the GUI show at a glance."""

    __tablename__ = "version_impacts"

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(71))      # the sources it was computed for
    against_number: Mapped[int | None]                          # the published version compared with
    against_hash: Mapped[str | None] = mapped_column(String(71))
    decisions: Mapped[int]                                      # logged decisions replayed
    flips: Mapped[int]                                          # of them, decided with another effect
    loosening: Mapped[int]                                      # of those, decided more leniently
    cases_run: Mapped[int]
    cases_failing: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)


class VersionFile(Base):
    """The full text of one source file of a version."""

    __tablename__ = "version_files"

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(512), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class VersionAuthor(Base):
    """Everyone who wrote content into a version; none of them may approve it."""

    __tablename__ = "version_authors"

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class Approval(Base):
    """An approver's sign-off on a version in review."""

    __tablename__ = "approvals"
    __table_args__ = (UniqueConstraint("version_id", "approver_id", name="uq_approvals_version_approver"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime]
    comment: Mapped[str] = mapped_column(Text, default="")


class VersionComment(Base):
    """One entry of a version's review thread: the submitter's note, a comment, or an approver's verdict.

    Kept apart from `approvals` (which the two-person rule reads) so a thread
    can hold any number of remarks by anyone, in order, audited as they come.
    """

    __tablename__ = "version_comments"
    __table_args__ = (CheckConstraint(_in("kind", COMMENT_KINDS), name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)


class Blob(Base):
    """Image bytes stored once, keyed by their SHA-256."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class TestCase(Base):
    """A request with its expected decision, kept per ruleset for simulation."""

    __test__ = False  # not a pytest class
    __tablename__ = "test_cases"
    __table_args__ = (
        UniqueConstraint("ruleset_id", "name", name="uq_test_cases_ruleset_name"),
        CheckConstraint(_in("expected_effect", EFFECTS), name="effect_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ruleset_id: Mapped[int] = mapped_column(ForeignKey("rulesets.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    request_json: Mapped[str] = mapped_column(Text)
    expected_effect: Mapped[str] = mapped_column(String(8))
    expected_rules: Mapped[str] = mapped_column(Text)  # JSON list of rule ids
    expected_not_rules: Mapped[str] = mapped_column(Text, server_default="[]")  # JSON list: must not fire
    # JSON list of [kind, value]: the decision's obligations, exactly; NULL: not checked
    expected_obligations: Mapped[str | None] = mapped_column(Text, nullable=True)
    policy: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the seed policy the case proves
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]


class TestCaseImage(Base):
    """The n-th image of a test case: the name the request uses and its blob."""

    __test__ = False
    __tablename__ = "test_case_images"

    test_case_id: Mapped[int] = mapped_column(ForeignKey("test_cases.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)


class VersionCaseSet(Base):
    """The test cases a version was submitted with, kept with it: one set per submission, never changed.

    `cases_hash` is the `case_set_hash` the submission's audit event records, which the replay checks the
    kept cases against; the newest set of a version is the one it is reviewed, tested and published with.
    """

    __tablename__ = "version_case_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    kept_at: Mapped[datetime]
    cases_hash: Mapped[str] = mapped_column(String(71))


class VersionCase(Base):
    """One case of a kept set: its document as `jurist test` reads it (images by name) and its `case_hash`."""

    __tablename__ = "version_cases"

    set_id: Mapped[int] = mapped_column(ForeignKey("version_case_sets.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    case_hash: Mapped[str] = mapped_column(String(71))


class VersionCaseImage(Base):
    """The n-th image of a kept case, by blob: the blob stays while any kept set uses it."""

    __tablename__ = "version_case_images"

    set_id: Mapped[int] = mapped_column(ForeignKey("version_case_sets.id", ondelete="CASCADE"), primary_key=True)
    case_name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)


class SimulationRun(Base):
    """One run of a ruleset version against its test cases."""

    __tablename__ = "simulation_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime]
    passed: Mapped[int]
    failed: Mapped[int]
    # the `case_set_hash` of the cases run, when the runner said (the publish gate reads runs of a version's kept
    # cases only); NULL: runs recorded before, or of cases not kept with the version
    cases_hash: Mapped[str | None] = mapped_column(String(71), nullable=True)


class SimulationResult(Base):
    """The outcome of one test case in a run; survives deletion of the case."""

    __tablename__ = "simulation_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("simulation_runs.id", ondelete="CASCADE"), index=True)
    test_case_id: Mapped[int | None] = mapped_column(ForeignKey("test_cases.id", ondelete="SET NULL"))
    case_name: Mapped[str] = mapped_column(String(200))
    expected_effect: Mapped[str] = mapped_column(String(8))
    expected_rules: Mapped[str] = mapped_column(Text)
    expected_not_rules: Mapped[str] = mapped_column(Text, server_default="[]")
    actual_effect: Mapped[str | None] = mapped_column(String(8))
    actual_rules: Mapped[str] = mapped_column(Text)
    passed: Mapped[bool]
    error: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """One entry of the append-only log; `hash` covers its content and `prev_hash`.

    Times are stored as the exact ISO text that was hashed, so verification
    never depends on how a backend round-trips timestamps.
    """

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(256), index=True)  # the two-person trigger looks authors up by it
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The last event's number and hash, updated with every append.

    Catches a log whose newest events were deleted, which the chain alone
    cannot show; appending locks this row, which also serialises appends.
    """

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))


class ApiToken(Base):
    """A bearer token for `jurist serve`'s decide endpoints, kept only as its SHA-256.

    The token itself is shown once, when made (`jurist token add NAME`); a
    revoked token stays listed, with when it stopped working.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]


class DecisionRecordRow(Base):
    """One served (or shadow) decision, as the decision log's store sink keeps it.

    `record` is the record's JSON (`jurist.engine.decision_record`, format 1);
    the other columns repeat what people search by.
    """

    __tablename__ = "decision_records"
    __table_args__ = (CheckConstraint(_in("role", DECISION_ROLES), name="role_known"),
                      CheckConstraint(_in("effect", EFFECTS), name="effect_known"))

    decision_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    decided_at: Mapped[datetime] = mapped_column(index=True)
    role: Mapped[str] = mapped_column(String(8))
    policy_name: Mapped[str] = mapped_column(String(512))
    policy_hash: Mapped[str] = mapped_column(String(71))
    request_sha256: Mapped[str] = mapped_column(String(64), index=True)
    effect: Mapped[str] = mapped_column(String(8))
    record: Mapped[str] = mapped_column(Text)
class DatabaseLogin(Base):
    """PostgreSQL: which Jurist user each database login is (`session_user`), set by the database's owner.

    Empty, identity is the OS login (a claim).  With rows, a trigger lets each
    login record audit events only as its own Jurist user (or as `via` behind
    an admin's `--as`), and `Store.open` takes the user from the login; a login
    with no row records nothing.  Unused on SQLite, where whoever can write the
    file can do anything.
    """

    __tablename__ = "jurist_logins"

    db_login: Mapped[str] = mapped_column(String(63), primary_key=True)
    jurist_user: Mapped[str] = mapped_column(String(64))
