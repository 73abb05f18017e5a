"""The `prompt_intent` detector: what the prompt asks for, from a lexicon.

Pure Python, no model: it runs before any image detector and costs tens of
microseconds.  The prompt is read twice:

* the *plain* reading folds case and accents only, so it matches what a
  person typed honestly ("Déshabille-la" -> "deshabille la").  Honest
  spelling variants are read too: German umlauts typed as "ae/oe/ue"
  ("Unterwaesche") and the Indonesian/Malay prefix "ber-" ("berbikini");
* the *deobfuscated* reading also applies Unicode compatibility folding
  (fullwidth and mathematical letters), drops zero-width and other invisible
  characters, maps look-alike letters of other scripts to Latin ones *before*
  folding case (Greek capital Ν is N, small ν is v), maps leetspeak digits,
  symbols and symbol groups to letters (`|\\|` is n), removes separators inside
  words ("n.u.d.e", "n-u-d-e"), joins spaced-out letters ("n u d e") and split
  words ("na ked", "bi ki ni"), splits glued words ("makehernaked"), and reads
  stretched words with their letter runs collapsed ("naaaked", "nnuuddee").

The deobfuscated reading also fills masked letters from the lexicon
("n*ked", "p**n": the only lexicon words of that length whose other letters
agree), and reads a long word one edit away from a lexicon word of six
letters or more as that word ("lingeree", "undrewear"), unless it is a real
word one edit away (`prompt_not_fuzzy.NOT_FUZZY`, from Debian's word lists).

Each reading is matched against `prompt_lexicon`.  Every intent takes the
highest weight of what fired in either reading; `intent:evasion` also fires
(at `OBFUSCATION_WEIGHT`) when something fired only in the deobfuscated
reading: someone disguised a word the lexicon knows.  Words of scripts written
without spaces (Japanese), of the other non-Latin scripts the lexicon covers
and emoji are matched inside the folded text (`prompt_lexicon.SCRIPT_TERMS`).

`intent:minor` also fires on a stated age under `prompt_lexicon.ADULT_AGE`
("a 12 year old", "girl of 12", "12 ans", "12歳"), read by `prompt_lexicon.AGE_PATTERNS`
over the plain reading with digits kept (`age_score`), unless the next word
makes it the age of a thing ("a 12 year old whisky").

Before scoring, `prompt_language` says whether the lexicon covers the prompt's
language; when it does not, the detector reports the intents it did not flag
as unknown, with the language in a note, instead of 0.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from types import MappingProxyType

from jurist.engine.detectors import prompt_lexicon as lex
from jurist.engine.detectors.base import DetectionInput
from jurist.engine.detectors.prompt_language import language_of
from jurist.engine.detectors.prompt_not_fuzzy import NOT_FUZZY
from jurist.engine.detectors.lazy import Lazy
from jurist.engine.observations import Observations

INTENTS = ("intent:undress", "intent:sexualize", "intent:evasion", "intent:swimwear", "intent:minor")
OBFUSCATION_WEIGHT = 0.9
FLAGGED = 0.5  # an intent scored at least this stays known when the language is not covered
_SPLIT_WORD_MAX = 4  # "na ked", "bi ki ni": parts this short may be joined into a known word
_SPLIT_WORD_PARTS = 3
_GLUED_MIN, _GLUED_MAX = 6, 30  # lengths of a token worth splitting into glued words
_STRETCHED = "~"  # marks a stretched-word reading ("~naaaked"), looked up by its collapsed letters

_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f"}
_CLAUSE = re.compile(r"[,;:.!?\n\r\t()\[\]\"]+(?=\s|$)|[\n\r]+")
# Deobfuscated reading: "!" or "|" right after "<leet symbol><letter>" ends a word ("b!k!n!"), not a clause.
_CLAUSE_DEOBFUSCATED = re.compile(r"(?<![!|][a-z])[,;:.!?\n\r\t()\[\]\"]+(?=\s|$)|[\n\r]+")
_INSIDE_WORD_SEPARATOR = re.compile(r"(?<=[a-z0-9@$])[.\-_*'`~^·•/\\]+(?=[a-z0-9@$])")
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9@$])(?:[a-z0-9@$][ \t.\-_*·•]{1,3}){2,}[a-z0-9@$](?![a-z0-9@$])")
_LEET_SEQUENCE = re.compile("|".join(re.escape(s) for s, _ in lex.LEET_SEQUENCES))
_LEET_SEQUENCE_LETTER = dict(lex.LEET_SEQUENCES)
_PLAIN_TOKEN = re.compile(r"[a-z]+")
_DEOBFUSCATED_TOKEN = re.compile(r"[a-z0-9@$!|+€]+")
_RUN = re.compile(r"([a-z])\1+")
_LONG_RUN = re.compile(r"([a-z])\1\1")
_UMLAUT_SPELLING = re.compile(lex.UMLAUT_DIGRAPH_PATTERN)
_ALTERNATE_LETTERS = frozenset(map(chr, lex.CONFUSABLE_ALTERNATES))
# Letters of covered languages that accent stripping does not reach: Turkish dotless ı, Polish ł, ...
_LETTERS_WITHOUT_MARKS = str.maketrans("ıłŁøØđĐ", "ilLoOdD")
# A word with one or two masked letters: "n*ked", "p**n", "s#xy" (the mask between letters or at the end).
_MASKED = re.compile(r"(?<![a-z0-9@$*#])[a-z]+(?:[*#]{1,2}[a-z]*)+(?![a-z0-9@$])")
_SCRIPT_CLAUSE = re.compile(r"[,;:.!?\n\r\t()\[\]\"、。！？，；：]+")
_SINGLE_LETTER_WORDS = frozenset("aiouey")
FUZZY_MIN = 6  # a lexicon word this long may be read in a token one edit away


def fold_plain(text: str) -> str:
    return text.lower() if text.isascii() else _strip_accents(text.casefold().translate(_LETTERS_WITHOUT_MARKS))


def fold_deobfuscated(text: str, alternates: bool = False) -> str:
    """The deobfuscated text; `alternates` reads the letters of `CONFUSABLE_ALTERNATES` their other way."""
    return _deobfuscate(_unmasked(text), alternates)


def _unmasked(text: str) -> str:
    """Compatibility-folded (fullwidth, mathematical letters), invisible characters dropped, accents stripped."""
    if text.isascii():  # nothing to fold: the common case, kept cheap
        return text
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if c not in _INVISIBLE and unicodedata.category(c) != "Cf")
    return _strip_accents(text.translate(_LETTERS_WITHOUT_MARKS))


def _deobfuscate(text: str, alternates: bool) -> str:
    """Look-alikes, case, leetspeak groups, separators inside words, spaced-out letters.

    Look-alikes are mapped before case folding because folding changes which
    letter a glyph resembles (Greek Ν looks like N, its lower case ν like v),
    and after accent stripping so that "й" and "ї" reach their base letters.
    Every mapping is letter to ASCII letter, so both readings tokenize alike.
    """
    if alternates:
        text = text.translate(lex.CONFUSABLE_ALTERNATES)
    text = text.translate(lex.CONFUSABLES).casefold()
    text = _LEET_SEQUENCE.sub(lambda m: _LEET_SEQUENCE_LETTER[m.group()], text)
    text = _MASKED.sub(_unmasked_word, text)
    text = _INSIDE_WORD_SEPARATOR.sub("", text)
    return _SPACED_LETTERS.sub(_spaced_word, text)


def _unmasked_word(match: re.Match[str]) -> str:
    """A word with masked letters as the one lexicon word it can be ("n*ked" -> naked), else as written."""
    found = lexicon().unmask(match.group())
    return found if found is not None else match.group()


def _spaced_word(match: re.Match[str]) -> str:
    """Spaced-out letters joined into a word; a leading one-letter word stays apart ("a b i k i n i")."""
    joined = re.sub(r"[ \t.\-_*·•]", "", match.group())
    known = lexicon().knows
    if not known(joined.translate(lex.LEET)):
        lead = 0
        while lead < len(joined) - 3 and joined[lead] in _SINGLE_LETTER_WORDS:
            lead += 1
            if known(joined[lead:].translate(lex.LEET)):
                return " ".join(joined[:lead]) + " " + joined[lead:]
    return joined


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


# A clause is a list of positions; each position holds the readings of one token.
Clause = list[tuple[str, ...]]


def plain_clauses(text: str) -> list[Clause]:
    return [[_spellings(t) for t in _PLAIN_TOKEN.findall(part) if t not in lex.FILLERS]
            for part in _CLAUSE.split(fold_plain(text))]


def deobfuscated_clauses(text: str) -> list[Clause]:
    unmasked = _unmasked(text)
    clauses = _deobfuscated_tokens(_deobfuscate(unmasked, alternates=False))
    if not _ALTERNATE_LETTERS.isdisjoint(unmasked):
        other = _deobfuscated_tokens(_deobfuscate(unmasked, alternates=True))
        if [len(c) for c in other] == [len(c) for c in clauses]:  # always, as mappings are letter to letter
            clauses = [[_union(a, b) for a, b in zip(ca, cb)] for ca, cb in zip(clauses, other)]
    return clauses


def _deobfuscated_tokens(folded: str) -> list[Clause]:
    return [[_readings(t) for t in _DEOBFUSCATED_TOKEN.findall(part) if t not in lex.FILLERS]
            for part in _CLAUSE_DEOBFUSCATED.split(folded)]


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(r for r in b if r not in a)


def _spellings(token: str) -> tuple[str, ...]:
    """The token and its honest variants: German umlauts typed as digraphs, a detachable Malay prefix."""
    out = [token]
    if "e" in token:
        spelled = _UMLAUT_SPELLING.sub(_first_group, token)
        if spelled != token:
            out.append(spelled)
    for prefix in lex.DETACHABLE_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 4:
            out.append(token[len(prefix):])
    return tuple(out)


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)


def _readings(token: str) -> tuple[str, ...]:
    """Leet readings (1 as i and as l), their honest variants, and the stretched-word reading."""
    if not any(c.isalpha() for c in token) or token.isalpha():
        base: tuple[str, ...] = (token,)
    else:
        as_i = token.translate(lex.LEET)
        as_l = token.replace("1", "l").replace("|", "l").translate(lex.LEET)
        base = (as_i,) if as_i == as_l else (as_i, as_l)
    out = [s for b in base for s in _spellings(b)]
    out += [_STRETCHED + b for b in base if _may_be_stretched(b)]
    if len(token) >= FUZZY_MIN - 1 and token.isalpha():
        out += lexicon().near(token)
    return tuple(dict.fromkeys(out))


def _may_be_stretched(reading: str) -> bool:
    """Whether `reading` may be a word with letters repeated ("naaaked", "nuuude", "nakedd", "nnuuddee").

    Its stretched reading matches a lexicon word with the same letters in the
    same order when every run is at least as long as the word's (`_stretches`),
    so real double letters stay ("dress" is not "dres", "topples" is not
    "topless").  A short real word can still stretch onto a lexicon word
    ("seeks" onto "seks"), so one doubled letter only counts when five letters
    or more remain; a run of three or two doubled letters always count.
    """
    if not reading.isalpha():
        return False
    doubled = len(_RUN.findall(reading))
    return bool(doubled) and (doubled >= 2 or _LONG_RUN.search(reading) is not None
                              or len(_collapse(reading)) >= 5)


def _collapse(word: str) -> str:
    return _RUN.sub(r"\1", word)


def _stretches(token: str, word: str) -> bool:
    """Whether `token` is lexicon `word` (`*` for a prefix) with some letters repeated more."""
    token_runs = [(c, len(list(g))) for c, g in groupby(token)]
    word_runs = [(c, len(list(g))) for c, g in groupby(word.rstrip("*"))]
    if len(token_runs) < len(word_runs) or (not word.endswith("*") and len(token_runs) != len(word_runs)):
        return False
    return all(tc == wc and tn >= wn for (tc, tn), (wc, wn) in zip(token_runs, word_runs))


@dataclass(frozen=True, slots=True)
class _Rule:
    intent: str
    weight: float
    concepts: tuple[str, ...]
    window: int
    ordered: bool
    unless: tuple[str, ...] = ()
    elliptical: bool = False


# What a token can start: (concept, the phrase's remaining words, the lexicon word as written, the
# word or joined phrase the token matched).
_Head = tuple[str, tuple[str, ...], str, str]


@dataclass(frozen=True, slots=True)
class _Neighbours:
    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, patterns: frozenset[str]) -> _Neighbours:
        return cls(frozenset(p for p in patterns if not p.endswith("*")),
                   tuple(p[:-1] for p in patterns if p.endswith("*")))

    def match(self, reading: str) -> bool:
        return reading in self.exact or reading.startswith(self.prefixes)


class Lexicon:
    """`prompt_lexicon` compiled into lookup tables.

    Every word is indexed as written and, under `_STRETCHED`, with its letter
    runs collapsed, for stretched-word readings only.
    """

    def __init__(self) -> None:
        self.exact: dict[str, set[_Head]] = {}
        self.prefix: dict[str, set[_Head]] = {}
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
            self.rules.append(_Rule(combo.intent, combo.weight, combo.concepts, combo.window, combo.ordered,
                                    combo.unless, combo.elliptical))
        # prefix lengths by the first two letters, so a token tries only the prefixes it may start with
        self.prefix_lengths: dict[str, list[int]] = {}
        for key in self.prefix:
            if len(key) < 2:
                raise ValueError(f"prefix word {key!r}* is too short to index")
            self.prefix_lengths.setdefault(key[:2], []).append(len(key))
        for lengths in self.prefix_lengths.values():
            lengths.sort()
        self.rules_needing: dict[str, list[_Rule]] = {}  # by the rule's first concept
        for rule in self.rules:
            self.rules_needing.setdefault(rule.concepts[0], []).append(rule)
        self.false_friends = {word: (_Neighbours.of(ff.before), _Neighbours.of(ff.after))
                              for word, ff in lex.FALSE_FRIENDS.items()}
        # Prompts share most of their words, and each reading looks every token up several times.
        self.heads: Callable[[str], frozenset[_Head]] = lru_cache(maxsize=8192)(self._find_heads)
        single = {w.rstrip("*") for words in lex.CONCEPTS.values() for w in words if " " not in w}
        single |= {w.rstrip("*") for term in lex.TERMS for w in term.words if " " not in w}
        self.by_length: dict[int, tuple[str, ...]] = {}
        for word in sorted(single):
            self.by_length.setdefault(len(word), ())
            self.by_length[len(word)] += (word,)
        # one edit away: the words that flag an intent (and garments), not the words around them
        flagging = {w.rstrip("*") for term in lex.TERMS for w in term.words if " " not in w}
        flagging |= {w.rstrip("*") for w in lex.CONCEPTS["clothing"] if " " not in w}
        self.long_words = frozenset(w for w in flagging if len(w) >= FUZZY_MIN)
        self.deletions: dict[str, set[str]] = {}
        for word in self.long_words:
            for form in _deleted(word):
                self.deletions.setdefault(form, set()).add(word)
        self.near: Callable[[str], tuple[str, ...]] = lru_cache(maxsize=8192)(self._near)
        self.script_terms = [(term, tuple(_fold_script(w) for w in term.words),
                              tuple(_fold_script(w) for w in term.with_words)) for term in lex.SCRIPT_TERMS]
        self.script_false_friends = tuple(_fold_script(w) for w in lex.SCRIPT_FALSE_FRIENDS)

    def unmask(self, masked: str) -> str | None:
        """The one lexicon word `masked` can be, its `*`/`#` standing for one letter each, else None."""
        letters = sum(c.isalpha() for c in masked)
        holes = len(masked) - letters
        if holes > 2 or letters < 2 or holes > letters:
            return None
        pattern = re.compile("".join("." if c in "*#" else re.escape(c) for c in masked))
        found = [w for w in self.by_length.get(len(masked), ()) if pattern.fullmatch(w)]
        senses = {frozenset(h[0] for h in self.heads(w)) for w in found}
        return found[0] if len(senses) == 1 else None  # "p**n": porn or pron, the same sense

    def _near(self, token: str) -> tuple[str, ...]:
        """Lexicon words of `FUZZY_MIN` letters or more one edit from `token`, unless it is a real word."""
        return () if token in NOT_FUZZY else self.fuzzy_candidates(token)

    def fuzzy_candidates(self, token: str) -> tuple[str, ...]:
        """Lexicon words of `FUZZY_MIN` letters or more one edit from `token` (not itself a lexicon word)."""
        if token in self.long_words or self.knows(token):
            return ()
        candidates = set(self.deletions.get(token, ()))
        for form in _deleted(token):
            candidates |= self.deletions.get(form, set())
            if form in self.long_words:
                candidates.add(form)
        return tuple(sorted(w for w in candidates if _one_edit(token, w)))

    def _add(self, word: str, concept: str) -> None:
        parts = tuple(word.split())
        forms = [parts] + ([("".join(parts),)] if len(parts) > 1 else [])
        for form in forms:
            head, rest = form[0], form[1:]
            for key in (head, _STRETCHED + _collapse(head)):
                table, key = (self.prefix, key[:-1]) if key.endswith("*") else (self.exact, key)
                table.setdefault(key, set()).add((concept, rest, word, head))

    def _find_heads(self, token: str) -> frozenset[_Head]:
        """What `token` can start (cached as `heads`)."""
        if token.startswith(_STRETCHED):
            found = self._lookup(_STRETCHED + _collapse(token[1:]))
            return frozenset(h for h in found if _stretches(token[1:], h[3]))
        return frozenset(self._lookup(token))

    def _lookup(self, key: str) -> set[_Head]:
        found = set(self.exact.get(key, ()))
        for n in self.prefix_lengths.get(key[:2], ()):
            if n > len(key):
                break
            found |= self.prefix.get(key[:n], set())
        return found

    def concepts_at(self, clause: Clause, i: int) -> set[str]:
        """Concepts whose word or phrase starts at position `i`, false friends excluded."""
        out: set[str] = set()
        for token in clause[i]:
            for concept, rest, word, _ in self.heads(token):
                if (all(i + 1 + k < len(clause) and any(_matches(w, t) for t in clause[i + 1 + k])
                        for k, w in enumerate(rest))
                        and not self._false_friend(word, token, clause, i, i + len(rest))):
                    out.add(concept)
        return out

    def _false_friend(self, word: str, token: str, clause: Clause, first: int, last: int) -> bool:
        neighbours = self.false_friends.get(word)
        if neighbours is None:
            return False
        before, after = neighbours
        if first > 0 and any(before.match(r) for r in clause[first - 1]):
            return True
        if last + 1 < len(clause) and any(after.match(r) for r in clause[last + 1]):
            return True
        letters, stem = token.removeprefix(_STRETCHED), word[:-1]
        return word.endswith("*") and letters.startswith(stem) and after.match(letters[len(stem):])

    def knows(self, token: str) -> bool:
        return bool(self.heads(token))

    def fired(self, clauses: list[Clause]) -> tuple[dict[_Rule, float], set[str]]:
        """The rules that fired, and every concept seen."""
        hits: dict[_Rule, float] = {}
        seen: set[str] = set()
        for clause in clauses:
            at = [self.concepts_at(clause, i) for i in range(len(clause))]
            present: set[str] = set().union(*at)
            seen |= present
            for concept in present:
                for rule in self.rules_needing.get(concept, ()):
                    if rule not in hits and present.issuperset(rule.concepts) and _satisfied(rule, at, present):
                        hits[rule] = rule.weight
        return hits, seen


def _deleted(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _fold_script(text: str) -> str:
    """Prompts and script words folded alike: compatibility forms, case, marks (Arabic vowel marks, dakuten)."""
    return _strip_accents(unicodedata.normalize("NFKC", text).casefold())


def script_scores(prompt: str) -> dict[str, float]:
    """What `SCRIPT_TERMS` flag in `prompt`, by intent."""
    if prompt.isascii():
        return {}
    lexicon = _LEXICON.get()
    out: dict[str, float] = {}
    for clause in _SCRIPT_CLAUSE.split(_fold_script(prompt)):
        if clause.isascii():
            continue
        masked = clause
        for friend in lexicon.script_false_friends:
            if friend in masked:
                masked = masked.replace(friend, " " * len(friend))
        for term, words, with_words in lexicon.script_terms:
            if any(w in masked for w in words) and (not with_words or any(w in masked for w in with_words)):
                out[term.intent] = max(out.get(term.intent, 0.0), term.weight)
    return out


_NUMBER = "(?P<age>\\d{1,2}|" + "|".join(lex.NUMBER_WORDS) + ")"
_SPACES = re.compile(r" +")


def _age_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + pattern.replace("{N}", _NUMBER))


_AGES = tuple((_age_pattern(p), 1.0) for p in lex.AGE_PATTERNS) + tuple(
    (_age_pattern(p), 1 / 12) for p in lex.AGE_IN_MONTHS_PATTERNS)


def _word_character(c: str) -> str:
    """`c` if it belongs to a word (letters, digits, the vowel signs of Indic scripts), else a space."""
    return c if c.isalnum() or unicodedata.category(c)[0] == "M" else " "


def age_score(prompt: str) -> float:
    """`AGE_WEIGHT` when the prompt states a person's age under `ADULT_AGE`, else 0."""
    if not any(c.isdigit() for c in prompt) and not any(w in prompt.lower() for w in lex.NUMBER_WORDS):
        return 0.0
    text = " " + _SPACES.sub(" ", "".join(map(_word_character, fold_plain(prompt)))).strip() + " "
    for pattern, years in _AGES:
        for match in pattern.finditer(text):
            number = match.group("age")
            age = (lex.NUMBER_WORDS[number] if number in lex.NUMBER_WORDS else int(number)) * years
            following = text[match.end():].split(None, 1)
            if age < lex.ADULT_AGE and not (following and following[0] in lex.AGE_NOT_BEFORE):
                return lex.AGE_WEIGHT
    return 0.0


