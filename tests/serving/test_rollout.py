"""Following the store and trying candidates: hot swaps under load, retirement, shadow and canary."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from jurist.db.service import Store
from jurist.engine.decision_record import read_records
from jurist.engine.policy_version import sources_hash
from jurist.workbench.checks import compile_check

from serving_support import get, post, start

V1 = {"main.policy": "rule gb: deny where country = GB\n"}
V2 = {"main.policy": "rule fr: deny where country = FR\n"}
H1, H2 = sources_hash(V1), sources_hash(V2)
EXPECTED = {(H1, "GB"): "deny", (H1, "FR"): "allow", (H2, "GB"): "allow", (H2, "FR"): "deny"}


class Team:
    """A store where erin writes and alice approves and publishes (the two-person rule)."""

    def __init__(self, folder: Path):
        self.url = f"sqlite:///{folder / 'jurist.db'}"
        with Store.open(self.url, login="admin", create=True) as admin:
            admin.add_user("erin", "editor")
            admin.add_user("alice", "approver")
        self.erin = Store.open(self.url, login="erin", check=compile_check)
        self.alice = Store.open(self.url, login="alice", check=compile_check)
        self.erin.create_ruleset("global")

    def draft(self, sources: dict[str, str]) -> int:
        number = self.erin.create_draft("global", sources).number
        self.erin.submit("global", number)
        return number

    def approve(self, sources: dict[str, str]) -> int:
        number = self.draft(sources)
        self.alice.approve("global", number)
        return number

    def close(self) -> None:
        self.erin.close()
        self.alice.close()


@pytest.fixture
def team(tmp_path):
    made = Team(tmp_path)
    made.alice.publish("global", made.approve(V1))
    yield made
    made.close()


def test_a_publication_is_served_at_once_with_no_failed_or_mixed_decision(team):
    srv = start(rules=f"{team.url}#global", reload_interval=0.05)
    v2 = team.approve(V2)
    failures: list[object] = []
    seen: list[tuple[str, str, str]] = []
    stop = threading.Event()

    def hammer(country: str) -> None:
        while not stop.is_set():
            status, body = post(srv.url + "/v1/decide", {"country": country})
            if status != 200:
                failures.append((status, body))
                continue
            seen.append((body["policy"]["sources_hash"], country, body["effect"]))
            status, batch = post(srv.url + "/v1/decide:batch", {"requests": [{"country": "GB"}, {"country": "FR"}]})
            hashes = {d["policy"]["sources_hash"] for d in batch.get("decisions", [])}
            if status != 200 or len(hashes) != 1:
                failures.append((status, batch))  # a batch is decided by one version, whole

    threads = [threading.Thread(target=hammer, args=(c,)) for c in ("GB", "FR", "GB", "FR")]
    try:
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        team.alice.publish("global", v2)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and sum(1 for h, _, _ in seen[-50:] if h == H2) < 50:
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        srv.stop()
    assert failures == []
    assert {h for h, _, _ in seen} == {H1, H2}
    assert all(EXPECTED[(h, country)] == effect for h, country, effect in seen)  # never one version's rules
    first_v2 = next(i for i, (h, _, _) in enumerate(seen) if h == H2)          # with the other's name
    assert all(h == H2 for h, _, _ in seen[first_v2 + 20:])  # every worker thread moved over
    metrics = srv.service.metrics.exposition().decode()
    assert 'jurist_policy_reloads_total{outcome="swapped"} 1.0' in metrics
    assert f'jurist_policy_info{{role="served",sources_hash="{H2}",version="global@v{v2}"}} 1.0' in metrics


def test_retiring_the_served_version_keeps_it_served_and_says_so(team):
    srv = start(rules=f"{team.url}#global", reload_interval=0.05)
    try:
        team.alice.retire("global", 1)
        deadline = time.monotonic() + 10
        while json.loads(get(srv.url + "/ready")[1])["serving"]["state"] != "retired" and time.monotonic() < deadline:
            time.sleep(0.05)
        status, body = get(srv.url + "/ready")
        ready = json.loads(body)
        assert status == 200 and ready["serving"]["state"] == "retired" and ready["serving"]["name"] == "global@v1"
        assert "keeps serving it" in ready["serving"]["warning"]
        assert post(srv.url + "/v1/decide", {"country": "GB"})[1]["effect"] == "deny"  # still v1's rules
        assert "jurist_policy_retired 1.0" in get(srv.url + "/metrics")[1].decode()
    finally:
        srv.stop()


def test_a_tampered_publication_is_refused_and_the_old_version_kept(team):
    from sqlalchemy import create_engine, text

    srv = start(rules=f"{team.url}#global", reload_interval=0.05)
    try:
        v2 = team.approve(V2)
        engine = create_engine(team.url)
        with engine.begin() as conn:  # someone flips the state with SQL: the log never saw v2 published
            conn.execute(text("UPDATE versions SET state = 'retired' WHERE number = 1"))
            conn.execute(text("UPDATE versions SET state = 'published' WHERE number = :n"), {"n": v2})
        engine.dispose()
        deadline = time.monotonic() + 10
        while 'outcome="refused"' not in get(srv.url + "/metrics")[1].decode() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert 'jurist_policy_reloads_total{outcome="refused"}' in get(srv.url + "/metrics")[1].decode()
        assert post(srv.url + "/v1/decide", {"country": "GB"})[1]["policy"]["sources_hash"] == H1
    finally:
        srv.stop()


def test_a_shadow_logs_the_decisions_that_differ(team, tmp_path):
    candidate = team.draft(V2)  # a shadow may be any version the log vouches for: nobody gets its answers
    logs = tmp_path / "log"
    srv = start(rules=f"{team.url}#global", shadow=f"global@v{candidate}", decision_log=(str(logs),))
    answers = [post(srv.url + "/v1/decide", {"country": c})[1] for c in ("GB", "FR", "DE", "GB")]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and 'outcome="same"} 1.0' not in srv.service.metrics.exposition().decode():
        time.sleep(0.05)
    metrics = srv.service.metrics.exposition().decode()
    srv.stop()
    assert [a["effect"] for a in answers] == ["deny", "allow", "allow", "deny"]  # v1 answers
    assert 'jurist_shadow_decisions_total{outcome="differs"} 3.0' in metrics
    assert 'jurist_shadow_decisions_total{outcome="same"} 1.0' in metrics
    records = list(read_records(logs))
    shadows = [r for r in records if r.role == "shadow"]
    by_id = {a["decision_id"]: a for a in answers}
    pairs = {(by_id[r.shadow_of]["effect"], r.decision.effect) for r in shadows}
    assert pairs == {("deny", "allow"), ("allow", "deny")} and len(shadows) == 3
    assert all(r.policy is not None and r.policy.sources_hash == H2 for r in shadows)
    assert all(r.policy is not None and r.policy.sources_hash == H1 for r in records if r.role == "served")


def test_a_canary_answers_its_share_sticky_by_key(team):
    candidate = team.approve(V2)
    srv = start(rules=f"{team.url}#global", canary=f"global@v{candidate}", share=0.05)
    try:
        hashes: list[str] = []
        for batch in range(100):  # 10,000 distinct requests, 100 per call
            items = [{"country": "DE", "observations": {"labels": {"attire:bikini": (batch * 100 + i) / 10_000}}}
                     for i in range(100)]
            status, body = post(srv.url + "/v1/decide:batch", {"requests": items})
            assert status == 200
            hashes.extend(d["policy"]["sources_hash"] for d in body["decisions"])
        share = hashes.count(H2) / len(hashes)
        assert 0.04 <= share <= 0.06, share
        assert set(hashes) == {H1, H2}
        # The same caller key always meets the same version, whatever it asks.
        for key in ("user-1", "user-2", "user-3", "user-4"):
            got = {post(srv.url + "/v1/decide", {"country": c}, headers={"X-Jurist-Canary-Key": key})[1]["policy"]
                   ["sources_hash"] for c in ("GB", "FR", "DE", "US", "JP")}
            assert len(got) == 1
        ready = json.loads(get(srv.url + "/ready")[1])
        assert ready["canary"]["share"] == 0.05 and ready["canary"]["name"] == f"global@v{candidate}"
        metrics = get(srv.url + "/metrics")[1].decode()
        assert 'jurist_decisions_total{effect="allow",role="canary"}' in metrics
    finally:
        srv.stop()


def test_a_canary_must_be_approved(team):
    from jurist.db.errors import TamperedVersion

    draft = team.draft(V2)
    with pytest.raises(TamperedVersion, match=f"refusing to serve global@v{draft}: the audit log records no "
                                              "approval of it"):
        start(rules=f"{team.url}#global", canary=f"global@v{draft}", share=0.05)
