"""The store as servers use it, on SQLite and PostgreSQL: tokens, decision records, following versions."""
from __future__ import annotations

import threading
import time

import pytest

import jurist
from jurist.db.errors import PermissionDenied, TamperedVersion
from jurist.db.serving import ServingStore
from jurist.db.tokens import digest
from jurist.engine.decision_record import DecisionRecord

from store_support import GOOD_POLICY, published_ruleset

OTHER_POLICY = GOOD_POLICY.replace("minors_nudity", "minors_any_nudity")


def test_only_admins_make_tokens_and_a_server_sees_only_live_ones(team, url):
    made = team.admin.add_token("image-service")
    team.admin.add_token("old")
    team.admin.revoke_token("old")
    for store in (team.erin, team.alice, team.vic):
        with pytest.raises(PermissionDenied, match="needs the admin role"):
            store.add_token("mine")
    serving = ServingStore.open(url)
    try:
        assert serving.token_digests() == {digest(made.secret)}
    finally:
        serving.close()
    assert [(e.action, e.subject) for e in team.admin.audit_log(3)] == [
        ("token.revoke", "token:old"), ("token.add", "token:old"), ("token.add", "token:image-service")]
    assert team.admin.verify_audit().ok


def test_decision_records_round_trip_through_the_table(team, url):
    published_ruleset(team)
    policy = jurist.load(f"{url}#global")
    decisions = [policy.decide({"country": "GB", "observations": {"persons": [{"labels": {
        "subject:minor": 0.9, "nudity:exposed": score}}]}}) for score in (0.9, 0.1)]
    serving = ServingStore.open(url)
    try:
        assert serving.append_records(DecisionRecord.of(d, d.request.to_json()) for d in decisions) == 2
    finally:
        serving.close()
    records = team.vic.decision_records()
    assert [(r.decision_id, r.decision.effect) for r in records] == [(d.decision_id, d.effect) for d in decisions]
    assert records[0].policy == policy.version and policy.version.name == "global@v1"
    assert team.vic.decision_records(request_sha256=decisions[1].request_sha256)[0].decision.effect == "allow"


def test_a_server_hears_of_a_publication_and_loads_it_verified(team, url):
    first = published_ruleset(team)
    serving = ServingStore.open(url)
    try:
        head = serving.published_head("global")
        assert head.number == first
        draft = team.erin.create_draft("global", {"global/minors.policy": OTHER_POLICY})
        team.erin.submit("global", draft.number)
        heard: list[bool] = []
        if serving.is_postgresql:
            serving.wait_for_change(0.1)  # start listening before the change
            waiter = threading.Thread(target=lambda: heard.append(serving.wait_for_change(20)))
            waiter.start()
            time.sleep(0.2)
        team.alice.approve("global", draft.number)
        if serving.is_postgresql:
            waiter.join()
            assert heard == [True]  # NOTIFY, not the poll, woke it
        assert serving.version("global", draft.number, approved=True).label == f"global@v{draft.number}"
        team.alice.publish("global", draft.number)
        assert serving.published_head("global").number == draft.number
        assert serving.published("global").sources == {"global/minors.policy": OTHER_POLICY}
        assert serving.version_state("global", first) == "retired"
    finally:
        serving.close()


def test_a_candidate_the_log_does_not_vouch_for_is_refused(team, url):
    from store_support import raw_sql

    published_ruleset(team)
    draft = team.erin.create_draft("global", {"global/minors.policy": OTHER_POLICY})
    serving = ServingStore.open(url)
    try:
        with pytest.raises(TamperedVersion, match="records no approval"):
            serving.version("global", draft.number, approved=True)
        assert serving.version("global", draft.number, approved=False).number == draft.number
        raw_sql(url, f"UPDATE version_files SET text = 'default allow' WHERE version_id = "
                     f"(SELECT id FROM versions WHERE number = {draft.number})")
        with pytest.raises(TamperedVersion, match="was altered in the database"):
            serving.version("global", draft.number, approved=False)
    finally:
        serving.close()
