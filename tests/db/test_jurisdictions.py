"""A ruleset's declared jurisdictions bound its rules (issue 15): a ruleset imported `--jurisdiction GB`
holding only FR rules was accepted."""
from __future__ import annotations

from pathlib import Path

import pytest

from jurist.db.errors import InvalidInput

from store_support import Team, cli

FRENCH = "jurisdiction FR\nrule fr_nudity: deny nudity:exposed\n"
SCOTTISH = "jurisdiction GB-SCT\nrule sct_nudity: deny nudity:exposed\n"
EVERYWHERE = "rule minors: deny subject:minor\n"


def _rules(tmp_path: Path, **files: str) -> Path:
    root = tmp_path / "rules"
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        (root / f"{name}.policy").write_text(text)
    return root


def test_import_refuses_rules_outside_the_declared_jurisdictions(tmp_path: Path, url: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    directory = _rules(tmp_path, fr=FRENCH)
    assert cli("ruleset", "import", str(directory), "--name", "gb", "--jurisdiction", "GB", "--db", url) == 2
    assert capsys.readouterr().err == (
        "jurist: error: fr.policy:2: rule `fr_nudity` applies in FR, outside ruleset `gb`'s jurisdictions (GB); "
        "put it in a ruleset for FR, or create this ruleset with those jurisdictions too\n")
    if url.startswith("sqlite"):
        assert not Path(url.removeprefix("sqlite:///")).exists()  # nothing written, not even a store


def test_rules_inside_or_everywhere_are_accepted(tmp_path: Path, team: Team) -> None:
    directory = _rules(tmp_path, sct=SCOTTISH, common=EVERYWHERE)
    assert team.erin.import_directory(directory, "gb", ["GB"]).version is not None
    team.erin.submit("gb")


def test_an_existing_ruleset_keeps_its_jurisdictions(tmp_path: Path, team: Team) -> None:
    team.erin.import_directory(_rules(tmp_path, common=EVERYWHERE), "gb", ["GB"])
    with pytest.raises(InvalidInput, match="fr.policy:2: rule `fr_nudity` applies in FR, outside ruleset `gb`'s "
                                           r"jurisdictions \(GB\)"):
        team.erin.import_directory(_rules(tmp_path, fr=FRENCH), "gb")
    with pytest.raises(InvalidInput, match="ruleset `gb` exists for GB; --jurisdiction sets a new ruleset's "
                                           "jurisdictions and cannot change them to FR"):
        team.erin.import_directory(_rules(tmp_path, common=EVERYWHERE + "\n"), "gb", ["FR"])


def test_submit_refuses_a_draft_edited_to_rules_outside(team: Team) -> None:
    team.erin.create_ruleset("gb", ["GB"])
    team.erin.create_draft("gb", {"fr.policy": FRENCH})  # drafts may be anything while being written
    with pytest.raises(InvalidInput, match="rule `fr_nudity` applies in FR, outside ruleset `gb`'s"):
        team.erin.submit("gb")
