"""Signed anchors of the audit log's head (issue 15): a later verify shows a rewritten or shortened history
that verifies on its own, and lists what was appended since the anchor."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from store_support import Team, cli, drop_audit_guard, forge_event, published_ruleset, raw_sql, rewrite_chain


@pytest.fixture
def anchored(team: Team, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """A published ruleset, an auditor's key pair, and an anchor of the head (event 10) signed with it."""
    published_ruleset(team)
    key = tmp_path / "auditor.key"
    assert cli("key", "generate", str(key)) == 0
    assert cli("audit", "anchor", "--db", url, "--key", str(key), "-o", str(tmp_path / "anchor.json")) == 0
    out = capsys.readouterr().out
    assert out.endswith(f"anchored event 10 ({json.loads((tmp_path / 'anchor.json').read_text())['head'][:16]}…) "
                        f"in {tmp_path / 'anchor.json'}; keep it outside the store\n")
    assert (key.stat().st_mode & 0o077) == 0  # the private key is its owner's alone
    return tmp_path / "anchor.json", Path(f"{key}.pub")


def _verify(url: str, anchor: Path, public: Path) -> int:
    return cli("audit", "verify", "--db", url, "--anchor", str(anchor), "--anchor-key", str(public))


def test_an_anchor_holds_and_lists_what_was_appended(team: Team, url: str, anchored: tuple[Path, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    anchor, public = anchored
    team.erin.create_draft("global")
    team.erin.submit("global")
    assert _verify(url, anchor, public) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"anchor: {anchor} holds: events 1–10 are as they were on ")
    assert lines[1] == "anchor: 2 event(s) appended since, 11–12, by erin: version.create ×1, version.submit ×1"
    assert lines[2].startswith("audit log intact: 12 events")


def test_an_anchor_reveals_a_rewritten_history_that_verifies_on_its_own(
        team: Team, url: str, anchored: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    anchor, public = anchored
    drop_audit_guard(url)
    rewrite_chain(url, 6, {"jurisdictions": ["FR"]})  # the ruleset "always was" French...
    raw_sql(url, "UPDATE rulesets SET jurisdictions = '[\"FR\"]'")  # ...and the table agrees
    assert cli("audit", "verify", "--db", url) == 0
    capsys.readouterr()
    assert _verify(url, anchor, public) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith(f"anchor: anchor {anchor}: event 10 no longer has the hash it had on ")
    assert out.splitlines()[0].endswith(": the history up to it was rewritten")
    assert err == "jurist: error: 1 anchor(s) no longer hold\n"


def test_an_anchor_reveals_a_shortened_history(team: Team, url: str, anchored: tuple[Path, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    anchor, public = anchored
    drop_audit_guard(url)
    raw_sql(url, "DELETE FROM audit_events WHERE seq >= 9",
            "UPDATE audit_head SET seq = 8, hash = (SELECT hash FROM audit_events WHERE seq = 8)")
    assert _verify(url, anchor, public) == 1
    assert f"anchor: anchor {anchor}: the log ends at event 8, before the anchored event 10: events were removed " \
           "since" in capsys.readouterr().out


def test_an_edited_or_foreign_anchor_is_not_trusted(team: Team, url: str, anchored: tuple[Path, Path],
                                                    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    anchor, public = anchored
    edited = tmp_path / "edited.json"
    edited.write_text(anchor.read_text().replace('"seq":10', '"seq":9'))
    assert _verify(url, edited, public) == 1
    assert "its signature does not verify (the file was edited after it was signed)" in capsys.readouterr().out
    assert cli("key", "generate", str(tmp_path / "other.key")) == 0
    capsys.readouterr()
    assert _verify(url, anchor, tmp_path / "other.key.pub") == 1
    assert "not the trusted key" in capsys.readouterr().out
    assert cli("audit", "verify", "--db", url, "--anchor", str(anchor)) == 2
    assert "--anchor needs --anchor-key" in capsys.readouterr().err


def test_a_log_that_does_not_verify_is_not_anchored(team: Team, url: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    published_ruleset(team)
    forge_event(url, "vic", "user.role", "user:vic", {"from": "viewer", "to": "admin"})
    assert cli("key", "generate", str(tmp_path / "k")) == 0
    assert cli("audit", "anchor", "--db", url, "--key", str(tmp_path / "k")) == 1
    assert capsys.readouterr().err == ("jurist: error: the audit log does not verify (2 problem(s)), so it cannot be "
                                       "anchored: an anchor would vouch for it; run `jurist audit verify`\n")
