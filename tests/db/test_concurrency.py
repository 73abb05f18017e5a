"""Concurrent use: two editors on one draft, racing publishers, parallel audit appends."""
from __future__ import annotations

import threading
from typing import Callable

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from jurist.db import rulesets as data
from jurist.db.connection import create_store_engine
from jurist.db.errors import ConflictError, InvalidTransition
from jurist.db.service import Store

from store_support import GOOD_POLICY, Team, published_ruleset


def _draft(team: Team) -> int:
    team.erin.create_ruleset("global")
    return team.erin.create_draft("global", {"a.policy": GOOD_POLICY}).revision


def test_second_save_of_same_revision_gets_conflict(team: Team) -> None:
    revision = _draft(team)
    team.erin.save_draft("global", 1, {"a.policy": GOOD_POLICY + "# erin\n"}, revision)
    with pytest.raises(ConflictError, match=r"global@v1 was changed by someone else \(it is at revision 2, "
                                            r"you edited revision 1\); reload it and reapply your edits"):
        team.alice.save_draft("global", 1, {"a.policy": GOOD_POLICY + "# alice\n"}, revision)
    assert team.vic.get_sources("global", 1).sources["a.policy"].endswith("# erin\n")
    assert team.vic.get_version("global", 1).authors == ("erin",)


def test_simultaneous_saves_one_wins_one_conflicts(team: Team, open_store: Callable[[str], Store]) -> None:
    """Two threads save the same revision at once, many times: never two winners, never a silent loss."""
    revision = _draft(team)
    editors = [open_store("erin"), open_store("alice")]
    for round_ in range(5):
        barrier = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def save(store: Store, who: str) -> None:
            barrier.wait()
            try:
                outcomes[who] = store.save_draft("global", 1, {"a.policy": GOOD_POLICY + f"# {who} {round_}\n"},
                                                 revision)
            except ConflictError as exc:
                outcomes[who] = exc

        threads = [threading.Thread(target=save, args=(s, s.actor)) for s in editors]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        winners = [who for who, o in outcomes.items() if not isinstance(o, Exception)]
        losers = [who for who, o in outcomes.items() if isinstance(o, ConflictError)]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        text = team.vic.get_sources("global", 1).sources["a.policy"]
        assert text.endswith(f"# {winners[0]} {round_}\n")
        revision += 1
        assert team.vic.get_version("global", 1).revision == revision


def test_stale_object_cannot_overwrite_newer_save(team: Team, url: str) -> None:
    """The guard is in the UPDATE itself (WHERE revision = read value), not only in the service's check."""
    revision = _draft(team)
    engine = create_store_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            with session.begin():
                ruleset = data.get_ruleset(session, "global")
                version = data.get_version(session, ruleset, 1)
            team.erin.save_draft("global", 1, {"a.policy": GOOD_POLICY + "# newer\n"}, revision)
            with pytest.raises(StaleDataError):
                with session.begin():
                    session.add(version)
                    data.replace_sources(session, version, {"a.policy": "default deny\n"})
    finally:
        engine.dispose()
    assert team.vic.get_sources("global", 1).sources["a.policy"].endswith("# newer\n")


def test_racing_publishers_leave_exactly_one_published(team: Team, open_store: Callable[[str], Store]) -> None:
    published_ruleset(team)
    for _ in range(2):
        draft = team.erin.create_draft("global")
        team.erin.submit("global", draft.number)
        team.bob.approve("global", draft.number)
    publishers = [(open_store("alice"), 2), (open_store("bob"), 3)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def publish(store: Store, number: int) -> None:
        barrier.wait()
        try:
            store.publish("global", number)
        except (ConflictError, InvalidTransition) as exc:  # told to retry, or v2 superseded by v3: nothing half-done
            errors.append(exc)

    threads = [threading.Thread(target=publish, args=p) for p in publishers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    states = [v.state for v in team.vic.list_versions("global")]
    assert states.count("published") == 1
    assert states[0] == "retired"
    assert states in (["retired", "retired", "published"], ["retired", "published", "approved"])
    assert team.vic.verify_audit().ok


def test_parallel_writers_keep_one_audit_chain(team: Team, open_store: Callable[[str], Store]) -> None:
    team.erin.create_ruleset("global")
    writers = [open_store("erin") for _ in range(4)]
    barrier = threading.Barrier(len(writers))

    def work(store: Store, index: int) -> None:
        barrier.wait()
        for n in range(5):
            store.save_test_case("global", {"name": f"case-{index}-{n}", "request": {"country": "GB"},
                                            "expect": {"effect": "allow", "rules": []}})

    threads = [threading.Thread(target=work, args=(s, i)) for i, s in enumerate(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(team.vic.list_test_cases("global")) == 20
    report = team.vic.verify_audit()
    assert report.ok, report.problems
