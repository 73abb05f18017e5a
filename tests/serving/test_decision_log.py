"""The decision log: records readable back and replayable, rotated files, the store sink, failing sinks."""
from __future__ import annotations

import base64
import io
import json
import re
import shutil
import time
from pathlib import Path

from PIL import Image

import jurist
from jurist.db.service import Store
from jurist.engine.decision_record import RECORD_FORMAT, DecisionRecord, read_records, record_files
from jurist.serving.decision_log import DecisionLog, JsonLinesSink
from jurist.serving.metrics import Metrics

from serving_support import post, request, start, write_rules

BIKINI = {"attire:bikini": 0.9, "subject:real_person": 0.9}


def photo_url() -> tuple[str, bytes]:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 200)).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode(), buf.getvalue()


def test_records_hold_what_a_replay_needs_and_no_image_bytes(tmp_path):
    logs = tmp_path / "log"
    srv = start(decision_log=(str(logs),))
    url, data = photo_url()
    answers = [post(srv.url + "/v1/decide", request(country="GB", labels=BIKINI))[1],
               post(srv.url + "/v1/decide", {**request(prompt="a cat"), "images": [url]})[1],
               post(srv.url + "/v1/decide", {"country": "XX"})[1]]
    srv.stop()  # a clean shutdown writes every queued record
    records = list(read_records(logs))
    assert [r.decision_id for r in records] == [a["decision_id"] for a in answers]
    assert all(r.format == RECORD_FORMAT and r.role == "served" for r in records)
    assert [r.request_sha256 for r in records] == [a["request_sha256"] for a in answers]
    assert [r.decision.effect for r in records] == [a["effect"] for a in answers] == ["deny", "allow", "deny"]
    photo = records[1]
    import hashlib

    assert [i.sha256 for i in photo.images] == [hashlib.sha256(data).hexdigest()]
    assert re.fullmatch(r"[0-9a-f]{16}", photo.images[0].dhash or "")
    assert "images" not in photo.request and photo.request["prompt"] == "a cat"
    text = "".join(p.read_text() for p in record_files(logs))
    assert base64.b64encode(data).decode()[:40] not in text  # the photo itself is not kept
    assert records[2].decision.errors == ("country: `XX` is not an ISO 3166-1 alpha-2 code",)
    # Replaying a record against the same rules, from its recorded observations, decides the same.
    policy = jurist.load(srv.service.following.current.policy.origin, trust_observations=True)
    for record in records[:2]:
        again = policy.decide(record.replay_request())
        assert (again.effect, again.rule_ids) == (record.decision.effect, record.decision.rule_ids)


def test_files_rotate_into_gzip_and_read_back_in_order(tmp_path):
    policy = jurist.load(write_rules(folder=tmp_path))
    log = DecisionLog([JsonLinesSink(tmp_path / "log", rotate_bytes=4000)], Metrics())
    made = [policy.decide(request(country="GB", labels={"attire:bikini": i / 100, "subject:real_person": 0.9}))
            for i in range(60)]
    for decision in made:
        log.put(decision, decision.request)
    log.close()
    files = record_files(tmp_path / "log")
    assert len(files) > 3 and all(f.name.endswith(".jsonl.gz") for f in files[:-1])
    assert [r.decision_id for r in read_records(tmp_path / "log")] == [d.decision_id for d in made]
    assert DecisionRecord.loads(made_line := DecisionRecord.of(made[0], made[0].request.to_json()).dumps()).dumps() \
        == made_line


def test_the_store_sink_writes_records_people_can_read(tmp_path):
    url = f"sqlite:///{tmp_path / 'jurist.db'}"
    Store.open(url, login="admin", create=True).close()
    srv = start(decision_log=("store",), db=url)
    answers = [post(srv.url + "/v1/decide", request(country="GB", labels=BIKINI))[1] for _ in range(3)]
    srv.stop()
    with Store.open(url, login="admin") as store:
        records = store.decision_records()
        assert [r.decision_id for r in records] == [a["decision_id"] for a in answers]
        one = store.decision_records(request_sha256=answers[0]["request_sha256"], limit=1)
        assert one[0].decision.rule_ids == ("geoblock",)


