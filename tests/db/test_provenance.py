"""The versions table is checked against the audit log: rows edited consistently with each other
(text and recomputed hash, or a state flipped by hand) are still caught by the loader and `audit verify`."""
from __future__ import annotations

import pytest

from jurist.db.errors import TamperedVersion
from jurist.db.hashing import sources_hash
from jurist.db.loader import published_sources

from store_support import GOOD_POLICY, Team, cli, published_ruleset, raw_sql

EVIL = "jurisdiction GB\ndefault allow\n"


def _approved_v2(team: Team) -> None:
    published_ruleset(team)
    draft = team.erin.create_draft("global", {"global/minors.policy": GOOD_POLICY + "rule r2: review intent:undress\n"})
    team.erin.submit("global", draft.number)
    team.bob.approve("global", draft.number)


def test_edited_text_with_recomputed_hash_is_refused(team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    published_ruleset(team)
    forged = sources_hash({"global/minors.policy": EVIL})
    raw_sql(url, f"UPDATE version_files SET text = '{EVIL}' WHERE path = 'global/minors.policy'",
            f"UPDATE versions SET content_hash = '{forged}' WHERE number = 1")
    with pytest.raises(TamperedVersion, match=r"^refusing to load global@v1: global@v1 was published with "
                                              r"sha256:[0-9a-f]{12}… per the audit log, but the versions table now "
                                              r"records sha256:[0-9a-f]{12}…; run `jurist audit verify`$"):
        published_sources(f"{url}#global")
    with pytest.raises(TamperedVersion):
        team.vic.published_sources("global")

    assert cli("audit", "verify", "--db", url) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"mismatch: global@v1: the versions table records {forged[:19]}…, the audit log "
        f"{team.vic.audit_log(limit=1)[0].details['hash'][:19]}…",
        f"mismatch: global@v1 was published with {team.vic.audit_log(limit=1)[0].details['hash'][:19]}… per the "
        f"audit log, but the versions table now records {forged[:19]}…",
    ]
    assert err == "jurist: error: the tables disagree with the audit log in 2 place(s)\n"


def test_state_flipped_by_hand_is_refused(team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _approved_v2(team)
    raw_sql(url, "UPDATE versions SET state = 'retired' WHERE number = 1",
            "UPDATE versions SET state = 'published' WHERE number = 2")
    with pytest.raises(TamperedVersion, match=r"^refusing to load global@v2: global@v2 is published in the versions "
                                              r"table, but the audit log says it is approved; "):
        published_sources(f"{url}#global")
    assert cli("audit", "verify", "--db", url) == 1
    assert capsys.readouterr().out.splitlines() == [
        "mismatch: global@v1: the versions table says it is retired, the audit log says published",
        "mismatch: global@v2: the versions table says it is published, the audit log says approved",
    ]


def test_a_never_reviewed_draft_flipped_to_published_is_refused(team: Team, url: str) -> None:
    team.erin.create_ruleset("global")
    team.erin.create_draft("global", {"a.policy": GOOD_POLICY})
    raw_sql(url, "UPDATE versions SET state = 'published' WHERE number = 1")
    with pytest.raises(TamperedVersion, match="global@v1 is published in the versions table, but the audit log "
                                              "says it is a draft"):
        published_sources(f"{url}#global")


def test_the_published_version_needs_a_recorded_approval() -> None:
    """Even a state sequence that looks right needs an approval of the very hash served."""
    from jurist.db.models import Version
    from jurist.db.provenance import Trail, publication_problem

    version = Version(number=1, content_hash="sha256:" + "a" * 64)
    trail = Trail(state="published", hash=version.content_hash, published_hash=version.content_hash)
    assert publication_problem(trail, version, "global@v1") == (
        "global@v1: the audit log records no approval of sha256:aaaaaaaaaaaa…")


def test_untouched_store_agrees_with_its_log(team: Team, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _approved_v2(team)
    team.alice.publish("global")
    team.alice.retire("global")
    team.erin.create_draft("global")
    assert team.vic.verify_audit().mismatches == ()
    assert cli("audit", "verify", "--db", url) == 0
    assert capsys.readouterr().out.endswith("; every event is one Jurist could have written; "
                                            "the tables agree with it\n")
