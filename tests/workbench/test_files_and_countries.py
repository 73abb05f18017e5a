"""A draft's files (new for a place, renamed, deleted) and the rules that apply to one country."""
from __future__ import annotations

import pytest

from jurist.dsl import compile_sources
from jurist.engine.vocabulary import SCHEMA
from jurist.workbench.countries import rules_for
from jurist.workbench.files import (
    FileError,
    file_for,
    path_problem,
    suggested_path,
    with_new_file,
    with_renamed_file,
    with_rule_for,
    without_file,
)

from small_ruleset import SOURCES


def test_a_new_file_for_a_country_opens_with_its_header_and_compiles_without_warnings() -> None:
    path = suggested_path("DE", SOURCES)
    assert path == "de.policy"
    sources = with_new_file(SOURCES, path, "DE")
    assert sources[path] == "# Germany.\njurisdiction DE\n\n"
    assert compile_sources(sources, SCHEMA).diagnostics == compile_sources(dict(SOURCES), SCHEMA).diagnostics
    assert suggested_path("US-CA", {"us-ca.policy": ""}) == "us-ca-2.policy"
    assert with_new_file(SOURCES, "global/extra.policy", None)["global/extra.policy"] == "# Rules for every country.\n\n"


def test_file_names_that_cannot_be_used_are_refused_with_the_reason() -> None:
    assert path_problem("gb/uk.policy", SOURCES) == "`gb/uk.policy` already exists"
    assert "does not end in `.policy`" in path_problem("notes.txt", SOURCES)
    assert "not a plain file name" in path_problem("../etc.policy", SOURCES)
    assert "not a plain file name" in path_problem("GB.policy", SOURCES)
    with pytest.raises(FileError, match="already exists"):
        with_new_file(SOURCES, "eu/eu.policy", "FR")


def test_rename_and_delete_keep_the_other_files() -> None:
    renamed = with_renamed_file(SOURCES, "gb/uk.policy", "gb.policy")
    assert "gb/uk.policy" not in renamed and renamed["gb.policy"] == SOURCES["gb/uk.policy"]
    assert set(renamed) - {"gb.policy"} == set(SOURCES) - {"gb/uk.policy"}
    with pytest.raises(FileError, match="`eu/eu.policy` already exists"):
        with_renamed_file(SOURCES, "gb/uk.policy", "eu/eu.policy")
    assert "gb/uk.policy" not in without_file(SOURCES, "gb/uk.policy")
    with pytest.raises(FileError, match="the ruleset's only file"):
        without_file({"a.policy": ""}, "a.policy")


def test_a_rule_for_a_country_goes_into_its_file_or_a_new_one_and_compiles() -> None:
    sources, path, line, rule_id = with_rule_for(SOURCES, "GB")
    assert (path, rule_id) == ("gb/uk.policy", "gb_new_rule")
    assert sources[path].split("\n")[line - 1] == "rule gb_new_rule: review intent:sexualize subject:real_person"
    result = compile_sources(sources, SCHEMA)
    assert result.ok and "gb_new_rule" in [r.id for r in rules_for(result, "GB")]
    again, _, _, second = with_rule_for(sources, "GB")
    assert second == "gb_new_rule_2"
    sources, path, line, rule_id = with_rule_for(SOURCES, "JP")
    assert (path, line) == ("jp.policy", 4) and file_for(sources, "JP") == "jp.policy"
    assert compile_sources(sources, SCHEMA).ok


def test_a_countrys_rules_include_the_global_ones_and_those_of_its_sets_and_regions() -> None:
    result = compile_sources(dict(SOURCES), SCHEMA)
    fr = {r.id: r.scope for r in rules_for(result, "FR")}
    assert fr == {"minors_nudity": "everywhere", "undress_real": "everywhere", "eu_deepfake": "country"}
    us = {r.id: r.scope for r in rules_for(result, "US")}
    assert us == {"minors_nudity": "everywhere", "undress_real": "everywhere", "ca_deepfake": "region"}
    gb = rules_for(result, "GB")
    assert [r.effect for r in gb] == ["deny", "deny", "review"]  # strongest first
    swim = gb[-1]
    assert (swim.id, swim.cite, swim.source) == ("gb_swimwear_real", "Online Safety Act 2023 s.10", "gb/uk.policy:2")
    assert rules_for(compile_sources({"a.policy": "rule x: deny attire:bikni\n"}, SCHEMA), "GB") == ()