def _matches(word: str, token: str) -> bool:
    if token.startswith(_STRETCHED):
        return _stretches(token[1:], word)
    return token.startswith(word[:-1]) if word.endswith("*") else token == word


def _satisfied(rule: _Rule, at: list[set[str]], present: set[str]) -> bool:
    """Whether `rule` fires in a clause whose positions hold the concepts `at` (`present`: all of them)."""
    if not present.isdisjoint(rule.unless):
        return False
    if rule.elliptical and len(at) > len(rule.concepts) + 1:
        return False
    positions = [[i for i, found in enumerate(at) if concept in found] for concept in rule.concepts]
    if rule.elliptical:
        positions[-1] = [p for p in positions[-1] if p == len(at) - 1]
    if not all(positions):
        return False
    if len(rule.concepts) == 1:
        return True
    return _within(positions, rule.window, rule.ordered, previous=None, span=None)


def _within(positions: list[list[int]], window: int, ordered: bool,
            previous: int | None, span: tuple[int, int] | None) -> bool:
    if not positions:
        return True
    for p in positions[0]:
        if ordered and previous is not None and p <= previous:
            continue
        lo, hi = (p, p) if span is None else (min(span[0], p), max(span[1], p))
        if hi - lo <= window and _within(positions[1:], window, ordered, p, (lo, hi)):
            return True
    return False


