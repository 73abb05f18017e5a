"""Grammar-aware fuzzing of the compiler (issue 15): any text shaped like a policy, broken or odd, is
reported as diagnostics, never an exception.  `fuzz/run.py --minutes N` runs the same property longer."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from fuzz_policies import check_compile, policy_texts, rulesets

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(rulesets())
def test_any_policy_shaped_text_compiles_to_diagnostics(sources: dict[str, str]) -> None:
    check_compile(sources)


@SETTINGS
@given(policy_texts())
def test_one_file_of_broken_statements_compiles_to_diagnostics(text: str) -> None:
    check_compile({"gb.policy": text})
