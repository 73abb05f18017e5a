"""The evaluation graph: shared nodes, the jurisdiction index, cheapest-first order, dumps."""
from __future__ import annotations

import json

from policy_helpers import CountingDetector, compile_text, policy, request


def test_identical_sub_expressions_are_one_node_whatever_their_order():
    result = compile_text("""\
        rule a: deny attire:bikini subject:real_person where country = GB
        rule b: review subject:real_person attire:bikini where country = FR
        rule c: deny where (action = edit and surface = app) or country = DE
        rule d: deny where (surface = app and action = edit) or country = IT
        """)
    g = result.graph
    roots = {r.rule.id: g.nodes[r.root] for r in g.rules}
    label_nodes = [n for n in g.nodes if n.kind == "label"]
    assert len(label_nodes) == 2  # attire:bikini and subject:real_person, each once
    shared_and = [n for n in g.nodes if n.kind == "all" and len(n.children) == 2 and "action" in n.text]
    assert len(shared_and) == 1 and g.refcount[shared_and[0].id] == 2
    assert set(roots["a"].children) & set(roots["b"].children)


def test_rules_are_indexed_by_place_and_a_request_only_touches_its_own():
    g = compile_text("""\
        rule gb: deny attire:bikini where country = GB
        rule ca: deny nudity:exposed where region = US-CA
        rule both: review attire:underwear where country in {FR, US-CA}
        rule everywhere: deny subject:minor
        """).graph
    ids = lambda idx: {g.rules[i].rule.id for i in idx}
    assert ids(g.candidates("GB", None)) == {"gb", "everywhere"}
    assert ids(g.candidates("US", "US-CA")) == {"ca", "both", "everywhere"}
    assert ids(g.candidates("JP", None)) == {"everywhere"}


def test_a_request_from_a_country_with_no_rules_touches_no_label():
    detector = CountingDetector("prompt_intent", {"intent:undress": 1.0})
    p = policy("""\
        rule gb: deny attire:bikini intent:undress where country = GB
        rule id: deny where country in {ID, MY}
        rule ca: deny intent:undress where region = US-CA
        """, detectors={"prompt_intent": detector})
    d = p.decide({**request(country="JP", labels={"attire:bikini": 1.0}), "prompt": "undress her"})
    assert d.effect == "allow"
    assert d.trace == ()
    assert detector.calls == 0
    # The unread prompt's labels are recorded as unchecked, the given score passes through.
    assert d.observations["labels"] == {"attire:bikini": 1.0}
    assert "intent:undress" in d.observations["unknown"]


def test_tests_are_ordered_context_first_then_cheap_detectors_then_costly():
    g = compile_text("deny nudity:exposed intent:undress subject:real_person where user.tier = free\n").graph
    root = g.nodes[g.rules[0].root]
    kinds = [g.nodes[c].text for c in root.children]
    assert kinds == ["user.tier = free", "intent:undress >= 0.5", "subject:real_person >= 0.5", "nudity:exposed >= 0.5"]


def test_within_a_tier_cheaper_rules_are_tried_first():
    detector = CountingDetector("prompt_intent", {"intent:undress": 0.9})
    p = policy("""\
        rule costly: deny nudity:exposed where country = FR
        rule cheap: deny intent:undress where country = FR
        """, detectors={"prompt_intent": detector})
    with_image = {**request(labels={"nudity:exposed": 0.9}), "prompt": "p", "images": ["upload.jpg"]}
    d = p.decide(with_image)
    assert d.rule_ids == ("cheap",) and d.unevaluated == ("costly",)
    assert detector.calls == 1


def test_labels_whose_detector_has_no_input_are_free_and_tried_first():
    detector = CountingDetector("prompt_intent", {"intent:undress": 0.9})
    p = policy("rule minor_prompt: deny intent:undress subject:minor\n", detectors={"prompt_intent": detector})
    text_only = p.decide({**request(), "prompt": "undress her"})
    assert text_only.effect == "allow"
    assert detector.calls == 0  # no image: subject:minor is 0 for free, so the prompt is never checked
    assert [t.subject for t in text_only.trace if t.kind == "test"] == ["subject:minor >= 0.5"]


def test_shadowed_rules_are_skipped_without_changing_the_decision():
    p = policy("""\
        rule broad: deny attire:bikini >= 0.4 where country = FR
        rule narrow: deny attire:bikini >= 0.8 where country = FR
        """)
    d = p.decide(request(labels={"attire:bikini": 0.5}))
    assert d.rule_ids == ("broad",) and "narrow" in d.unevaluated
    assert p.decide(request(labels={"attire:bikini": 0.3})).effect == "allow"


def test_graph_dumps_as_json_and_dot():
    g = compile_text("rule a: deny attire:bikini where country = GB\n").graph
    data = json.loads(g.dumps())
    assert data["rules"][0]["id"] == "a" and data["index"] == {"GB": ["a"]}
    assert {n["kind"] for n in data["nodes"]} == {"all", "location", "label"}
    dot = g.to_dot()
    assert dot.startswith("digraph jurist {") and '"place GB" -> r0' in dot


def test_a_person_rule_is_shadowed_by_the_same_image_level_rule():
    result = compile_text("""\
        rule image: deny subject:minor attire:bikini
        rule scoped: deny person(subject:minor attire:bikini)
        rule scoped_group: deny person(subject:minor attire:{bikini, underwear})
        """)
    assert {w.message.split("`")[1] for w in result.warnings} == {"scoped"}


def test_conditions_nested_to_the_limit_compile_and_evaluate():
    from jurist.dsl.ast_builder import MAX_NESTING

    depth = MAX_NESTING - 1
    p = policy("deny where " + "(action = edit or " * depth + "country = GB" + ")" * depth + "\n")
    assert p.decide(request(country="GB")).effect == "deny"
    assert p.decide(request(country="FR")).effect == "allow"