def _with_split_words(lexicon: Lexicon, clauses: list[Clause]) -> list[Clause]:
    """Add the joined reading of two or three short neighbouring tokens that together make a known word."""
    out = []
    for clause in clauses:
        joined = [list(readings) for readings in clause]
        for i in range(len(clause) - 1):
            partials = [r for r in clause[i] if _splittable(lexicon, r)]
            for k in range(i + 1, min(i + _SPLIT_WORD_PARTS, len(clause))):
                partials = [p + r for p in partials for r in clause[k] if _splittable(lexicon, r)]
                joined[i] += [p for p in partials if lexicon.knows(p) and p not in joined[i]]
        out.append([tuple(r) for r in joined])
    return out


def _splittable(lexicon: Lexicon, reading: str) -> bool:
    return len(reading) <= _SPLIT_WORD_MAX and not reading.startswith(_STRETCHED) and not lexicon.knows(reading)


def _with_glued_words(lexicon: Lexicon, clauses: list[Clause]) -> list[Clause]:
    """Split a token that no reading makes known into glued words: "makehernaked" -> make her naked."""
    out = []
    for clause in clauses:
        split: Clause = []
        for readings in clause:
            pieces = None
            if not any(lexicon.knows(r) for r in readings):
                pieces = next(filter(None, (_glued(lexicon, r) for r in readings
                                            if _GLUED_MIN <= len(r) <= _GLUED_MAX and r.isalpha()
                                            and r not in lex.NOT_GLUED)), None)
            split += [(p,) for p in pieces] if pieces else [readings]
        out.append(split)
    return out


