"""Fuzzing the request parser (issue 15): every malformed request, as a value or as text, becomes a `deny`
decision naming the problem, never an exception.  `fuzz/run.py --minutes N` runs the same properties longer."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from fuzz_requests import check_decision, check_text, request_texts, requests

SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(requests)
def test_any_json_shaped_request_gets_a_decision_and_errors_deny(raw: object) -> None:
    check_decision(raw)


@SETTINGS
@given(request_texts())
def test_any_request_text_gets_a_decision_and_errors_deny(text: str) -> None:
    check_text(text)


def test_nesting_deeper_than_the_decoder_recurses_is_a_readable_refusal() -> None:
    decision = check_text('{"observations":' + "[" * 100_000 + "]" * 100_000 + "}")
    assert decision.effect == "deny" and decision.errors == ("not valid JSON: nested too deeply",)


def test_a_number_longer_than_python_reads_is_a_readable_refusal() -> None:
    """Found by this fuzzer: an integer literal of over 4,300 digits made `Request.loads` raise ValueError."""
    decision = check_text('{"country":"GB","observations":{"labels":{"attire:bikini":' + "1" * 5000 + "}}}")
    assert decision.effect == "deny" and decision.errors == ("not valid JSON: a number with over 4,300 digits",)


def test_a_value_nested_past_the_recursion_limit_is_denied() -> None:
    """Found by this fuzzer: showing such a value in an error message raised RecursionError from `decide`."""
    from fuzz_requests import BASE, nested

    for field in ("action", "surface"):
        decision = check_decision({**BASE, field: nested(5000)})
        assert decision.effect == "deny" and decision.errors == ("the request is nested too deeply to read",)
    decision = check_decision({**BASE, "observations": {"labels": {"attire:bikini": nested(5000)}}})
    assert decision.errors == ("the request is nested too deeply to read",)
