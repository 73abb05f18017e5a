"""Transparency figures and statements of reasons on a log whose counts are known."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from decision_logs import IMAGE, paid, record, write_jsonl
from jurist.cli import main
from jurist.workbench.decision_logs import DecisionLog
from jurist.workbench.transparency import EEA, STATEMENT_FIELDS, figures, to_csv

LAW = {"id": "gb_law", "effect": "deny", "source": "gb.policy:3", "cite": "Sexual Offences Act 2003 s.66E",
       "message": "Not allowed in the United Kingdom."}
TERMS = {"id": "paid_only", "effect": "deny", "source": "access.policy:1",
         "cite": "Platform policy: paid subscribers only", "message": "Paid subscribers only."}
REVIEW = {"id": "nudity_review", "effect": "review", "source": "r.policy:1", "cite": "Platform policy: review",
          "message": "Needs review."}
DETECTED = [{"name": "faces", "ms": 120.0, "ok": True}]


def known() -> list[dict]:
    """In February, 12: 3 GB denials under a law (2 with detectors), 2 FR denials under the terms, 1 FR review,
    4 DE allows (1 with detectors), 1 GB denial that failed closed, 1 malformed request; and 2 records outside
    February, 1 shadow record."""
    out = []
    n = iter(range(100))
    out += [record(next(n), paid("GB"), effect="deny", rules=[LAW], images=IMAGE, runs=DETECTED) for _ in range(2)]
    out.append(record(next(n), paid("GB"), effect="deny", rules=[LAW]))
    out += [record(next(n), paid("FR"), effect="deny", rules=[TERMS]) for _ in range(2)]
    out.append(record(next(n), paid("FR"), effect="review", rules=[REVIEW], runs=DETECTED))
    out += [record(next(n), paid("DE")) for _ in range(3)] + [record(next(n), paid("DE"), runs=DETECTED)]
    unchecked = {**LAW, "unverified": "detector `nudenet` failed: model missing"}
    out.append(record(next(n), paid("GB"), effect="deny", rules=[unchecked], images=IMAGE,
                      runs=[{"name": "nudenet", "ms": 1.0, "ok": False, "error": "model missing"}]))
    out.append(record(next(n), paid("XX"), effect="deny", errors=["country: `XX` is not an ISO 3166-1 alpha-2 code"]))
    out += [record(next(n), paid("GB"), effect="deny", rules=[LAW], day="2026-01-31"),
            record(next(n), paid("GB"), effect="deny", rules=[LAW], day="2026-03-01"),
            record(next(n), paid("GB"), effect="deny", rules=[LAW], role="shadow")]
    return out


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "decisions.jsonl", known())


def test_figures_by_effect_country_ground_detection_and_failing_closed(log: Path) -> None:
    found = figures(DecisionLog.of_paths([log]), "2026-02-01", "2026-03-01")
    rows = {(s, k, e): n for s, k, e, n in found.rows()}
    assert rows[("total", "all decisions", "")] == 12
    assert [rows[("effect", e, e)] for e in ("deny", "review", "allow")] == [7, 1, 4]
    assert rows[("country", "GB", "deny")] == 4 and rows[("country", "FR", "deny")] == 2
    assert rows[("country", "FR", "review")] == 1 and rows[("country", "DE", "allow")] == 4
    assert rows[("ground", "legal: Sexual Offences Act 2003 s.66E", "deny")] == 4
    assert rows[("ground", "contractual: Platform policy: paid subscribers only", "deny")] == 2
    assert rows[("ground", "none: (no rule: the ruleset's default)", "allow")] == 4
    assert rows[("detection", "automated detection (detectors ran)", "deny")] == 3
    assert rows[("detection", "automated detection (detectors ran)", "allow")] == 1
    assert rows[("detection", "decided on the request alone (no detector ran)", "deny")] == 4
    assert rows[("human_review", "sent to human review (effect review)", "review")] == 1
    assert rows[("fail_closed_reason", "detector `nudenet` failed: model missing", "deny or review")] == 1
    assert rows[("fail_closed_reason", "malformed request: country: `XX` is not an ISO 3166-1 alpha-2 code",
                 "deny or review")] == 1
    assert to_csv(found).splitlines()[:2] == ["section,key,effect,decisions", "total,all decisions,,12"]


def test_statements_of_reasons_for_every_denial(log: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sor.csv"
    assert main(["transparency", "--log", str(log), "--from", "2026-02-01", "--until", "2026-03-01",
                 "--statements", str(out)]) == 0
    assert capsys.readouterr().out.startswith("# Decisions from 2026-02-01 to 2026-03-01\n\n12 decisions: 7 deny")
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == list(STATEMENT_FIELDS) and len(rows) == 7
    law, terms = rows[0], rows[3]
    assert (law["decision_ground"], law["illegal_content_legal_ground"], law["territorial_scope"]) == (
        "DECISION_GROUND_ILLEGAL_CONTENT", "Sexual Offences Act 2003 s.66E", "")  # GB is not in the EEA
    assert (law["automated_detection"], law["automated_decision"], law["content_type"]) == (
        "Yes", "AUTOMATED_DECISION_FULLY", "CONTENT_TYPE_IMAGE")
    assert (terms["decision_ground"], terms["incompatible_content_ground"]) == (
        "DECISION_GROUND_INCOMPATIBLE_CONTENT", "Platform policy: paid subscribers only")
    assert terms["territorial_scope"].split() == list(EEA) and terms["automated_detection"] == "No"
    assert rows[5]["decision_facts"].startswith("rule gb_law, counted as matched without being checked")
    assert rows[0]["category"] == "" and rows[0]["decision_account"] == ""  # the platform fills these in


def test_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    hostile = {**TERMS, "cite": "Platform policy", "message": "=HYPERLINK(\"http://x\")"}
    log = write_jsonl(tmp_path / "d.jsonl", [record(0, paid("FR"), effect="deny", rules=[hostile])])
    buffer = io.StringIO()
    figures(DecisionLog.of_paths([log]), None, None, buffer)
    row = list(csv.DictReader(io.StringIO(buffer.getvalue())))[0]
    assert row["incompatible_content_explanation"].startswith("'=")
