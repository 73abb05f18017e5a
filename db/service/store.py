"""`Store`: the one handle the CLI, the GUI and embedders hold on a database.

It opens the database, settles who is acting and hands each call to the
module of its aggregate (users, versions, review, test cases, simulations,
audit), which decides who may do what and records it; it hands out frozen
records, never ORM objects.

Roles are ordered and each includes the ones before it:
viewer (read) < editor (drafts, test cases, submit, simulations)
< approver (approve, reject, publish, retire) < admin (users, API tokens, `as_user`).
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from jurist.db.connection import create_store_engine, resolve_url
from jurist.db.identity import database_user, os_login
from jurist.db.migrate import ensure_schema
from jurist.db.anchors import Anchor
from jurist.db.records import (
    AuditEventInfo, AuditReport, CaseChanges, CheckResult, CommentInfo, ImpactInfo, ImportResult, NewImpact, NewToken,
    RulesetInfo, RunnableCases, SimulationRunInfo, SourcesCheck, TestCaseInfo, TokenInfo, UserInfo, VersionDiff,
    VersionInfo, VersionSources,
)
from jurist.db.safetext import require_plain
from jurist.db.service import (
    audit, comments, decision_records, impact, importing, review, simulations, testcases, tokens, users, versions,
)
from jurist.db.service.acting import Actor
from jurist.db.signing import SigningKey
from jurist.db.sourcedir import CaseOnDisk
from jurist.engine.cases import CaseResult
from jurist.engine.decision_record import DecisionRecord


class Store:
    """A handle on one database, acting as one user.

    Open with `Store.open(url, check=...)`; the acting user is the OS login, or
    `as_user` when the login is an admin.  `login` replaces the OS login for
    embedding and tests: it is a claim, not a credential (see docs/store.md).
    """

    def __init__(self, actor: Actor) -> None:
        self._actor = actor

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, as_user: str | None = None, login: str | None = None,
             create: bool = False, check: SourcesCheck | None = None) -> "Store":
        """Connect, bring the schema to head, and settle who is acting.

        Only `create=True` makes a new store where there is none (a missing
        SQLite file, an empty database); otherwise that is NoStore, so a
        mistyped path cannot turn into an empty store.  On a store with no
        users yet, the login is registered as its first admin, so a fresh
        desktop install works without setup.  `check` compiles sources for
        `submit` and `check` (e.g. `jurist.workbench.checks.compile_check`);
        without it the store reads and edits, and those two raise
        CheckUnavailable.  On a PostgreSQL store that maps database logins
        (`jurist_logins`), the user is the one mapped to the login, and a
        `login` naming anyone else is refused.
        """
        who = login or os_login()
        require_plain(who, f"the login name `{who}`")
        engine = create_store_engine(resolve_url(url), create=create)
        try:
            ensure_schema(engine, create=create)
            who = database_user(engine, login) or who
            store = cls(Actor(engine, name=who, login=who, check=check))
            users.bootstrap(store._actor)
            if as_user is not None and as_user != store.login:
                store = store.acting_as(as_user)
            return store
        except BaseException:
            engine.dispose()
            raise

    def acting_as(self, name: str) -> "Store":
        """The same store acting as `name`; only an admin login may do this."""
        users.check_may_act_as(self._actor, name)
        return Store(Actor(self._actor.engine, name=name, login=self.login, check=self._actor.check))

    def close(self) -> None:
        self._actor.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def actor(self) -> str:
        """The user this handle acts as."""
        return self._actor.name

    @property
    def login(self) -> str:
        """Who really runs the program (the OS login, or the `login` claim)."""
        return self._actor.login

    @property
    def url(self) -> str:
        return self._actor.engine.url.render_as_string(hide_password=True)

    # -- users -------------------------------------------------------------------

    def whoami(self) -> UserInfo | None:
        return users.whoami(self._actor)

    def list_users(self) -> tuple[UserInfo, ...]:
        return users.list_users(self._actor)

    def add_user(self, name: str, role: str) -> UserInfo:
        """Register `name`; refused when a user of the same name in any letter case exists."""
        return users.add_user(self._actor, name, role)

    def set_role(self, name: str, role: str) -> UserInfo:
        """Change a role; the last admin cannot be demoted, or nobody could manage users again."""
        return users.set_role(self._actor, name, role)

    def register_key(self, public_key: str) -> UserInfo:
        """Register your own public key (`ed25519:…`) for signed approvals; never for someone else."""
        return users.register_key(self._actor, public_key)

    def require_signed_approvals(self) -> bool:
        """Admin: from now on approvals must be signed and only signed approvals published; for good.
        False when they already were."""
        return users.require_signed_approvals(self._actor)

    # -- rulesets and versions ---------------------------------------------------

    def list_rulesets(self) -> tuple[RulesetInfo, ...]:
        return versions.list_rulesets(self._actor)

    def create_ruleset(self, name: str, jurisdictions: Sequence[str] = ()) -> RulesetInfo:
        """A new, empty ruleset; `jurisdictions` are ISO 3166 codes."""
        return versions.create_ruleset(self._actor, name, jurisdictions)

    def list_versions(self, ruleset: str) -> tuple[VersionInfo, ...]:
        return versions.list_versions(self._actor, ruleset)

    def get_version(self, ruleset: str, number: int | None = None) -> VersionInfo:
        """Version `number`, or the newest one."""
        return versions.get_version(self._actor, ruleset, number)

    def get_sources(self, ruleset: str, number: int | None = None) -> VersionSources:
        """The full sources of version `number` (newest if None), checked against their hash."""
        return versions.get_sources(self._actor, ruleset, number)

    def published_sources(self, ruleset: str) -> VersionSources:
        """What the engine would load: the published version, checked against its hash and the audit log."""
        return versions.published_sources(self._actor, ruleset)

    def create_draft(self, ruleset: str, sources: Mapping[str, str] | None = None,
                     parent: int | None = None) -> VersionInfo:
        """A new draft from `sources`, or a copy of `parent` (default: the newest version)."""
        return versions.create_draft(self._actor, ruleset, sources, parent)

    def save_draft(self, ruleset: str, number: int, sources: Mapping[str, str], expected_revision: int) -> VersionInfo:
        """Replace a draft's sources if nobody saved it since you read `expected_revision`.

        Raises ConflictError when the draft moved on; reload it (its new
        revision is in the message) and reapply your edits.
        """
        return versions.save_draft(self._actor, ruleset, number, sources, expected_revision)

    def diff(self, ruleset: str, old: int, new: int) -> VersionDiff:
        """What changed from version `old` to `new`; TamperedVersion if either was edited behind the store."""
        return versions.diff(self._actor, ruleset, old, new)

    @staticmethod
    def read_import(directory: str | Path, ruleset: str, jurisdictions: Sequence[str] = (),
                    check: SourcesCheck | None = None) -> tuple[dict[str, str], list[str], list[CaseOnDisk]]:
        """Validate an import without a store: the name, the codes, the sources and the cases; with
        `check`, also that no rule applies outside `jurisdictions`.

        The CLI calls this before opening (and maybe creating) the store, so a
        bad import writes nothing anywhere.
        """
        return importing.read_import(directory, ruleset, jurisdictions, check)

    def import_directory(self, directory: str | Path, ruleset: str,
                         jurisdictions: Sequence[str] = ()) -> ImportResult:
        """Load `*.policy` files (and `tests/*.json` cases) from a directory as a new draft.

        Creates the ruleset if needed; makes no version when the sources equal
        the newest version's, unless that one is retired.  Everything is
        validated before the store is touched.
        """
        return importing.import_directory(self._actor, directory, ruleset, jurisdictions)

    # -- review ------------------------------------------------------------------

    def check(self, ruleset: str, number: int | None = None) -> CheckResult:
        """Compile a version and return its diagnostics, changing nothing."""
        return review.check(self._actor, ruleset, number)

    def submit(self, ruleset: str, number: int | None = None, note: str = "",
               impact: NewImpact | None = None) -> VersionInfo:
        """Send a draft to review; refused with the compiler's diagnostics if it has errors.

        `note`, the submitter's word to the approvers, opens the version's review thread; `impact`,
        computed for the draft's sources (`jurist.workbench.impact`), is kept with it for its approvers
        (ConflictError if the draft was saved since).
        """
        return review.submit(self._actor, ruleset, number, note, impact)

    def impact(self, ruleset: str, number: int | None = None) -> ImpactInfo | None:
        """The impact kept with a version when it was submitted (newest version if None), or None."""
        return impact.impact(self._actor, ruleset, number)

    def approve(self, ruleset: str, number: int | None = None, comment: str = "",
                key: SigningKey | None = None) -> VersionInfo:
        """Sign off a version in review; nobody who wrote any of it may, neither the acting
        user nor, under `--as`, the admin behind it.  With `key` (the private half of the key
        the approver registered) the approval is signed."""
        return review.approve(self._actor, ruleset, number, comment, key)

    def reject(self, ruleset: str, number: int | None = None, comment: str = "") -> VersionInfo:
        """Send a version in review (or approved, not yet published) back to draft."""
        return review.reject(self._actor, ruleset, number, comment)

    def publish(self, ruleset: str, number: int | None = None,
                override_failing_tests: str | None = None) -> VersionInfo:
        """Make an approved version the one served, retiring the previous one, atomically (see `review.publish`).

        Refused (FailingTests) when the version's newest test run fails, unless `override_failing_tests` gives
        the reason, which the audit log keeps.
        """
        return review.publish(self._actor, ruleset, number, override_failing_tests)

    def retire(self, ruleset: str, number: int | None = None) -> VersionInfo:
        """Take a version out of use for good; retiring the published one leaves nothing served."""
        return review.retire(self._actor, ruleset, number)

    def add_comment(self, ruleset: str, number: int, body: str) -> CommentInfo:
        """Append a comment to version `number`'s review thread (editors and above; audited)."""
        return comments.add_comment(self._actor, ruleset, number, body)

    def comments(self, ruleset: str, number: int) -> tuple[CommentInfo, ...]:
        """Version `number`'s review thread, oldest first: the submitter's note, comments, approvers' remarks."""
        return comments.thread(self._actor, ruleset, number)

    # -- test cases and simulations ----------------------------------------------

    def list_test_cases(self, ruleset: str) -> tuple[TestCaseInfo, ...]:
        return testcases.list_test_cases(self._actor, ruleset)

    def save_test_case(self, ruleset: str, case: Mapping[str, Any],
                       images: Mapping[str, bytes] | None = None) -> TestCaseInfo:
        """Insert or replace a case (`{"name", "request", "expect"}`); every image the
        request names must come with its bytes in `images`."""
        return testcases.save_test_case(self._actor, ruleset, case, images)

    def delete_test_case(self, ruleset: str, name: str) -> None:
        testcases.delete_test_case(self._actor, ruleset, name)

    def image_bytes(self, sha256: str) -> bytes:
        return testcases.image_bytes(self._actor, sha256)

    def runnable_test_cases(self, ruleset: str, number: int | None = None) -> list[dict[str, Any]]:
        """The cases as `jurist test` reads them, their images inline as data URLs (nothing written to disk):
        version `number`'s (those it kept when submitted, see `case_set`), or without a number the working set."""
        return testcases.runnable_test_cases(self._actor, ruleset, number)

    def case_set(self, ruleset: str, number: int | None = None) -> RunnableCases:
        """The cases version `number` is tested with, and which they are: those it kept when it was submitted,
        else (a draft, or submitted before versions kept their cases) the working set; without a number, the
        working set editors edit, which the next submission keeps."""
        return testcases.case_set(self._actor, ruleset, number)

    def case_changes(self, ruleset: str, number: int | None = None) -> CaseChanges:
        """How the working set differs from the cases version `number` (default: the published, else the newest)
        keeps, or else was last approved, or else submitted, with: a case weakened after review shows here."""
        return testcases.case_changes(self._actor, ruleset, number)

    def record_simulation(self, ruleset: str, number: int, results: Sequence[CaseResult],
                          expected_hash: str | None = None, cases_hash: str | None = None) -> SimulationRunInfo:
        """Keep the results of running version `number` against test cases.

        With `expected_hash` (the hash of the sources that ran), a version whose
        sources changed since is refused with ConflictError instead of being
        credited with a run of other text.  `cases_hash` names the cases that
        ran (`case_set(...).cases_hash`): the publish gate of a version that kept
        its cases reads only runs of those.
        """
        return simulations.record_simulation(self._actor, ruleset, number, results, expected_hash, cases_hash)

    def list_simulation_runs(self, ruleset: str, limit: int = 50) -> tuple[SimulationRunInfo, ...]:
        return simulations.list_simulation_runs(self._actor, ruleset, limit)

    # -- audit -------------------------------------------------------------------

    def audit_log(self, limit: int = 200, subject: str | None = None) -> tuple[AuditEventInfo, ...]:
        """Newest events first; `subject` like "ruleset:global" also matches its versions."""
        return audit.recent_events(self._actor, limit, subject)

    def change_marker(self) -> int:
        """A number that grows with every change to the store (the audit log's head): cheap to poll."""
        return audit.change_marker(self._actor)

    def verify_audit(self, anchors: Sequence[tuple[Anchor, str]] = ()) -> AuditReport:
        """The chain's breaks, the events the service could not have written, every place the tables
        disagree with the history the log proves, and each (anchor, trusted public key) checked."""
        return audit.verify_audit(self._actor, anchors)

    def anchor(self, key: SigningKey) -> Anchor:
        """A signed checkpoint of the head, to keep outside the store; refused when the log does not verify."""
        return audit.anchor(self._actor, key, self.url)

    # -- serving -----------------------------------------------------------------

    def add_token(self, name: str) -> NewToken:
        """Make an API token for `jurist serve` (admin); its text is in the result and nowhere else."""
        return tokens.add_token(self._actor, name)

    def list_tokens(self) -> tuple[TokenInfo, ...]:
        return tokens.list_tokens(self._actor)

    def revoke_token(self, name: str) -> TokenInfo:
        """Stop a token working; servers following this store refuse it within their reload interval."""
        return tokens.revoke_token(self._actor, name)

    def decision_records(self, *, since: datetime | None = None, until: datetime | None = None,
                         request_sha256: str | None = None, limit: int | None = None) -> tuple[DecisionRecord, ...]:
        """Decisions the servers logged to this store, oldest first (see `jurist.engine.decision_record`)."""
        return decision_records.read(self._actor, since=since, until=until, request_sha256=request_sha256,
                                     limit=limit)

    def decision_record_texts(self, *, since: datetime | str | None = None, until: datetime | str | None = None,
                              newest: int | None = None) -> Iterator[str]:
        """The logged decisions' JSON, streamed: decided in [since, until) (a datetime, a day or an ISO UTC
        time), or the newest `newest` of them.  For backtests and transparency reports."""
        return impact.decision_record_texts(self._actor, since=since, until=until, newest=newest)
