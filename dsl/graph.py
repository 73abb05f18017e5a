"""The evaluation graph: shared sub-expressions, a jurisdiction index, cheapest-first order.

Built from the checked IR by pure functions.  Identical sub-expressions are
interned into one node (operands of `and`/`or` are put in a canonical,
cheapest-first order first, so `a and b` and `b and a` share a node).  Each
rule is filed under the places it can apply to, so a request only touches the
rules of its own country and region plus the rules that apply everywhere.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Hashable, Mapping, assert_never

from . import ir
from .keywords import EFFECTS
from .places import country_of
from .schema import LabelSchema



@dataclass(frozen=True, slots=True)
class Node:
    id: int
    kind: str            # location, equals, date, label, person, not, all, any
    cond: ir.Cond
    children: tuple[int, ...]
    detectors: frozenset[str]
    cost: float          # cost of the detectors this node may need to run
    text: str


@dataclass(frozen=True, slots=True)
class RuleNode:
    index: int
    rule: ir.Rule
    root: int
    detectors: frozenset[str]
    cost: float
    places: frozenset[str] | None  # where it can apply; None = everywhere


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    rules: tuple[RuleNode, ...]
    index: Mapping[str, tuple[int, ...]]      # place code → rule indexes filed under it
    everywhere: tuple[int, ...]               # rules with no place restriction
    shadowed_by: Mapping[int, int]            # rule index → the broader rule of the same effect
    default: str
    refcount: Mapping[int, int] = field(default_factory=dict)  # how many parents/rules use a node
    within: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # country → rules filed under its regions

    def candidates(self, country: str | None, region: str | None) -> list[int]:
        """Rule indexes that can apply to a request from this place, in evaluation order."""
        found = set(self.everywhere)
        for code in (country, region):
            if code:
                found.update(self.index.get(code, ()))
        if country and not region:
            # Region unknown: rules for any of the country's subdivisions may apply (fail closed).
            found.update(self.within.get(country, ()))
        return sorted(found, key=self.order_key)

    def order_key(self, i: int) -> tuple[int, float, int]:
        """Strongest effect first, then cheapest (by declared costs), then as written."""
        r = self.rules[i]
        return (EFFECTS.index(r.rule.effect), r.cost, i)  # strongest effect first

    def to_json(self) -> dict[str, Any]:
        return {
            "default": self.default,
            "nodes": [{"id": nd.id, "kind": nd.kind, "text": nd.text, "children": list(nd.children),
                       "detectors": sorted(nd.detectors), "cost_ms": nd.cost} for nd in self.nodes],
            "rules": [{"id": r.rule.id, "effect": r.rule.effect, "root": r.root, "cost_ms": r.cost,
                       "detectors": sorted(r.detectors), "source": r.rule.source,
                       "places": sorted(r.places) if r.places is not None else None,
                       "shadowed_by": self.rules[self.shadowed_by[r.index]].rule.id if r.index in self.shadowed_by else None}
                      for r in self.rules],
            "index": {code: [self.rules[i].rule.id for i in idx] for code, idx in sorted(self.index.items())},
            "everywhere": [self.rules[i].rule.id for i in self.everywhere],
        }

    def to_dot(self) -> str:
        lines = ["digraph jurist {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=10];']
        colours = {"deny": "#f4cccc", "review": "#fff2cc", "allow": "#d9ead3"}
        for r in self.rules:
            label = f"{r.rule.id}\\n{r.rule.effect} · {r.rule.source}"
            lines.append(f'  r{r.index} [shape=box, style="rounded,filled", fillcolor="{colours[r.rule.effect]}", '
                         f'label="{_dot_escape(label)}"];')
            lines.append(f"  r{r.index} -> n{r.root};")
        for nd in self.nodes:
            shape = "ellipse" if nd.children else "note"
            cost = f"\\n{nd.cost:g} ms" if nd.cost else ""
            text = nd.kind if nd.kind in ("all", "any", "not") else nd.text
            lines.append(f'  n{nd.id} [shape={shape}, label="{_dot_escape(text)}{cost}"];')
            for i, child in enumerate(nd.children):
                lines.append(f'  n{nd.id} -> n{child} [label="{i + 1}"];')
        for code, idx in sorted(self.index.items()):
            lines.append(f'  "place {code}" [shape=cds];')
            lines.extend(f'  "place {code}" -> r{i} [style=dashed];' for i in idx)
        lines.append("}")
        return "\n".join(lines) + "\n"

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)


def _dot_escape(text: str) -> str:
    return text.replace('"', '\\"')


def _kind(cond: ir.Cond) -> str:
    match cond:
        case ir.Location():
            return "location"
        case ir.Equals():
            return "equals"
        case ir.DateCmp():
            return "date"
        case ir.LabelTest():
            return "label"
        case ir.PersonTest():
            return "person"
        case ir.Not():
            return "not"
        case ir.All():
            return "all"
        case ir.AnyOf():
            return "any"
        case _:
            assert_never(cond)


class _Builder:
    def __init__(self, schema: LabelSchema):
        self.schema = schema
        self.nodes: list[Node] = []
        self.interned: dict[ir.Cond, int] = {}
        self.refcount: dict[int, int] = {}

    def detectors_of(self, cond: ir.Cond) -> frozenset[str]:
        return frozenset(d for k in ir.labels_of(cond) for d in self.schema.detectors_of(k))

    def cost(self, detectors: frozenset[str]) -> float:
        return sum(self.schema.detectors[d].cost_ms for d in detectors)

    def intern(self, cond: ir.Cond) -> int:
        children: tuple[int, ...]
        match cond:
            case ir.All() | ir.AnyOf():
                kids = sorted((self.intern(c) for c in cond.items), key=lambda i: (self.nodes[i].cost, i))
                children = tuple(dict.fromkeys(kids))
                cond = type(cond)(tuple(self.nodes[i].cond for i in children))
            case ir.Not():
                children = (self.intern(cond.item),)
            case ir.Location() | ir.Equals() | ir.DateCmp() | ir.LabelTest() | ir.PersonTest():
                children = ()
            case _:
                assert_never(cond)
        found = self.interned.get(cond)
        if found is not None:
            self.refcount[found] += 1
            return found
        for c in children:
            self.refcount[c] = self.refcount.get(c, 0)  # counted when first used by a parent below
        if children:  # a composite needs what its parts need
            dets = frozenset().union(*(self.nodes[c].detectors for c in children))
        else:
            dets = self.detectors_of(cond)
        node = Node(len(self.nodes), _kind(cond), cond, children, dets, self.cost(dets), ir.describe(cond))
        self.nodes.append(node)
        self.interned[cond] = node.id
        self.refcount[node.id] = 1
        return node.id


def places_of(cond: ir.Cond) -> frozenset[str] | None:
    """Place codes a condition is confined to (an over-approximation), or None for anywhere."""
    match cond:
        case ir.Location():
            return cond.codes
        case ir.All():
            found = [p for p in (places_of(c) for c in cond.items) if p is not None]
            return min(found, key=len) if found else None
        case ir.AnyOf():
            out: set[str] = set()
            for c in cond.items:
                p = places_of(c)
                if p is None:
                    return None
                out |= p
            return frozenset(out)
        case ir.Not() | ir.Equals() | ir.DateCmp() | ir.LabelTest() | ir.PersonTest():
            return None  # `not` confines nothing: `not country = GB` may hold anywhere else
        case _:
            assert_never(cond)


def build(ruleset: ir.Ruleset, schema: LabelSchema) -> Graph:
    b = _Builder(schema)
    rules: list[RuleNode] = []
    index: dict[str, list[int]] = {}
    everywhere: list[int] = []
    for i, rule in enumerate(ruleset.rules):
        root = b.intern(rule.condition)
        node = b.nodes[root]
        places = places_of(rule.condition)
        rules.append(RuleNode(i, rule, root, node.detectors, node.cost, places))
        if places is None:
            everywhere.append(i)
        else:
            for code in places:
                index.setdefault(code, []).append(i)
    shadowed = find_shadowed(rules)
    within: dict[str, set[int]] = {}
    for code, idx in index.items():
        if "-" in code:
            within.setdefault(country_of(code), set()).update(idx)
    return Graph(tuple(b.nodes), tuple(rules), {k: tuple(v) for k, v in index.items()}, tuple(everywhere),
                 shadowed, ruleset.default, dict(b.refcount), {k: tuple(sorted(v)) for k, v in within.items()})


# --- shadowing -------------------------------------------------------------------

def _conjuncts(cond: ir.Cond) -> tuple[ir.Cond, ...]:
    return cond.items if isinstance(cond, ir.All) else (cond,)


_Signature = tuple[str, Hashable]


def _signature(c: ir.Cond) -> _Signature:
    """What kind of test a conjunct is, ignoring its constants (used to pair candidates)."""
    match c:
        case ir.Location():
            return ("location", c.field)
        case ir.Equals():
            return ("equals", c.field)
        case ir.DateCmp():
            return ("date", c.op)
        case ir.LabelTest():
            return ("label", tuple(k for k, _ in c.thresholds))
        case ir.PersonTest() | ir.Not() | ir.All() | ir.AnyOf():
            return ("other", c)  # only an equal test implies it
        case _:
            assert_never(c)


def _signatures(c: ir.Cond) -> set[_Signature]:
    """A person test also stands for the image-level tests of its terms (it implies them)."""
    sigs = {_signature(c)}
    if isinstance(c, ir.PersonTest):
        sigs.update(_signature(t) for t, negated in c.terms if not negated)
    return sigs


def _implies(a: ir.Cond, b: ir.Cond) -> bool:
    """Conservatively: whenever conjunct `a` holds, so does `b`."""
    if a == b:
        return True
    if isinstance(a, ir.PersonTest) and isinstance(b, ir.LabelTest):
        # The image-level score is the highest over persons: one person passing a term passes it image-wide.
        return any(not negated and _implies(t, b) for t, negated in a.terms)
    if isinstance(a, ir.Location) and isinstance(b, ir.Location) and a.field == b.field:
        return all(x in b.codes or ("-" in x and country_of(x) in b.codes and b.field == "country") for x in a.codes)
    if isinstance(a, ir.Equals) and isinstance(b, ir.Equals) and a.field == b.field:
        return a.values <= b.values
    if isinstance(a, ir.LabelTest) and isinstance(b, ir.LabelTest):
        tb = dict(b.thresholds)
        return all(k in tb and tb[k] <= t for k, t in a.thresholds)
    if isinstance(a, ir.DateCmp) and isinstance(b, ir.DateCmp):
        if b.op in (">=", ">") and a.op in (">=", ">", "="):
            return a.value > b.value or (a.value == b.value and (b.op == ">=" or a.op == ">"))
        if b.op in ("<", "<=") and a.op in ("<", "<=", "="):
            return a.value < b.value or (a.value == b.value and (b.op == "<=" or a.op == "<"))
    return False


def rule_implies(narrow: ir.Cond, broad: ir.Cond) -> bool:
    """Whether `narrow` can only hold where `broad` holds (conjunction against conjunction)."""
    mine = _conjuncts(narrow)
    return all(any(_implies(a, b) for a in mine) for b in _conjuncts(broad))


MAX_SIGNATURE = 8
MAX_CANDIDATES = 256
"""Broader rules a rule is compared with, at most.  Missing a shadowing rule costs only an
evaluation the engine could have skipped; comparing every pair of 10,000 alike rules costs minutes."""


def find_shadowed(rules: list[RuleNode]) -> dict[int, int]:
    """Rules whose every match is already a match of a broader rule with the same effect.

    A broader rule applies at least everywhere the narrower one does, so it is
    filed under each of the narrower rule's places (or everywhere).  Within a
    place, candidates are grouped by the *kinds* of their tests: a broader
    rule's signature is a subset of the narrower one's, so each rule looks up
    only the subsets of its own signature instead of every rule.  The first
    written broader rule is the one named; candidates are tried in the order
    written, and at most `MAX_CANDIDATES` of them per rule.
    """
    groups: dict[str | None, dict[tuple[str, frozenset[_Signature]], list[RuleNode]]] = {}
    sigs: dict[int, frozenset[_Signature]] = {}
    for r in rules:
        sig = frozenset(x for c in _conjuncts(r.rule.condition) for x in _signatures(c))
        sigs[r.index] = sig
        for place in (r.places if r.places is not None else (None,)):
            groups.setdefault(place, {}).setdefault((r.rule.effect, sig), []).append(r)
    shadowed: dict[int, int] = {}
    everywhere = groups.get(None, {})
    for r in rules:
        sig = sigs[r.index]
        if len(sig) > MAX_SIGNATURE:
            continue
        pools = [everywhere]
        if r.places is not None:
            pools.append(min((groups.get(p, {}) for p in r.places), key=len))
        items = sorted(sig, key=repr)
        best: RuleNode | None = None
        budget = MAX_CANDIDATES
        for size in range(0, len(items) + 1):
            for subset in combinations(items, size):
                key = (r.rule.effect, frozenset(subset))
                for pool in pools:
                    for other in pool.get(key, ()):  # in the order written
                        if budget == 0 or (best is not None and other.index > best.index):
                            break
                        budget -= 1
                        if other.index == r.index or other.index in shadowed:
                            continue
                        if not set(r.rule.obligations) <= set(other.rule.obligations):
                            continue  # its own obligations make it matter whenever it matches
                        if not rule_implies(r.rule.condition, other.rule.condition):
                            continue
                        if other.index > r.index and rule_implies(other.rule.condition, r.rule.condition):
                            continue  # equal conditions: the first written rule is the one kept
                        best = other
                        break
        if best is not None:
            shadowed[r.index] = best.index
    return shadowed
