"""The store's service layer: the only way in, for the CLI and the GUI alike.

It decides who may do what (roles, the two-person rule), which transitions a
version may take, and that only compiling sources enter review; every change
and its audit event commit in one transaction or not at all.  It hands out
frozen records, never ORM objects.

Roles are ordered and each includes the ones before it:
viewer (read) < editor (drafts, test cases, submit, simulations)
< approver (approve, reject, publish, retire) < admin (users, `as_user`).

When an admin acts as someone else, the real login is recorded beside the
acting user in every audit event and as an author of what it writes, so
`--as` can neither hide who acted nor get round the two-person rule.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm import Session

from jurist.db import audit, provenance, rulesets as data, simulations, testcases, users
from jurist.db.connection import create_store_engine, is_read_only, read_session, resolve_url, write_session
from jurist.db.diffing import diff_sources
from jurist.db.errors import (
    CompileRefused, ConflictError, InvalidInput, InvalidTransition, NotFound, NothingPublished,
    PermissionDenied, StoreError, TamperedVersion, TwoPersonRule, UnknownUser,
)
from jurist.db.hashing import sources_hash
from jurist.db.identity import os_login
from jurist.db.migrate import ensure_schema
from jurist.db.models import EFFECTS, ROLES, Ruleset, TestCase, User, Version, describe_state
from jurist.db.records import (
    ApprovalInfo, AuditEventInfo, AuditReport, CaseOutcome, CaseResultInfo, ImageRef, ImportResult,
    RulesetInfo, SimulationRunInfo, TestCaseInfo, UserInfo, VersionDiff, VersionInfo, VersionSources,
    frozen_mapping,
)
from jurist.db.safetext import require_plain, shown
from jurist.db.sourcedir import read_cases, read_sources

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_RULESET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_NAME_RULE = "letters, digits, `.`, `_`, `-`; at most 64"
_NO_VERSION = {"draft": "no draft", "in_review": "no version in review", "approved": "no approved version",
               "published": "no published version"}


def validate_user_name(name: str) -> str:
    """`name` if it may be a user's name; InvalidInput otherwise."""
    if not _NAME.fullmatch(name):
        raise InvalidInput(f"`{shown(name)}` is not a valid user name ({_NAME_RULE})")
    return name


def validate_ruleset_name(name: str) -> str:
    """`name` if it may be a ruleset's name; InvalidInput otherwise."""
    if not _RULESET_NAME.fullmatch(name):
        raise InvalidInput(f"`{shown(name)}` is not a valid ruleset name (letters, digits, `.`, `_`, `-`)")
    return name


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


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The compiler's verdict on a version: errors block submission, warnings do not."""

    ok: bool
    diagnostics: tuple[Any, ...]
    rendered: str


def compile_check(sources: Mapping[str, str]) -> CheckResult:
    """Compile `sources` against the engine's label vocabulary."""
    from jurist.dsl import compile_sources
    from jurist.engine.vocabulary import SCHEMA

    result = compile_sources(dict(sources), SCHEMA)
    return CheckResult(ok=bool(result.ok), diagnostics=tuple(result.diagnostics), rendered=result.render())