def _glued(lexicon: Lexicon, token: str) -> list[str] | None:
    """`token` as glue words (`GLUE_WORDS`) and lexicon words of three letters or more, or None.

    It takes at least one glue word and one lexicon word of four letters or
    more that is not a glue word, so "takeoff" (two lexicon words) and "Essex"
    stay whole.  A prefix word counts as its stem only ("nackt", not "ausziehen"),
    so German compounds such as "herausziehen" stay whole.
    """

    def search(start: int, glue: bool, word: bool) -> list[str] | None:
        if start == len(token):
            return [] if glue and word else None
        for end in range(len(token), start + 2, -1):
            piece = token[start:end]
            is_glue = piece in lex.GLUE_WORDS
            is_word = piece in lexicon.exact or piece in lexicon.prefix
            if not (is_glue or is_word):
                continue
            rest = search(end, glue or is_glue, word or (is_word and not is_glue and len(piece) >= 4))
            if rest is not None:
                return [piece, *rest]
        return None

    return search(0, False, False)


_LEXICON: Lazy[Lexicon] = Lazy(Lexicon)


def lexicon() -> Lexicon:
    """The compiled lexicon, built on first use."""
    return _LEXICON.get()


def intent_scores(prompt: str) -> dict[str, float]:
    """Scores for every label in `INTENTS` (0.0 when nothing fired)."""
    lexicon = _LEXICON.get()
    plain, plain_seen = lexicon.fired(plain_clauses(prompt))
    hidden_clauses = _with_glued_words(lexicon, _with_split_words(lexicon, deobfuscated_clauses(prompt)))
    hidden, hidden_seen = lexicon.fired(hidden_clauses)
    scores = dict.fromkeys(INTENTS, 0.0)
    for rule, weight in (*plain.items(), *hidden.items()):
        scores[rule.intent] = max(scores[rule.intent], weight)
    for intent, weight in script_scores(prompt).items():
        scores[intent] = max(scores[intent], weight)
    scores["intent:minor"] = max(scores["intent:minor"], age_score(prompt))
    if any(rule.intent != "intent:evasion" and rule not in plain for rule in hidden):
        scores["intent:evasion"] = max(scores["intent:evasion"], OBFUSCATION_WEIGHT)
    for escalation in lex.ESCALATIONS:
        if (escalation.concept in plain_seen | hidden_seen
                and any(scores[intent] >= 0.5 for intent in escalation.with_intents)):
            scores[escalation.intent] = max(scores[escalation.intent], escalation.weight)
    return scores


class PromptIntentDetector:
    """`intent:*` labels from the request's prompt."""

    name = "prompt_intent"

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        prompt = subject.prompt or ""
        scores = intent_scores(prompt)
        language = language_of(prompt)
        if language.covered:
            return Observations(MappingProxyType(scores), ())
        unknown = frozenset(k for k, v in scores.items() if v < FLAGGED)
        reason = f"the prompt is in {language.name}, which the prompt lexicon does not cover"
        return Observations(MappingProxyType({k: v for k, v in scores.items() if k not in unknown}), (), unknown,
                            MappingProxyType(dict.fromkeys(unknown, reason)))
