"""A decision in one plain sentence, for the panel above the trace.

"Denied in the United Kingdom because a real person appears and the prompt
asks to put someone in swimwear or underwear — Sexual Offences Act 2003
s.66E — rule `gb_intimate_image_prompt`, gb.policy line 18."  Built from the
deciding rule's own trace: the tests that held, their labels said in words
(and, of an `or`, the ones that scored), the fields they saw; the place, the
citation and where the rule is written.  Citations and rule ids are data and
stay as written.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from jurist.engine import Decision
from jurist.engine.decision import MatchedRule, TraceStep
from jurist.engine.vocabulary import SCHEMA

from .i18n import QT_TRANSLATE_NOOP, place_name, translate

_LABEL_TEST = re.compile(r"([a-z_]+:[a-z_]+) >= ([0-9.]+)")
_FIELD_TEST = re.compile(r"^(action|surface|stage|user\.tier)\b")

LABEL_PHRASES = {
    "attire:bikini": QT_TRANSLATE_NOOP("Explanation", "the person is in a bikini or swimwear"),
    "attire:underwear": QT_TRANSLATE_NOOP("Explanation", "the person is in underwear"),
    "intent:evasion": QT_TRANSLATE_NOOP("Explanation", "the prompt tries to get around the filters"),
    "intent:sexualize": QT_TRANSLATE_NOOP("Explanation", "the prompt asks for sexual content"),
    "intent:swimwear": QT_TRANSLATE_NOOP("Explanation", "the prompt asks to put someone in swimwear or underwear"),
    "intent:undress": QT_TRANSLATE_NOOP("Explanation", "the prompt asks to undress someone"),
    "nudity:exposed": QT_TRANSLATE_NOOP("Explanation", "intimate parts are exposed"),
    "nudity:partial": QT_TRANSLATE_NOOP("Explanation", "the person is partly nude"),
    "subject:consenting_self": QT_TRANSLATE_NOOP("Explanation", "the person shown is the verified, consenting "
                                                                "requester"),
    "subject:minor": QT_TRANSLATE_NOOP("Explanation", "a child appears"),
    "subject:real_person": QT_TRANSLATE_NOOP("Explanation", "a real person appears"),
}
NEGATED_PHRASES = {
    "subject:consenting_self": QT_TRANSLATE_NOOP("Explanation", "the person shown is not verified as the "
                                                                "consenting requester"),
}
FIELD_PHRASES = {
    "action": QT_TRANSLATE_NOOP("Explanation", "the action is {value}"),
    "surface": QT_TRANSLATE_NOOP("Explanation", "it comes from the {value} surface"),
    "stage": QT_TRANSLATE_NOOP("Explanation", "the moment checked is the {value}"),
    "user.tier": QT_TRANSLATE_NOOP("Explanation", "the user is on the {value} tier"),
}
VERBS = {"deny": QT_TRANSLATE_NOOP("Explanation", "Denied"), "review": QT_TRANSLATE_NOOP("Explanation",
                                                                                          "Sent for review"),
         "allow": QT_TRANSLATE_NOOP("Explanation", "Allowed")}


def label_phrase(label: str, negated: bool = False) -> str:
    if negated:
        phrase = NEGATED_PHRASES.get(label)
        if phrase:
            return translate("Explanation", phrase)
        return translate("Explanation", "not: {phrase}").format(phrase=label_phrase(label))
    phrase = LABEL_PHRASES.get(label)
    if phrase:
        return translate("Explanation", phrase)
    spec = SCHEMA.labels.get(label)
    return spec.description if spec else label


def place_text(request: Mapping[str, Any]) -> str:
    """`California (United States)`, `the United Kingdom`'s name, or "" when the request names no place."""
    country, region = request.get("country"), request.get("region")
    if region:
        return translate("Explanation", "{region} ({country})").format(region=place_name(str(region)),
                                                  country=place_name(str(country or region).split("-")[0]))
    return place_name(str(country)) if country else ""


def _score(label: str, step: TraceStep, observations: Mapping[str, Any]) -> float | None:
    value = step.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, Mapping) and isinstance(value.get(label), (int, float)):
        return float(value[label])
    scores = [observations.get("labels", {}).get(label)]
    scores += [p.get("labels", {}).get(label) for p in observations.get("persons", []) if isinstance(p, Mapping)]
    known = [float(s) for s in scores if isinstance(s, (int, float))]
    return max(known) if known else None


def _reasons(rule: MatchedRule, decision: Decision) -> list[str]:
    """The deciding rule's tests that held, in words: labels first, then fields, negations last."""
    labels: list[str] = []
    fields: list[str] = []
    negations: list[str] = []
    for step in decision.trace:
        if step.kind != "test" or step.rule != rule.id or step.result is not True:
            continue
        pairs = [(label, float(t)) for label, t in _LABEL_TEST.findall(step.subject)]
        if pairs:
            negated = step.subject.startswith("not ")
            if negated:
                negations += [label_phrase(label, negated=True) for label, _ in pairs]
                continue
            met = [label for label, threshold in pairs
                   if (score := _score(label, step, decision.observations)) is not None and score >= threshold]
            labels += [label_phrase(label) for label in (met or [label for label, _ in pairs])]
            continue
        field = _FIELD_TEST.match(step.subject)
        if field and step.value is not None:
            fields.append(translate("Explanation", FIELD_PHRASES[field.group(1)]).format(value=step.value))
    return list(dict.fromkeys(labels + fields + negations))


def joined(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return translate("Explanation", "{items} and {last}").format(items=", ".join(parts[:-1]), last=parts[-1])


def where_written(rule: MatchedRule) -> str:
    """`gb.policy line 18` from the rule's `gb.policy:18`."""
    file, _, line = rule.source.rpartition(":")
    if not line.isdigit():
        return rule.source
    return translate("Explanation", "{file} line {line}").format(file=file, line=line)


def explain(decision: Decision, request: Mapping[str, Any]) -> str:
    """The decision in one sentence a lawyer reads without the trace."""
    verb = translate("Explanation", VERBS.get(decision.effect, decision.effect))
    place = place_text(request)
    if decision.errors:
        return translate("Explanation", "{verb}: the request is invalid ({errors}), so it fails closed.").format(
            verb=verb, errors="; ".join(decision.errors))
    rule = decision.deciding_rule
    if rule is None:
        if place:
            text = translate("Explanation", "{verb} in {place}: no rule matched, so the ruleset's default applies.")
        else:
            text = translate("Explanation", "{verb}: no rule matched, so the ruleset's default applies.")
        return text.format(verb=verb, place=place)
    if rule.unverified:
        because = translate("Explanation", "something the rule needs could not be checked ({why}), so it counts as "
                                           "matched (fail-closed)").format(why=rule.unverified)
    else:
        because = joined(_reasons(rule, decision)) or translate("Explanation", "the rule's conditions hold")
    if place:
        head = translate("Explanation", "{verb} in {place} because {because}")
    else:
        head = translate("Explanation", "{verb} because {because}")
    parts = [head.format(verb=verb, place=place, because=because)] + ([rule.cite] if rule.cite else [])
    parts.append(translate("Explanation", "rule `{rule}`, {where}").format(rule=rule.id, where=where_written(rule)))
    return " — ".join(parts) + "."