class Store:
    """A handle on one database, acting as one user.

    Open with `Store.open(url)`; the acting user is the OS login, or `as_user`
    when the login is an admin.  `login` replaces the OS login for embedding
    and tests: it is a claim, not a credential (see docs/store.md).
    """

    def __init__(self, engine: Engine, actor: str, login: str) -> None:
        self._engine = engine
        self.actor = actor
        self.login = login

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, as_user: str | None = None, login: str | None = None,
             create: bool = False) -> "Store":
        """Connect, bring the schema to head, and settle who is acting.

        Only `create=True` makes a new store where there is none (a missing
        SQLite file, an empty database); otherwise that is NoStore, so a
        mistyped path cannot turn into an empty store.  On a store with no
        users yet, the login is registered as its first admin, so a fresh
        desktop install works without setup.
        """
        who = login or os_login()
        require_plain(who, f"the login name `{who}`")
        engine = create_store_engine(resolve_url(url), create=create)
        try:
            ensure_schema(engine, create=create)
            store = cls(engine, actor=who, login=who)
            store._bootstrap()
            if as_user is not None and as_user != store.login:
                store = store.acting_as(as_user)
            return store
        except BaseException:
            engine.dispose()
            raise

    def acting_as(self, name: str) -> "Store":
        """The same store acting as `name`; only an admin login may do this."""
        with read_session(self._engine) as session:
            me = users.get_user(session, self.login)
            if me is None or me.role != "admin":
                role = f"is {_a(me.role)}" if me else "is not a registered user"
                raise PermissionDenied(f"only an admin may act as another user; `{self.login}` {role}")
            if users.get_user(session, name) is None:
                raise NotFound(f"no user `{shown(name)}`")
        return Store(self._engine, actor=name, login=self.login)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

    def _bootstrap(self) -> None:
        """Make the login the first admin of a store with no users (read first: most opens write nothing)."""
        with read_session(self._engine) as session:
            if users.count_users(session) > 0 or is_read_only(self._engine):
                return
        if not _NAME.fullmatch(self.login):
            raise InvalidInput(f"the OS login `{shown(self.login)}` cannot become this store's first admin: it is "
                               f"not a valid user name ({_NAME_RULE}); set LOGNAME to a valid name and retry")
        with write_session(self._engine) as session:
            if users.count_users(session) == 0:
                users.add_user(session, self.login, "admin")
                audit.append(session, self.login, "user.bootstrap", f"user:{self.login}",
                             {"role": "admin", "why": "first user of an empty store"})

    # -- sessions and checks -----------------------------------------------------

    def _read(self) -> Iterator[Session]:
        return read_session(self._engine)  # type: ignore[return-value]

    def _write(self) -> Iterator[Session]:
        return write_session(self._engine)  # type: ignore[return-value]

    def _audit(self, session: Session, action: str, subject: str, details: Mapping[str, Any]) -> None:
        """Record an event by the acting user, with the real login as `via` when they differ."""
        audit.append(session, self.actor, action, subject, details, via=self.login)

    def _writers(self, session: Session, user: User) -> list[User]:
        """Who wrote a change: the acting user and, under `--as`, the admin behind it."""
        behind = users.get_user(session, self.login) if self.login != user.name else None
        return [user] + ([behind] if behind is not None else [])

    def _require(self, session: Session, role: str, doing: str) -> User:
        user = users.get_user(session, self.actor)
        if user is None:
            raise UnknownUser(f"`{shown(self.actor)}` is not a registered user; an admin can add them with "
                              f"`jurist user add {shown(self.actor)} --role editor`")
        if not users.has_role(user, role):
            raise PermissionDenied(f"`{self.actor}` is {_a(user.role)}; {doing} needs the {role} role")
        return user

    @staticmethod
    def _ruleset(session: Session, name: str, *, lock: bool = False) -> Ruleset:
        ruleset = data.get_ruleset(session, name, lock=lock)
        if ruleset is None:
            raise NotFound(f"no ruleset `{shown(name)}`")
        return ruleset

    @staticmethod
    def _version(session: Session, ruleset: Ruleset, number: int | None,
                 states: Sequence[str] | None = None) -> Version:
        if number is None:
            version = data.latest_version(session, ruleset, states)
            if version is None:
                if not states:
                    raise NotFound(f"ruleset `{ruleset.name}` has no versions")
                which = _NO_VERSION.get(states[0], "") if len(states) == 1 else ""
                which = which or "no version that is " + " or ".join(describe_state(s) for s in states)
                raise InvalidTransition(f"ruleset `{ruleset.name}` has {which}")
            return version
        version = data.get_version(session, ruleset, number)
        if version is None:
            raise NotFound(f"ruleset `{ruleset.name}` has no version {number}")
        return version

    @staticmethod
    def _expect_state(version: Version, ruleset: Ruleset, allowed: Sequence[str], doing: str) -> None:
        if version.state not in allowed:
            wanted = " or ".join(describe_state(s) for s in allowed)
            raise InvalidTransition(f"cannot {doing} {ruleset.name}@v{version.number}: it is "
                                    f"{describe_state(version.state)}, not {wanted}")

    @staticmethod
    def _verify_hash(session: Session, ruleset: Ruleset, version: Version) -> dict[str, str]:
        sources = data.load_sources(session, version)
        actual = sources_hash(sources)
        if actual != version.content_hash:
            raise TamperedVersion(f"{ruleset.name}@v{version.number} was altered in the database: its sources hash to "
                                  f"{actual[:19]}…, not the recorded {version.content_hash[:19]}…; refusing to use it")
        return sources

    def _info(self, session: Session, ruleset: Ruleset, versions: Sequence[Version]) -> list[VersionInfo]:
        ids = [v.id for v in versions]
        names = data.user_names(session, [v.author_id for v in versions])
        authors = data.author_names(session, ids)
        approvals = data.approvals_of(session, ids)
        parents = data.version_numbers_by_id(session, [v.parent_id for v in versions if v.parent_id])
        sources = {v.id: data.load_sources(session, v) for v in versions}
        return [VersionInfo(
            ruleset=ruleset.name, number=v.number, state=v.state, content_hash=v.content_hash,
            parent=parents.get(v.parent_id) if v.parent_id else None, author=names[v.author_id],
            authors=authors[v.id], created_at=v.created_at, updated_at=v.updated_at,
            submitted_at=v.submitted_at, published_at=v.published_at, revision=v.revision,
            approvals=tuple(ApprovalInfo(a, t, c) for a, t, c in approvals[v.id]), files=tuple(sorted(sources[v.id])),
            intact=sources_hash(sources[v.id]) == v.content_hash,
        ) for v in versions]

    # -- users -------------------------------------------------------------------

    def whoami(self) -> UserInfo | None:
        with self._read() as session:
            user = users.get_user(session, self.actor)
            return UserInfo(user.name, user.role, user.created_at) if user else None

    def list_users(self) -> tuple[UserInfo, ...]:
        with self._read() as session:
            self._require(session, "viewer", "listing users")
            return tuple(UserInfo(u.name, u.role, u.created_at) for u in users.list_users(session))

    def add_user(self, name: str, role: str) -> UserInfo:
        """Register `name`; refused when a user of the same name in any letter case exists."""
        _check_role(role)
        validate_user_name(name)
        with self._write() as session:
            self._require(session, "admin", "adding users")
            existing = users.get_user_any_case(session, name)
            if existing is not None:
                same = "" if existing.name == name else f" as `{existing.name}` (names may not differ only in case)"
                raise ConflictError(f"user `{name}` already exists{same}")
            user = users.add_user(session, name, role)
            self._audit(session, "user.add", f"user:{name}", {"role": role})
            return UserInfo(user.name, user.role, user.created_at)

    def set_role(self, name: str, role: str) -> UserInfo:
        """Change a role; the last admin cannot be demoted, or nobody could manage users again."""
        _check_role(role)
        with self._write() as session:
            self._require(session, "admin", "changing roles")
            user = users.get_user(session, name)
            if user is None:
                raise NotFound(f"no user `{shown(name)}`")
            if user.role == "admin" and role != "admin" and users.count_admins(session) == 1:
                raise InvalidTransition(f"`{name}` is the last admin; make another user an admin first")
            old = user.role
            user.role = role
            self._audit(session, "user.role", f"user:{name}", {"from": old, "to": role})
            return UserInfo(user.name, user.role, user.created_at)

    # -- rulesets and versions ---------------------------------------------------

    def list_rulesets(self) -> tuple[RulesetInfo, ...]:
        with self._read() as session:
            self._require(session, "viewer", "listing rulesets")
            out = []
            for ruleset in data.list_rulesets(session):
                versions = data.versions_of(session, ruleset)
                states = {v.number: v.state for v in versions}
                published = next((v.number for v in versions if v.state == "published"), None)
                out.append(RulesetInfo(name=ruleset.name, jurisdictions=data.jurisdictions_of(ruleset),
                                       created_at=ruleset.created_at, published=published,
                                       latest=versions[-1].number if versions else None,
                                       latest_state=versions[-1].state if versions else None,
                                       states=frozen_mapping(states)))
            return tuple(out)

    def create_ruleset(self, name: str, jurisdictions: Sequence[str] = ()) -> RulesetInfo:
        """A new, empty ruleset; `jurisdictions` are ISO 3166 codes."""
        validate_ruleset_name(name)
        codes = validate_jurisdictions(jurisdictions)
        with self._write() as session:
            user = self._require(session, "editor", "creating a ruleset")
            ruleset = self._new_ruleset(session, name, codes, user)
            return RulesetInfo(name, tuple(codes), ruleset.created_at, None, None, None, frozen_mapping({}))

    def _new_ruleset(self, session: Session, name: str, codes: list[str], user: User) -> Ruleset:
        existing = data.get_ruleset_any_case(session, name)
        if existing is not None:
            same = "" if existing.name == name else f" as `{existing.name}` (names may not differ only in case)"
            raise ConflictError(f"ruleset `{name}` already exists{same}")
        ruleset = data.create_ruleset(session, name, codes, user)
        self._audit(session, "ruleset.create", f"ruleset:{name}", {"jurisdictions": codes})
        return ruleset

    def list_versions(self, ruleset: str) -> tuple[VersionInfo, ...]:
        with self._read() as session:
            self._require(session, "viewer", "listing versions")
            rs = self._ruleset(session, ruleset)
            return tuple(self._info(session, rs, data.versions_of(session, rs)))

    def get_version(self, ruleset: str, number: int | None = None) -> VersionInfo:
        """Version `number`, or the newest one."""
        with self._read() as session:
            self._require(session, "viewer", "reading versions")
            rs = self._ruleset(session, ruleset)
            return self._info(session, rs, [self._version(session, rs, number)])[0]

    def get_sources(self, ruleset: str, number: int | None = None) -> VersionSources:
        """The full sources of version `number` (newest if None), checked against their hash."""
        with self._read() as session:
            self._require(session, "viewer", "reading versions")
            rs = self._ruleset(session, ruleset)
            version = self._version(session, rs, number)
            sources = self._verify_hash(session, rs, version)
            return VersionSources(self._info(session, rs, [version])[0], frozen_mapping(sources))

    def published_sources(self, ruleset: str) -> VersionSources:
        """What the engine would load: the published version, checked against its hash and the audit log."""
        with self._read() as session:
            self._require(session, "viewer", "reading versions")
            rs = self._ruleset(session, ruleset)
            version = data.published_version(session, rs)
            if version is None:
                raise NothingPublished(f"ruleset `{ruleset}` has no published version")
            sources = self._verify_hash(session, rs, version)
            provenance.check_published(session, rs, version)
            return VersionSources(self._info(session, rs, [version])[0], frozen_mapping(sources))

    def create_draft(self, ruleset: str, sources: Mapping[str, str] | None = None,
                     parent: int | None = None) -> VersionInfo:
        """A new draft from `sources`, or a copy of `parent` (default: the newest version)."""
        with self._write() as session:
            user = self._require(session, "editor", "creating a draft")
            rs = self._ruleset(session, ruleset, lock=True)
            if parent is not None:
                base: Version | None = self._version(session, rs, parent)
            else:
                base = data.published_version(session, rs) or data.latest_version(session, rs)
            if sources is None:
                if base is None:
                    raise InvalidInput(f"ruleset `{ruleset}` has no version to start a draft from; give sources")
                sources = self._verify_hash(session, rs, base)
            clean = _validate_sources(sources)
            version = data.create_version(session, rs, clean, user, base)
            for writer in self._writers(session, user):
                data.add_author(session, version, writer)
            self._audit(session, "version.create", f"ruleset:{ruleset}@{version.number}",
                        {"hash": version.content_hash, "parent": base.number if base else None})
            return self._info(session, rs, [version])[0]

    def save_draft(self, ruleset: str, number: int, sources: Mapping[str, str], expected_revision: int) -> VersionInfo:
        """Replace a draft's sources if nobody saved it since you read `expected_revision`.

        Raises ConflictError when the draft moved on; reload it (its new
        revision is in the message) and reapply your edits.
        """
        clean = _validate_sources(sources)
        try:
            with self._write() as session:
                user = self._require(session, "editor", "editing a draft")
                rs = self._ruleset(session, ruleset)
                version = self._version(session, rs, number)
                self._expect_state(version, rs, ("draft",), "edit")
                if version.revision != expected_revision:
                    raise ConflictError(f"{ruleset}@v{number} was changed by someone else (it is at revision "
                                        f"{version.revision}, you edited revision {expected_revision}); "
                                        "reload it and reapply your edits")
                data.replace_sources(session, version, clean)
                for writer in self._writers(session, user):
                    data.add_author(session, version, writer)
                self._audit(session, "version.save", f"ruleset:{ruleset}@{number}",
                            {"hash": version.content_hash, "revision": version.revision})
                return self._info(session, rs, [version])[0]
        except StaleDataError:
            raise ConflictError(f"{ruleset}@v{number} was changed by someone else while you saved; "
                                "reload it and reapply your edits") from None

    def check(self, ruleset: str, number: int | None = None) -> CheckResult:
        """Compile a version and return its diagnostics, changing nothing."""
        sources = self.get_sources(ruleset, number).sources
        return compile_check(sources)

    def submit(self, ruleset: str, number: int | None = None) -> VersionInfo:
        """Send a draft to review; refused with the compiler's diagnostics if it has errors."""
        with self._write() as session:
            self._require(session, "editor", "submitting for review")
            rs = self._ruleset(session, ruleset, lock=True)
            version = self._version(session, rs, number, None if number else ("draft",))
            self._expect_state(version, rs, ("draft",), "submit")
            sources = self._verify_hash(session, rs, version)
            result = compile_check(sources)
            if not result.ok:
                errors = sum(1 for d in result.diagnostics if getattr(d, "severity", "error") == "error")
                raise CompileRefused(f"{ruleset}@v{version.number} has {errors} compile error(s); "
                                     "fix them before submitting", result.diagnostics, result.rendered)
            version.state = "in_review"
            version.submitted_at = data.now()
            self._audit(session, "version.submit", f"ruleset:{ruleset}@{version.number}",
                        {"hash": version.content_hash, "warnings": len(result.diagnostics)})
            return self._transition_done(session, rs, version)

    def approve(self, ruleset: str, number: int | None = None, comment: str = "") -> VersionInfo:
        """Sign off a version in review; nobody who wrote any of it may, neither the acting
        user nor, under `--as`, the admin behind it."""
        require_plain(comment, "the comment")
        with self._write() as session:
            user = self._require(session, "approver", "approving")
            rs = self._ruleset(session, ruleset, lock=True)
            version = self._version(session, rs, number, None if number else ("in_review",))
            self._expect_state(version, rs, ("in_review",), "approve")
            authors = data.author_names(session, [version.id])[version.id]
            if user.name in authors:
                raise TwoPersonRule(f"`{user.name}` wrote {ruleset}@v{version.number} and cannot approve it; "
                                    "another approver must")
            if self.login in authors:
                raise TwoPersonRule(f"`{self.login}` wrote {ruleset}@v{version.number} and cannot approve it, "
                                    f"not even as `{user.name}`; another approver must")
            self._verify_hash(session, rs, version)
            data.add_approval(session, version, user, comment)
            version.state = "approved"
            self._audit(session, "version.approve", f"ruleset:{ruleset}@{version.number}",
                        {"hash": version.content_hash, "comment": comment})
            return self._transition_done(session, rs, version)

    def reject(self, ruleset: str, number: int | None = None, comment: str = "") -> VersionInfo:
        """Send a version in review (or approved, not yet published) back to draft."""
        require_plain(comment, "the comment")
        with self._write() as session:
            self._require(session, "approver", "rejecting")
            rs = self._ruleset(session, ruleset, lock=True)
            version = self._version(session, rs, number, None if number else ("in_review", "approved"))
            self._expect_state(version, rs, ("in_review", "approved"), "reject")
            data.clear_approvals(session, version)
            version.state = "draft"
            version.submitted_at = None
            self._audit(session, "version.reject", f"ruleset:{ruleset}@{version.number}", {"comment": comment})
            return self._transition_done(session, rs, version)

    def publish(self, ruleset: str, number: int | None = None) -> VersionInfo:
        """Make an approved version the one served, retiring the previous one, atomically.

        Without `number` this is the newest approved version, refused when it
        is older than the published one: that would be a silent rollback.
        Naming the older number rolls back on purpose, audited as a rollback.
        Approved versions older than the one now published are retired with
        it (audited as superseded), so none can be published by default later.
        """
        with self._write() as session:
            self._require(session, "approver", "publishing")
            rs = self._ruleset(session, ruleset, lock=True)
            version = self._version(session, rs, number, None if number else ("approved",))
            self._expect_state(version, rs, ("approved",), "publish")
            self._verify_hash(session, rs, version)
            previous = data.published_version(session, rs)
            rollback = previous is not None and version.number < previous.number
            if rollback and number is None:
                raise InvalidTransition(f"{ruleset}@v{version.number} is older than the published "
                                        f"v{previous.number}; publishing it would roll back; to do that on purpose "
                                        f"give `--version {version.number}`")
            details: dict[str, Any] = {"hash": version.content_hash}
            if previous is not None:
                previous.state = "retired"
                details["retired"] = previous.number
                session.flush()  # the one-published index sees the old row leave first
            if rollback:
                details["rollback"] = True
            version.state = "published"
            version.published_at = data.now()
            session.flush()
            self._audit(session, "version.publish", f"ruleset:{ruleset}@{version.number}", details)
            for older in data.versions_of(session, rs):
                if older.state == "approved" and older.number < version.number:
                    older.state = "retired"
                    self._audit(session, "version.retire", f"ruleset:{ruleset}@{older.number}",
                                {"was": "approved", "superseded_by": version.number})
            return self._transition_done(session, rs, version)

    def retire(self, ruleset: str, number: int | None = None) -> VersionInfo:
        """Take a version out of use for good; retiring the published one leaves nothing served."""
        with self._write() as session:
            self._require(session, "approver", "retiring")
            rs = self._ruleset(session, ruleset, lock=True)
            version = self._version(session, rs, number, None if number else ("published",))
            self._expect_state(version, rs, ("draft", "in_review", "approved", "published"), "retire")
            was = version.state
            version.state = "retired"
            self._audit(session, "version.retire", f"ruleset:{ruleset}@{version.number}", {"was": was})
            return self._transition_done(session, rs, version)

    def _transition_done(self, session: Session, rs: Ruleset, version: Version) -> VersionInfo:
        try:
            session.flush()
        except StaleDataError:
            raise ConflictError(f"{rs.name}@v{version.number} was changed by someone else meanwhile; "
                                "reload and retry") from None
        except IntegrityError:
            raise ConflictError(f"another version of `{rs.name}` was published meanwhile; reload and retry") from None
        return self._info(session, rs, [version])[0]

    def diff(self, ruleset: str, old: int, new: int) -> VersionDiff:
        """What changed from version `old` to `new`; TamperedVersion if either was edited behind the store."""
        with self._read() as session:
            self._require(session, "viewer", "comparing versions")
            rs = self._ruleset(session, ruleset)
            a = self._verify_hash(session, rs, self._version(session, rs, old))
            b = self._verify_hash(session, rs, self._version(session, rs, new))
            return VersionDiff(ruleset, old, new, diff_sources(a, b, f"v{old}", f"v{new}"))

    @staticmethod
    def read_import(directory: str | Path, ruleset: str, jurisdictions: Sequence[str] = ()
                    ) -> tuple[dict[str, str], list[str]]:
        """Validate an import without a store: the name, the codes and the sources.

        The CLI calls this before opening (and maybe creating) the store, so a
        bad import writes nothing anywhere.  Returns the sources and the codes.
        """
        validate_ruleset_name(ruleset)
        codes = validate_jurisdictions(jurisdictions)
        return _validate_sources(read_sources(Path(directory))), codes

    def import_directory(self, directory: str | Path, ruleset: str,
                         jurisdictions: Sequence[str] = ()) -> ImportResult:
        """Load `*.policy` files (and `tests/*.json` cases) from a directory as a new draft.

        Creates the ruleset if needed; makes no version when the sources equal
        the newest version's, unless that one is retired (then there would be
        no way back to these sources).  Everything is validated before the
        store is touched.
        """
        sources, codes = self.read_import(directory, ruleset, jurisdictions)
        root = Path(directory)
        cases, skipped = read_cases(root)
        with self._write() as session:
            user = self._require(session, "editor", "importing a ruleset")
            rs = data.get_ruleset(session, ruleset, lock=True)
            if rs is None:
                rs = self._new_ruleset(session, ruleset, codes, user)
            latest = data.latest_version(session, rs)
            info = None
            if latest is None or latest.content_hash != sources_hash(sources) or latest.state == "retired":
                base = data.published_version(session, rs) or latest
                version = data.create_version(session, rs, sources, user, base)
                for writer in self._writers(session, user):
                    data.add_author(session, version, writer)
                self._audit(session, "version.import", f"ruleset:{ruleset}@{version.number}",
                            {"hash": version.content_hash, "from": str(root.resolve()), "files": len(sources)})
                info = self._info(session, rs, [version])[0]
            saved = 0
            for item in cases:
                try:
                    name, request, effect, rules, not_rules, images = _validate_case(item.case, dict(item.images))
                except InvalidInput as exc:
                    skipped.append(f"{item.origin}: {exc}")
                    continue
                testcases.save_case(session, rs, name, request, effect, rules, not_rules, images, user)
                saved += 1
            if saved:
                self._audit(session, "testcase.import", f"ruleset:{ruleset}", {"cases": saved})
            return ImportResult(ruleset, info, saved, tuple(skipped))

    # -- test cases and simulations ----------------------------------------------

    def list_test_cases(self, ruleset: str) -> tuple[TestCaseInfo, ...]:
        with self._read() as session:
            self._require(session, "viewer", "listing test cases")
            rs = self._ruleset(session, ruleset)
            return tuple(self._case_infos(session, testcases.list_cases(session, rs)))

    def _case_infos(self, session: Session, cases: Sequence[TestCase]) -> list[TestCaseInfo]:
        images = testcases.images_of(session, [c.id for c in cases])
        names = data.user_names(session, [c.updated_by_id for c in cases])
        return [TestCaseInfo(name=c.name, request=frozen_mapping(json.loads(c.request_json)),
                             expected_effect=c.expected_effect, expected_rules=tuple(json.loads(c.expected_rules)),
                             expected_not_rules=tuple(json.loads(c.expected_not_rules)),
                             images=tuple(ImageRef(n, h, s) for n, h, s in images[c.id]),
                             updated_by=names[c.updated_by_id], updated_at=c.updated_at) for c in cases]

    def save_test_case(self, ruleset: str, case: Mapping[str, Any],
                       images: Mapping[str, bytes] | None = None) -> TestCaseInfo:
        """Insert or replace a case (`{"name", "request", "expect"}`); every image the
        request names must come with its bytes in `images`."""
        name, request, effect, rules, not_rules, image_list = _validate_case(case, dict(images or {}))
        with self._write() as session:
            user = self._require(session, "editor", "saving test cases")
            rs = self._ruleset(session, ruleset)
            stored = testcases.save_case(session, rs, name, request, effect, rules, not_rules, image_list, user)
            self._audit(session, "testcase.save", f"ruleset:{ruleset}",
                        {"case": name, "effect": effect, "images": [n for n, _ in image_list]})
            return self._case_infos(session, [stored])[0]

    def delete_test_case(self, ruleset: str, name: str) -> None:
        with self._write() as session:
            self._require(session, "editor", "deleting test cases")
            rs = self._ruleset(session, ruleset)
            case = testcases.get_case(session, rs, name)
            if case is None:
                raise NotFound(f"ruleset `{ruleset}` has no test case `{name}`")
            testcases.delete_case(session, case)
            self._audit(session, "testcase.delete", f"ruleset:{ruleset}", {"case": name})

    def image_bytes(self, sha256: str) -> bytes:
        with self._read() as session:
            self._require(session, "viewer", "reading images")
            data_ = testcases.get_blob(session, sha256)
            if data_ is None:
                raise NotFound(f"no stored image {sha256[:12]}…")
            return data_

    def export_test_cases(self, ruleset: str, directory: str | Path) -> list[dict[str, Any]]:
        """Write each case's images under `directory` and return the cases with the
        request's image names pointing at those files, ready for the engine."""
        with self._read() as session:
            self._require(session, "viewer", "listing test cases")
            return testcases.export_cases(session, self._ruleset(session, ruleset), Path(directory))

    def record_simulation(self, ruleset: str, number: int, outcomes: Sequence[CaseOutcome]) -> SimulationRunInfo:
        """Keep the outcome of running version `number` against test cases."""
        for o in outcomes:
            if o.expected_effect not in EFFECTS or (o.actual_effect is not None and o.actual_effect not in EFFECTS):
                raise InvalidInput(f"case `{o.case_name}`: effects must be one of {', '.join(EFFECTS)}")
        with self._write() as session:
            user = self._require(session, "editor", "recording simulations")
            rs = self._ruleset(session, ruleset)
            version = self._version(session, rs, number)
            ids = {c.name: c.id for c in testcases.list_cases(session, rs)}
            run = simulations.record_run(session, version, outcomes, user, ids)
            self._audit(session, "simulation.record", f"ruleset:{ruleset}@{number}",
                        {"run": run.id, "passed": run.passed, "failed": run.failed})
            return self._run_infos(session, rs, [(run, number)])[0]

    def list_simulation_runs(self, ruleset: str, limit: int = 50) -> tuple[SimulationRunInfo, ...]:
        with self._read() as session:
            self._require(session, "viewer", "listing simulations")
            rs = self._ruleset(session, ruleset)
            return tuple(self._run_infos(session, rs, simulations.runs_of(session, rs, limit)))

    def _run_infos(self, session: Session, rs: Ruleset, runs: Sequence[tuple[Any, int]]) -> list[SimulationRunInfo]:
        results = simulations.results_of(session, [r.id for r, _ in runs])
        names = data.user_names(session, [r.started_by_id for r, _ in runs])
        return [SimulationRunInfo(
            id=run.id, ruleset=rs.name, version=number, started_by=names[run.started_by_id],
            started_at=run.started_at, passed=run.passed, failed=run.failed,
            results=tuple(CaseResultInfo(r.case_name, r.expected_effect, tuple(json.loads(r.expected_rules)),
                                         r.actual_effect, tuple(json.loads(r.actual_rules)), r.passed, r.error,
                                         tuple(json.loads(r.expected_not_rules)))
                          for r in results[run.id]),
        ) for run, number in runs]

    # -- audit -------------------------------------------------------------------

    def audit_log(self, limit: int = 200, subject: str | None = None) -> tuple[AuditEventInfo, ...]:
        """Newest events first; `subject` like "ruleset:global" also matches its versions."""
        with self._read() as session:
            self._require(session, "viewer", "reading the audit log")
            return tuple(_event_info(e) for e in audit.recent(session, limit, subject))

    def verify_audit(self) -> AuditReport:
        """The chain's breaks, plus every place the versions table disagrees with the log."""
        with self._read() as session:
            self._require(session, "viewer", "verifying the audit log")
            report = audit.verify(session)
            mismatches = tuple(provenance.disagreements(session))
            return replace(report, ok=report.ok and not mismatches, mismatches=mismatches)