def test_a_dead_sink_costs_records_never_decisions(tmp_path, caplog):
    # The folder turns into a file (as good as a full disk to the writer) and another process locks
    # the database: decisions go on exactly as before; the losses are counted and said.
    url = f"sqlite:///{tmp_path / 'jurist.db'}?timeout=0.2"
    Store.open(url, login="admin", create=True).close()
    logs = tmp_path / "log"
    srv = start(decision_log=(str(logs), "store"), db=url)
    locker = None
    try:
        assert post(srv.url + "/v1/decide", request(country="GB", labels=BIKINI))[1]["effect"] == "deny"
        deadline = time.monotonic() + 10
        while 'outcome="written",sink="store"} 1.0' not in srv.service.metrics.exposition().decode() \
                and time.monotonic() < deadline:  # both sinks have the first record
            time.sleep(0.05)
        shutil.rmtree(logs)
        logs.write_text("not a folder any more")
        import sqlite3

        locker = sqlite3.connect(tmp_path / "jurist.db", isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        effects = [post(srv.url + "/v1/decide", request(country="GB", labels=BIKINI))[1]["effect"]
                   for _ in range(20)]
        assert effects == ["deny"] * 20
        deadline = time.monotonic() + 10
        metrics = ""
        while time.monotonic() < deadline:
            metrics = srv.service.metrics.exposition().decode()
            if 'sink="jsonl"} 20.0' in metrics and 'outcome="failed",sink="store"} 20.0' in metrics:
                break
            time.sleep(0.1)
        assert 'jurist_decision_log_records_total{outcome="failed",sink="jsonl"} 20.0' in metrics
        assert 'jurist_decision_log_records_total{outcome="failed",sink="store"} 20.0' in metrics
        assert 'jurist_decision_log_records_total{outcome="written",sink="jsonl"} 1.0' in metrics
    finally:
        if locker is not None:
            locker.close()
        srv.stop()
    assert any("decision log sink `jsonl` failed" in r.getMessage() for r in caplog.records)
    assert any("decision log sink `store` failed" in r.getMessage() for r in caplog.records)


def test_a_record_of_another_format_is_refused_by_name(tmp_path):
    (tmp_path / "decisions-1.jsonl").write_text(json.dumps({"format": 99}) + "\n")
    import pytest

    with pytest.raises(ValueError, match=r"decisions-1.jsonl:1: not a decision record \(decision record format 99"):
        list(read_records(tmp_path))


def test_two_workers_log_every_decision_by_a_clean_shutdown_and_count_them_together(tmp_path):
    import signal
    import subprocess
    import sys
    import urllib.request

    rules = write_rules(folder=tmp_path)
    logs = tmp_path / "log"
    proc = subprocess.Popen([sys.executable, "-m", "jurist", "serve", "--rules", str(rules), "--port", "0",
                             "--insecure-no-auth", "--workers", "2", "--decision-log", str(logs),
                             "--log-level", "warning"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "with 2 worker(s)" in line, proc.stderr.read() if proc.poll() is not None else line
        base = line.split(" on ", 1)[1].split("/v1/decide")[0]
        ids = [post(base + "/v1/decide", request(country="GB", labels=BIKINI))[1]["decision_id"] for _ in range(60)]
        with urllib.request.urlopen(base + "/metrics", timeout=10) as resp:
            metrics = resp.read().decode()
        assert 'jurist_decisions_total{effect="deny",role="served"} 60.0' in metrics  # both workers, added up
    finally:
        proc.send_signal(signal.SIGTERM)
        stderr = proc.communicate(timeout=60)[1]
    assert sorted(r.decision_id for r in read_records(logs)) == sorted(ids), stderr
