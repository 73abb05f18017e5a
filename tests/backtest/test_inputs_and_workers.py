"""The same report whatever the log is kept in and however many workers read it."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from decision_logs import BASELINE, CANDIDATE, known_log, write_jsonl
from jurist.workbench import decision_logs
from jurist.workbench.backtest import run_backtest
from jurist.workbench.decision_logs import DecisionLog, write_parquet

ROOT = Path(__file__).resolve().parents[2]


def without_run(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in ("run", "log")}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("logs")
    records = known_log() * 3  # the same decisions three times: counts triple, samples stay the earliest
    plain = write_jsonl(root / "decisions.jsonl", records)
    zipped = root / "decisions.jsonl.gz"
    zipped.write_bytes(gzip.compress(plain.read_bytes()))
    parquet = root / "decisions.parquet"
    write_parquet((json.dumps(r) for r in records), parquet, rows_per_group=20)
    folder = root / "rotated"
    folder.mkdir()
    write_jsonl(folder / "decisions-1.jsonl", records[:30])
    (folder / "decisions-2.jsonl.gz").write_bytes(gzip.compress("".join(json.dumps(r) + "\n"
                                                                        for r in records[30:]).encode()))
    return {"plain": plain, "gzip": zipped, "parquet": parquet, "folder": folder}


@pytest.fixture(scope="module")
def expected(logs: dict[str, Path]) -> dict[str, Any]:
    return without_run(run_backtest(DecisionLog.of_paths([logs["plain"]]), BASELINE, CANDIDATE).to_json())


def test_expected_counts_triple(expected: dict[str, Any]) -> None:
    assert expected["records"] == 81 and expected["flips"]["total"] == 54


@pytest.mark.parametrize("kind", ["gzip", "parquet", "folder"])
def test_compressed_parquet_and_folders_read_alike(logs: dict[str, Path], expected: dict[str, Any],
                                                   kind: str) -> None:
    report = run_backtest(DecisionLog.of_paths([logs[kind]]), BASELINE, CANDIDATE).to_json()
    assert without_run(report) == expected


def test_two_processes_give_the_same_report(logs: dict[str, Path], expected: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decision_logs, "MIN_RANGE", 700)  # a small log in many ranges: lines cut at every edge
    log = DecisionLog.of_paths([logs["plain"], logs["parquet"]])
    assert len(log.pieces(2)) > 10
    report = run_backtest(log, BASELINE, CANDIDATE, jobs=2).to_json()
    doubled = run_backtest(DecisionLog.of_paths([logs["plain"], logs["plain"]]), BASELINE, CANDIDATE).to_json()
    assert report["run"]["workers"] == "2 processes"
    assert without_run(report) == without_run(doubled)


def test_byte_ranges_cover_every_line_once(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(f'{{"n": {i}, "pad": "{"x" * (i % 37)}"}}\n' for i in range(500)))
    size = path.stat().st_size
    for step in (1, 7, 64, 1000, size):
        pieces = [decision_logs.LineRange(str(path), s, min(s + step, size)) for s in range(0, size, step)]
        seen = [json.loads(text)["n"] for piece in pieces for _, text in piece.texts()]
        assert seen == list(range(500)), step


def test_the_store_table_is_a_log(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from sqlalchemy import insert

    from jurist.db.connection import write_session
    from jurist.db.models import DecisionRecordRow
    from jurist.db.service import Store
    from jurist.engine.decision_ids import parse_utc

    store = Store.open(f"sqlite:///{tmp_path / 'store.db'}", login="admin", create=True)
    rows = [{"decision_id": r["decision_id"], "role": r["role"], "policy_name": "x", "policy_hash": "y",
             "decided_at": datetime.fromtimestamp(parse_utc(r["decided_at"]) / 1e9, tz=timezone.utc),
             "request_sha256": r["request_sha256"], "effect": "allow", "record": json.dumps(r)} for r in known_log()]
    with write_session(store._actor.engine) as session:  # noqa: SLF001 - filling the table as a server would
        session.execute(insert(DecisionRecordRow), rows)
    report = run_backtest(DecisionLog.of_store(store), BASELINE, CANDIDATE).to_json()
    assert (report["records"], report["flips"]["total"], report["needs_rescan"]["count"]) == (27, 18, 5)
    newest = run_backtest(DecisionLog.of_store(store, newest=10), BASELINE, CANDIDATE).to_json()
    assert newest["records"] + newest["skipped"].get("shadow", 0) == 10
    store.close()


def test_local_ray_gives_the_same_report(logs: dict[str, Path], expected: dict[str, Any], tmp_path: Path) -> None:
    """`jurist backtest --ray local` on a local Ray with 2 CPUs, bounded in time."""
    pytest.importorskip("ray")
    for name, rules in (("baseline", BASELINE), ("candidate", CANDIDATE)):
        (tmp_path / name).mkdir()
        for file, text in rules.sources.items():
            (tmp_path / name / file).write_text(text)
    out = tmp_path / "report.json"
    env = {**os.environ, "RAY_ENABLE_UV_RUN_RUNTIME_ENV": "0", "RAY_DEDUP_LOGS": "0"}
    done = subprocess.run([sys.executable, "-m", "jurist", "backtest", "--log", str(logs["plain"]), "--log",
                           str(logs["parquet"]), "--baseline", str(tmp_path / "baseline"), "--candidate",
                           str(tmp_path / "candidate"), "--ray", "local", "--jobs", "2", "--json", str(out)],
                          capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["run"]["workers"].startswith("Ray (local")
    doubled = run_backtest(DecisionLog.of_paths([logs["plain"], logs["plain"]]), BASELINE, CANDIDATE).to_json()
    names = {"baseline": str(tmp_path / "baseline"), "candidate": str(tmp_path / "candidate")}
    for side in ("baseline", "candidate"):
        assert report[side]["name"] == names[side]
        report[side]["name"] = side
    assert without_run(report) == without_run(doubled)
