"""The `jurist` CLI end to end: exit codes, output formats, readable errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import jurist
from jurist.cli import main

RULES = """\
set ILLEGAL = {GB, US-CA}
rule geoblock: deny attire:{bikini, underwear} subject:real_person where country in ILLEGAL
    cite "Platform policy"
    message "Not available here."
rule ban: deny where country in {ID, MY}
"""


@pytest.fixture
def ruleset(tmp_path):
    d = tmp_path / "rules"
    d.mkdir()
    (d / "main.policy").write_text(RULES)
    (d / "tests").mkdir()
    cases = [
        {"name": "gb bikini", "request": _req("GB", {"attire:bikini": 0.9, "subject:real_person": 0.9}),
         "expect": {"effect": "deny", "rules": ["geoblock"]}},
        {"name": "fr bikini", "request": _req("FR", {"attire:bikini": 0.9, "subject:real_person": 0.9}),
         "expect": {"effect": "allow", "not_rules": ["geoblock"]}},
        {"name": "indonesia", "request": _req("ID", {}), "expect": {"effect": "deny", "rules": ["ban"]}},
    ]
    (d / "tests" / "cases.json").write_text(json.dumps({"cases": cases}))
    return d


def _req(country, labels):
    return {"action": "generate", "country": country, "user": {"tier": "paid"}, "surface": "app",
            "date": "2026-03-01", "observations": {"labels": labels}}


def test_check_clean_exits_0_and_errors_exit_1(ruleset, tmp_path, capsys):
    assert main(["check", str(ruleset)]) == 0
    assert "ok, 2 rules" in capsys.readouterr().out
    bad = tmp_path / "bad.policy"
    bad.write_text("deny attire:bikinni\ndeny where country = QQ\n")
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.policy:1:6: error: unknown label `attire:bikinni`" in err
    assert "bad.policy:2:22: error: unknown country code `QQ`" in err


def test_check_json_lists_every_diagnostic(tmp_path, capsys):
    bad = tmp_path / "bad.policy"
    bad.write_text("set UNUSED = {FR}\ndeny atire:x\n")
    assert main(["check", "--json", str(bad)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(d["severity"], d["code"], d["line"]) for d in data] == [("warning", "unused-set", 1),
                                                                     ("error", "unknown-label", 2)]


def test_compile_graph_json_and_dot(ruleset, tmp_path, capsys):
    assert main(["compile", str(ruleset), "--graph", "json"]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in graph["rules"]} == {"geoblock", "ban"}
    out = tmp_path / "g.dot"
    assert main(["compile", str(ruleset), "--graph", "dot", "-o", str(out)]) == 0
    assert out.read_text().startswith("digraph jurist {")
    assert main(["compile", str(ruleset)]) == 0
    assert "2 rules" in capsys.readouterr().out


def test_decide_prints_decision_json_and_explain(ruleset, tmp_path, capsys):
    req = tmp_path / "req.json"
    req.write_text(json.dumps(_req("US", {"attire:bikini": 0.9, "subject:real_person": 0.9}) | {"region": "US-CA"}))
    assert main(["decide", "--rules", str(ruleset), "--request", str(req)]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["effect"] == "deny"
    assert decision["rules"][0] == {"id": "geoblock", "effect": "deny", "cite": "Platform policy",
                                    "message": "Not available here.", "source": "main.policy:2"}
    assert main(["decide", "--rules", str(ruleset), "--request", str(req), "--explain"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("decision: DENY") and "cite: Platform policy" in text


def test_decide_with_bad_request_is_a_readable_error(ruleset, tmp_path, capsys):
    req = tmp_path / "req.json"
    req.write_text('{"country": "GB",')
    assert main(["decide", "--rules", str(ruleset), "--request", str(req)]) == 2
    out, err = capsys.readouterr()
    assert err.startswith(f"jurist: error: {req}: not valid JSON")
    assert json.loads(out)["effect"] == "deny"  # stdout still carries the fail-closed decision
    req.write_text('{"country": "GB", "tier": "paid"}')
    assert main(["decide", "--rules", str(ruleset), "--request", str(req)]) == 2
    out, err = capsys.readouterr()
    assert "unknown request field `tier`" in err and "unknown request field `tier`" in json.loads(out)["errors"][0]
    assert main(["decide", "--rules", str(ruleset), "--request", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"jurist: error: {tmp_path}: is a directory"


def test_decide_with_broken_rules_prints_diagnostics(tmp_path, capsys):
    rules = tmp_path / "r.policy"
    rules.write_text("deny where country = FRR\n")
    req = tmp_path / "q.json"
    req.write_text("{}")
    assert main(["decide", "--rules", str(rules), "--request", str(req)]) == 1
    assert "did you mean `FR`?" in capsys.readouterr().err


def test_test_prints_table_coverage_and_closing_line(ruleset, capsys):
    assert main(["test", str(ruleset)]) == 0
    out = capsys.readouterr().out
    assert "PASS  gb bikini" in out and "coverage: 2/2 rules" in out
    assert out.rstrip().splitlines()[-1] == "3 passed, 0 failed"


def test_test_fails_on_a_wrong_expectation_and_names_the_problem(ruleset, capsys):
    cases = json.loads((ruleset / "tests" / "cases.json").read_text())
    cases["cases"][1]["expect"] = {"effect": "deny", "rules": ["geoblock"]}
    (ruleset / "tests" / "cases.json").write_text(json.dumps(cases))
    assert main(["test", str(ruleset)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  fr bikini" in out and "expected deny, got allow" in out
    assert out.rstrip().splitlines()[-1] == "2 passed, 1 failed"


def test_require_coverage_lists_unreached_rules(ruleset, capsys):
    (ruleset / "main.policy").write_text(RULES + "rule lonely: deny where country = JP\n")
    assert main(["test", str(ruleset), "--require-coverage"]) == 1
    out = capsys.readouterr().out
    assert "not reached by any case: lonely (main.policy:6)" in out


def test_baseline_lists_cases_that_change_decision(ruleset, tmp_path, capsys):
    old = tmp_path / "old"
    old.mkdir()
    (old / "main.policy").write_text("rule ban: deny where country in {ID, MY}\n")
    assert main(["test", str(ruleset), "--baseline", str(old)]) == 0
    out = capsys.readouterr().out
    assert "regression diff against" in out and "1 case(s) change" in out
    assert "gb bikini: allow -> deny" in out


@pytest.mark.parametrize("edit, message", [
    (lambda c: c["cases"][0]["expect"].update(rulez=["geoblock"]),
     "case `gb bikini`: unknown key `expect.rulez`; did you mean `expect.rules`?"),
    (lambda c: c["cases"][1].update(reqest={}), "case `fr bikini`: unknown key `reqest`; did you mean `request`?"),
    (lambda c: c["cases"][2]["expect"].update(rules="ban"), "case `indonesia`: `expect.rules` must be a list"),
    (lambda c: c.update(cases=[]), "cases.json: holds no cases"),
])
def test_a_case_file_mistake_is_refused_rather_than_passing_unchecked(ruleset, capsys, edit, message):
    path = ruleset / "tests" / "cases.json"
    cases = json.loads(path.read_text())
    edit(cases)
    path.write_text(json.dumps(cases))
    assert main(["test", str(ruleset)]) == 2
    assert message in capsys.readouterr().err


def test_diagnostics_name_files_as_given_on_the_command_line(tmp_path, capsys):
    for name in ("m1", "m2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.policy").write_text("deny attire:bikni\n")
    assert main(["check", str(tmp_path / "m1"), str(tmp_path / "m2"), "--json"]) == 1
    files = [d["file"] for d in json.loads(capsys.readouterr().out)]
    assert files == [str(tmp_path / "m1" / "x.policy"), str(tmp_path / "m2" / "x.policy")]
    with pytest.raises(jurist.CompileError) as err:
        jurist.load(tmp_path / "m1" / "x.policy")
    assert str(err.value).startswith(f"{tmp_path / 'm1' / 'x.policy'}:1:6: unknown label")


def test_a_policy_file_that_is_not_utf8_is_named_with_its_bad_byte(tmp_path, capsys):
    (tmp_path / "a.policy").write_bytes(b'rule a: deny where country = GB\n  message "caf\xe9"\n')
    assert main(["check", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == (f"jurist: error: {tmp_path / 'a.policy'}:2:15: not UTF-8 text "
                                               "(byte 0xe9); save the file as UTF-8")


def test_missing_path_is_a_one_line_error(capsys):
    assert main(["check", "/no/such/place"]) == 2
    assert capsys.readouterr().err.strip() == "jurist: error: /no/such/place: no such file or directory"


def test_console_script_runs_as_a_module(ruleset):
    done = subprocess.run([sys.executable, "-m", "jurist", "check", str(ruleset)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_committed_vocabulary_doc_is_current():
    from pathlib import Path

    from jurist.cli.vocabulary import render_markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "vocabulary.md"
    assert doc.read_text(encoding="utf-8") == render_markdown(), \
        "docs/vocabulary.md is stale: run `jurist vocabulary -o docs/vocabulary.md`"


def test_committed_rulesets_doc_is_current(tmp_path, monkeypatch):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)  # the doc names the path it was generated from
    out = tmp_path / "rulesets.md"
    assert main(["report", "--markdown", "rulesets/", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (root / "docs" / "rulesets.md").read_text(encoding="utf-8"), \
        "docs/rulesets.md is stale: run `jurist report --markdown rulesets/ -o docs/rulesets.md`"


@pytest.mark.parametrize("body, reason", [
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON: nested too deeply"),
    (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "not valid JSON: nested too deeply"),
    (b'{"country": "GB", "prompt": "\xff\xfe"}', "not valid UTF-8 at byte 29"),
    (b'{"country": "GB", "observations": {"labels": {"attire:bikini": ' + b"1" * 5000 + b"}}}",
     "not valid JSON: a number with over 4,300 digits"),
])
def test_decide_on_an_unreadable_request_prints_the_deny_and_one_line(ruleset, tmp_path, capsys, body, reason):
    """Issue 15: deep nesting exited 3 (RecursionError), non-UTF-8 exited 2 with nothing on stdout."""
    req = tmp_path / "req.json"
    req.write_bytes(body)
    assert main(["decide", "--rules", str(ruleset), "--request", str(req)]) == 2
    out, err = capsys.readouterr()
    assert err == f"jurist: error: {req}: {reason}\n"
    decision = json.loads(out)
    assert decision["effect"] == "deny" and decision["errors"] == [reason]
    assert main(["decide", "--rules", str(ruleset), "--request", str(req), "--explain"]) == 2
    assert capsys.readouterr().out.startswith("decision: DENY")


def test_decide_on_a_missing_request_file_still_prints_the_deny(ruleset, tmp_path, capsys):
    assert main(["decide", "--rules", str(ruleset), "--request", str(tmp_path / "nope.json")]) == 2
    out, err = capsys.readouterr()
    assert err == f"jurist: error: {tmp_path / 'nope.json'}: no such file or directory\n"
    assert json.loads(out)["effect"] == "deny"


def test_check_summary_escapes_the_path(tmp_path, capsys):
    """Issue 15: `jurist check`'s summary line printed the path raw, escape sequences and all."""
    hostile = tmp_path / "evil\x1b[31m"
    hostile.mkdir()
    (hostile / "main.policy").write_text(RULES)
    assert main(["check", str(hostile)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and out.endswith(f"{tmp_path}/evil\\x1b[31m: ok, 2 rules, 0 warning(s)\n")
