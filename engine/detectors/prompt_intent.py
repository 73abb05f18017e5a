"""The `prompt_intent` detector: what the prompt asks for, from a lexicon.

Pure Python, no model: it runs before any image detector and costs tens of
microseconds.  The prompt is read twice:

* the *plain* reading folds case and accents only, so it matches what a
  person typed honestly ("Déshabille-la" -> "deshabille la");
* the *deobfuscated* reading also applies Unicode compatibility folding
  (fullwidth and mathematical letters), drops zero-width and other invisible
  characters, maps look-alike Cyrillic/Greek letters and leetspeak digits and
  symbols to Latin letters, removes separators inside words ("n.u.d.e",
  "n-u-d-e") and joins spaced-out letters ("n u d e") and split words ("na ked").

Each reading is matched against `prompt_lexicon`.  Every intent takes the
highest weight of what fired in either reading; `intent:evasion` also fires
(at `OBFUSCATION_WEIGHT`) when something fired only in the deobfuscated
reading: someone disguised a word the lexicon knows.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType

from jurist.engine.detectors import prompt_lexicon as lex
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.detectors.lazy import Lazy
from jurist.engine.observations import Observations

INTENTS = ("intent:undress", "intent:sexualize", "intent:evasion", "intent:swimwear")
OBFUSCATION_WEIGHT = 0.9
_SPLIT_WORD_MAX = 4  # "na ked": parts this short may be joined into a known word

_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f"}
_CLAUSE = re.compile(r"[,;:.!?\n\r\t()\[\]\"]+(?=\s|$)|[\n\r]+")
_INSIDE_WORD_SEPARATOR = re.compile(r"(?<=[a-z0-9@$])[.\-_*'`~^·•/\\]+(?=[a-z0-9@$])")
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9@$])(?:[a-z0-9@$][ \t.\-_*·•]{1,3}){2,}[a-z0-9@$](?![a-z0-9@$])")
_PLAIN_TOKEN = re.compile(r"[a-z]+")
_DEOBFUSCATED_TOKEN = re.compile(r"[a-z0-9@$!|+€]+")


def fold_plain(text: str) -> str:
    return _strip_accents(text.casefold())


def fold_deobfuscated(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in text if c not in _INVISIBLE and unicodedata.category(c) != "Cf")
    text = _strip_accents(text).translate(lex.HOMOGLYPHS)
    text = _INSIDE_WORD_SEPARATOR.sub("", text)
    return _SPACED_LETTERS.sub(lambda m: re.sub(r"[ \t.\-_*·•]", "", m.group()), text)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


# A clause is a list of positions; each position holds the readings of one token.
Clause = list[tuple[str, ...]]


def plain_clauses(text: str) -> list[Clause]:
    return [[(t,) for t in _PLAIN_TOKEN.findall(part)] for part in _CLAUSE.split(fold_plain(text))]


def deobfuscated_clauses(text: str) -> list[Clause]:
    return [[_readings(t) for t in _DEOBFUSCATED_TOKEN.findall(part)]
            for part in _CLAUSE.split(fold_deobfuscated(text))]


def _readings(token: str) -> tuple[str, ...]:
    letters = any(c.isalpha() for c in token)
    if not letters or token.isalpha():
        return (token,)
    as_i = token.translate(lex.LEET)
    as_l = token.replace("1", "l").replace("|", "l").translate(lex.LEET)
    return (as_i,) if as_i == as_l else (as_i, as_l)


@dataclass(frozen=True, slots=True)
class _Rule:
    intent: str
    weight: float
    concepts: tuple[str, ...]
    window: int
    ordered: bool


class Lexicon:
    """`prompt_lexicon` compiled into lookup tables."""

    def __init__(self) -> None:
        self.exact: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
        self.prefix: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
        self.rules: list[_Rule] = []
        for name, words in lex.CONCEPTS.items():
            for word in words:
                self._add(word, name)
        for index, term in enumerate(lex.TERMS):
            concept = f"term{index}"
            for word in term.words:
                self._add(word, concept)
            self.rules.append(_Rule(term.intent, term.weight, (concept,), 0, False))
        for combo in lex.COMBINATIONS:
            self.rules.append(_Rule(combo.intent, combo.weight, combo.concepts, combo.window, combo.ordered))
        self.prefix_lengths = sorted({len(k) for k in self.prefix})

    def _add(self, word: str, concept: str) -> None:
        parts = tuple(word.split())
        forms = [parts] + ([("".join(parts),)] if len(parts) > 1 else [])
        for form in forms:
            head, rest = form[0], form[1:]
            table, key = (self.prefix, head[:-1]) if head.endswith("*") else (self.exact, head)
            table.setdefault(key, set()).add((concept, rest))

    def _heads(self, token: str) -> set[tuple[str, tuple[str, ...]]]:
        found = set(self.exact.get(token, ()))
        for n in self.prefix_lengths:
            if n > len(token):
                break
            found |= self.prefix.get(token[:n], set())
        return found

    def concepts_at(self, clause: Clause, i: int) -> set[str]:
        """Concepts whose word or phrase starts at position `i`."""
        out: set[str] = set()
        following = clause[i + 1] if i + 1 < len(clause) else ()
        for token in clause[i]:
            if any(nxt in lex.FALSE_FRIENDS.get(token, ()) for nxt in following):
                continue
            for concept, rest in self._heads(token):
                if all(i + 1 + k < len(clause) and any(_matches(w, t) for t in clause[i + 1 + k])
                       for k, w in enumerate(rest)):
                    out.add(concept)
        return out

    def knows(self, token: str) -> bool:
        return bool(self._heads(token))

    def fired(self, clauses: list[Clause]) -> dict[_Rule, float]:
        hits: dict[_Rule, float] = {}
        for clause in clauses:
            at = [self.concepts_at(clause, i) for i in range(len(clause))]
            for rule in self.rules:
                if _satisfied(rule, at):
                    hits[rule] = rule.weight
        return hits


def _matches(word: str, token: str) -> bool:
    return token.startswith(word[:-1]) if word.endswith("*") else token == word


def _satisfied(rule: _Rule, at: list[set[str]]) -> bool:
    positions = [[i for i, found in enumerate(at) if concept in found] for concept in rule.concepts]
    if not all(positions):
        return False
    if len(rule.concepts) == 1:
        return True
    return _within(positions, rule.window, rule.ordered, previous=None, low=None, high=None)


def _within(positions: list[list[int]], window: int, ordered: bool,
            previous: int | None, low: int | None, high: int | None) -> bool:
    if not positions:
        return True
    for p in positions[0]:
        if ordered and previous is not None and p <= previous:
            continue
        lo, hi = (p, p) if low is None else (min(low, p), max(high, p))  # type: ignore[type-var]
        if hi - lo <= window and _within(positions[1:], window, ordered, p, lo, hi):
            return True
    return False


def _with_split_words(lexicon: Lexicon, clauses: list[Clause]) -> list[Clause]:
    """Add the joined reading of two short neighbouring tokens that together make a known word."""
    out = []
    for clause in clauses:
        joined = [list(readings) for readings in clause]
        for i in range(len(clause) - 1):
            for a in clause[i]:
                for b in clause[i + 1]:
                    if (len(a) <= _SPLIT_WORD_MAX and len(b) <= _SPLIT_WORD_MAX
                            and not lexicon.knows(a) and not lexicon.knows(b) and lexicon.knows(a + b)):
                        joined[i].append(a + b)
        out.append([tuple(r) for r in joined])
    return out


_LEXICON: Lazy[Lexicon] = Lazy(Lexicon)


def intent_scores(prompt: str) -> dict[str, float]:
    """Scores for every label in `INTENTS` (0.0 when nothing fired)."""
    lexicon = _LEXICON.get()
    plain = lexicon.fired(plain_clauses(prompt))
    hidden = lexicon.fired(_with_split_words(lexicon, deobfuscated_clauses(prompt)))
    scores = dict.fromkeys(INTENTS, 0.0)
    for rule, weight in (*plain.items(), *hidden.items()):
        scores[rule.intent] = max(scores[rule.intent], weight)
    if any(rule.intent != "intent:evasion" and rule not in plain for rule in hidden):
        scores["intent:evasion"] = max(scores["intent:evasion"], OBFUSCATION_WEIGHT)
    return scores


class PromptIntentDetector:
    """`intent:*` labels from the request's prompt."""

    name = "prompt_intent"

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        return Observations(MappingProxyType(intent_scores(subject.prompt or "")), ())