def _event_info(event: Any) -> AuditEventInfo:
    details = json.loads(event.details)
    via = details.pop("via", None) if isinstance(details, dict) else None
    return AuditEventInfo(event.seq, event.at, event.actor, event.action, event.subject,
                          frozen_mapping(details if isinstance(details, dict) else {"value": details}), event.hash,
                          via if isinstance(via, str) else None)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"unknown role `{shown(role)}`; choose one of {', '.join(ROLES)}")


def _a(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def _validate_sources(sources: Mapping[str, str]) -> dict[str, str]:
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


def _validate_case(case: Mapping[str, Any], images: Mapping[str, bytes]
                   ) -> tuple[str, dict[str, Any], str, list[str], list[str], list[tuple[str, bytes]]]:
    """Check a case's shape; return name, request, effect, rules, not_rules and the images in request order."""
    if not isinstance(case, Mapping):
        raise InvalidInput("a test case must be an object with `name`, `request` and `expect`")
    name = case.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise InvalidInput("a test case needs a `name` (text, at most 200 characters)")
    require_plain(name, f"the test case name `{name}`")
    request = case.get("request")
    if not isinstance(request, Mapping):
        raise InvalidInput(f"test case `{name}`: `request` must be an object")
    expect = case.get("expect")
    if not isinstance(expect, Mapping):
        raise InvalidInput(f"test case `{name}`: `expect` must be an object with `effect` and `rules`")
    effect = expect.get("effect")
    if effect not in EFFECTS:
        raise InvalidInput(f"test case `{name}`: `expect.effect` must be one of {', '.join(EFFECTS)}, got `{effect}`")
    rules = expect.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise InvalidInput(f"test case `{name}`: `expect.rules` must be a list of rule ids")
    not_rules = expect.get("not_rules", [])
    if not isinstance(not_rules, list) or not all(isinstance(r, str) for r in not_rules):
        raise InvalidInput(f"test case `{name}`: `expect.not_rules` must be a list of rule ids")
    names = request.get("images", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidInput(f"test case `{name}`: `request.images` must be a list of file names")
    missing = [n for n in names if n not in images]
    if missing:
        raise InvalidInput(f"test case `{name}`: no bytes given for image(s) {', '.join(missing)}")
    try:
        json.dumps(dict(request))
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"test case `{name}`: `request` is not plain JSON ({exc})") from None
    return name, dict(request), effect, list(rules), list(not_rules), [(n, images[n]) for n in names]


__all__ = ["Store", "CheckResult", "compile_check", "CaseOutcome", "StoreError"]
