"""The user's actions on the store, as plain commands with no Qt inside.

Widgets call these and nothing else to read or change the store: each method
is one service call (or a short sequence of them), returns the service's frozen
records and lets `StoreError` through with its readable message.  Keeping
them here makes them testable without a window and keeps the ORM out of sight.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Mapping, Sequence

from jurist.db.audit import AuditReport
from jurist.db.errors import ConflictError, NothingPublished, NotFound
from jurist.db.hashing import sources_hash
from jurist.db.records import (
    AuditEventInfo, RulesetInfo, SimulationRunInfo, TestCaseInfo, UserInfo, VersionInfo, VersionSources,
)
from jurist.db.simulations import CaseOutcome
from jurist.db.service import Store


class Actions:
    """One user's commands against one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._case_dir = Path(tempfile.mkdtemp(prefix="jurist-cases-"))

    # -- who and what ------------------------------------------------------------

    def me(self) -> UserInfo | None:
        return self.store.whoami()

    @property
    def actor(self) -> str:
        return self.store.actor

    def rulesets(self) -> tuple[RulesetInfo, ...]:
        return self.store.list_rulesets()

    def versions(self, ruleset: str) -> tuple[VersionInfo, ...]:
        return self.store.list_versions(ruleset)

    def open(self, ruleset: str, number: int | None = None) -> VersionSources:
        """A version's sources, the newest one by default (what the editor opens)."""
        return self.store.get_sources(ruleset, number)

    def published(self, ruleset: str) -> VersionSources | None:
        try:
            return self.store.published_sources(ruleset)
        except (NothingPublished, NotFound):
            return None

    # -- editing -----------------------------------------------------------------

    def save(self, opened: VersionInfo, sources: Mapping[str, str]) -> VersionInfo:
        """Save edits: into the open draft (checking its revision), else as a new draft on top of it."""
        if opened.state == "draft":
            return self.store.save_draft(opened.ruleset, opened.number, dict(sources), opened.revision)
        return self.store.create_draft(opened.ruleset, dict(sources), parent=opened.number)

    # -- review ------------------------------------------------------------------

    def transition(self, action: str, ruleset: str, number: int, comment: str = "") -> VersionInfo:
        """submit, approve, reject, publish or retire version `number`."""
        if action == "submit":
            return self.store.submit(ruleset, number)
        if action == "approve":
            return self.store.approve(ruleset, number, comment)
        if action == "reject":
            return self.store.reject(ruleset, number, comment)
        if action == "publish":
            return self.store.publish(ruleset, number)
        if action == "retire":
            return self.store.retire(ruleset, number)
        raise ValueError(f"unknown action `{action}`")

    def diff_sources(self, ruleset: str, old: int, new: int) -> tuple[dict[str, str], dict[str, str]]:
        return dict(self.store.get_sources(ruleset, old).sources), dict(self.store.get_sources(ruleset, new).sources)

    def audit(self, limit: int = 500, subject: str | None = None) -> tuple[AuditEventInfo, ...]:
        return self.store.audit_log(limit, subject)

    def verify_audit(self) -> AuditReport:
        return self.store.verify_audit()

    # -- test cases --------------------------------------------------------------

    def test_cases(self, ruleset: str) -> tuple[TestCaseInfo, ...]:
        return self.store.list_test_cases(ruleset)

    def runnable_cases(self, ruleset: str) -> list[dict[str, Any]]:
        """The ruleset's cases as engine JSON, their images written to a private temp folder."""
        return self.store.export_test_cases(ruleset, self._case_dir)

    def save_case(self, ruleset: str, name: str, request: Mapping[str, Any], effect: str,
                  rules: Sequence[str]) -> TestCaseInfo:
        """Store a simulation as a case; image paths become file names with their bytes attached."""
        body = dict(request)
        images: dict[str, bytes] = {}
        stored_as = []
        for path in body.get("images", []) or []:
            p = Path(path)
            data = p.read_bytes()
            file_name = p.name
            while file_name in images and images[file_name] != data:
                file_name = f"{len(images)}-{p.name}"
            images[file_name] = data
            stored_as.append(file_name)
        if stored_as:
            body["images"] = stored_as
        case = {"name": name_or_error(name), "request": body, "expect": {"effect": effect, "rules": list(rules)}}
        return self.store.save_test_case(ruleset, case, images)

    def delete_case(self, ruleset: str, name: str) -> None:
        self.store.delete_test_case(ruleset, name)

    # -- simulation runs ---------------------------------------------------------

    def record_run(self, version: VersionInfo, sources: Mapping[str, str],
                   outcomes: Sequence[CaseOutcome]) -> SimulationRunInfo:
        """Keep a run of `sources` against `version`, only if they are exactly what the store holds for it.

        A draft can be saved by someone else after it was opened; a run of the
        old text must not be filed under the new one.
        """
        stored = self.store.get_version(version.ruleset, version.number)
        if stored.content_hash != sources_hash(sources):
            raise ConflictError(f"{stored.label} was changed in the store since it was opened")
        return self.store.record_simulation(version.ruleset, version.number, outcomes)

    def simulation_runs(self, ruleset: str, limit: int = 10) -> tuple[SimulationRunInfo, ...]:
        """The ruleset's newest recorded runs, newest first."""
        return self.store.list_simulation_runs(ruleset, limit)


def name_or_error(name: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise ValueError("a test case needs a name")
    return cleaned
