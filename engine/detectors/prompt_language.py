"""Which language a prompt is in, and whether the prompt lexicon covers it.

A lexicon that does not know a language scores every prompt in it 0: "tire a
roupa dela" read as nothing at all, and was allowed against a real person
(issue 12).  The prompt detector therefore asks here first and makes the
intents it did not flag *unknown* when the language is not covered, so a rule
that needs them fails closed (or goes to review).

The script decides most prompts: letters of a script no covered language uses
(Thai, Hebrew, Greek, Chinese characters without kana, ...) settle it, and so
does kana (Japanese) or Hangul (Korean).  Where a script is shared,
the letters decide first: Cyrillic is Russian, Arabic script Arabic and
Devanagari Hindi unless a letter that language does not write appears
(Ukrainian "ї", Persian "گ"); then `lingua-language-detector` (its models are
inside the wheel; low-accuracy mode, about 75 MB once loaded, loaded on the
first prompt that needs it) names the language, and it tells the
Latin-script languages apart.  Bulgarian and Serbian prompts without such
letters are read as Russian, Marathi and Nepali as Hindi.  A Latin-script prompt
with common words of a covered language ("put", "her", "dela") is covered
without asking, and so is one with a word of the lexicon: language models
are unreliable on a few words ("put her in a bikini" reads as Tagalog), and a
prompt in a covered language must not be read as unknown.  A share of `FOREIGN_SHARE` letters of an uncovered script
is enough: English with a Thai word for swimsuit is not covered either.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from jurist.engine.detectors import prompt_lexicon as lex
from jurist.engine.detectors.lazy import Lazy

FOREIGN_SHARE = 0.2          # of a prompt's letters, in a script no covered language uses
MIN_CONFIDENCE = 0.6         # lingua's, for an uncovered language to win over the covered ones
MIN_WORDS = 3                # a Latin-script prompt this long may be judged by lingua; shorter ones are covered
FOREIGN_LETTERS = 1          # Latin letters no covered language writes ("ở", "ř", "ø"): one settles it
_WORD = re.compile(r"[a-z]+")

# Scripts by the first word of a letter's Unicode name, and the covered language each one means alone.
_SCRIPT_LANGUAGE = {"HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko"}
_SCRIPT_DEFAULT = {"CYRILLIC": "ru", "ARABIC": "ar", "DEVANAGARI": "hi"}  # the covered language of the script
_NOT_WRITTEN = {  # letters of the script that language does not write: another language's
    "CYRILLIC": frozenset("іїєґўђјљњћџѓќѕәғқңөұүһ"),
    "ARABIC": frozenset("پچژگکیٹڈڑںےۓھ"),
    "DEVANAGARI": frozenset("ळ"),  # Marathi's ḷa; Marathi and Nepali are otherwise read as Hindi
}
_SHARED_SCRIPTS = {  # scripts covered languages share with others: lingua decides among these
    "LATIN": None, "CYRILLIC": ("ru", "uk", "be", "bg", "sr", "mk", "kk", "mn"),
    "ARABIC": ("ar", "fa", "ur"), "DEVANAGARI": ("hi", "mr"), "CJK": ("ja", "zh"),
}


@dataclass(frozen=True, slots=True)
class Language:
    code: str          # ISO 639-1, or "" when the prompt has no letters
    name: str
    covered: bool


NO_LETTERS = Language("", "no language", True)


def language_of(prompt: str) -> Language:
    """The prompt's language as far as the lexicon is concerned (see the module doc).

    Letters of other scripts that look like Latin ones ("Νude" with a Greek
    Nu, small capitals "ɴᴜᴅᴇ") in a prompt that also has Latin letters are
    read as Latin: that is obfuscation, which the lexicon reads, not a language.
    """
    prompt = unicodedata.normalize("NFKC", prompt)
    if any(ord(c) in lex.CONFUSABLES for c in prompt):
        latin = sum(1 for c in prompt if c.isalpha() and unicodedata.name(c, "").startswith("LATIN")
                    and ord(c) not in lex.CONFUSABLES)
        other = [c for c in prompt if c.isalpha() and not (c.isascii() or ord(c) in lex.CONFUSABLES)
                 and not unicodedata.name(c, "").startswith("LATIN")]
        if not other:
            prompt = prompt.translate(lex.CONFUSABLES)
    counts = _scripts(prompt)
    letters = sum(counts.values())
    if not letters:
        return NO_LETTERS
    for script, count in counts.items():
        if script not in _SCRIPT_LANGUAGE and script not in _SHARED_SCRIPTS and count >= FOREIGN_SHARE * letters:
            return Language(script.lower(), f"{script.title()} script", False)
    script = max(counts, key=lambda s: counts[s])
    if script in _SCRIPT_LANGUAGE:
        return _named(_SCRIPT_LANGUAGE[script])
    if script == "CJK" and ("HIRAGANA" in counts or "KATAKANA" in counts):
        return _named("ja")
    if script == "LATIN":
        foreign = sum(1 for c in prompt.lower() if c.isalpha() and c.isascii() is False
                      and unicodedata.name(c, "").startswith("LATIN") and c not in lex.COVERED_LATIN_LETTERS)
        if foreign >= FOREIGN_LETTERS:
            found = _identified(prompt, None)
            return found if not found.covered else Language("", "a language with letters the lexicon has not", False)
        if _common_words(prompt) or len(prompt.split()) < MIN_WORDS:
            return Language("", "a covered language", True)
    elif script in _SCRIPT_DEFAULT:
        # the covered language of the script, unless a letter it does not write says otherwise: lingua's
        # low-accuracy mode called Russian "кошка спит на диване у окна" Serbian and Hindi Marathi
        if not any(c in _NOT_WRITTEN[script] for c in prompt.lower()):
            return _named(_SCRIPT_DEFAULT[script])
    return _identified(prompt, _SHARED_SCRIPTS[script])


def _scripts(prompt: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for char in prompt:
        if char.isalpha():
            name = unicodedata.name(char, "")
            words = name.split(" ") if name else ["UNKNOWN"]
            if words[0] in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
                words = words[1:]
            script = words[0].split("-")[0]  # "KATAKANA-HIRAGANA PROLONGED SOUND MARK" is Japanese
            counts[script] = counts.get(script, 0) + 1
    return counts


def _common_words(prompt: str) -> bool:
    from jurist.engine.detectors.prompt_intent import fold_plain

    from jurist.engine.detectors.prompt_intent import lexicon

    known = lexicon().knows
    return any(w in lex.COMMON_WORDS or known(w) for w in _WORD.findall(fold_plain(prompt)))


def _identified(prompt: str, among: tuple[str, ...] | None) -> Language:
    """lingua's reading, among the languages `among` (all when None): an uncovered one only when it is sure."""
    detector = _DETECTOR.get()
    values = detector.compute_language_confidence_values(prompt)
    ranked = [(v.language.iso_code_639_1.name.lower(), v.value) for v in values]
    if among is not None:
        ranked = [(code, value) for code, value in ranked if code in among]
    if not ranked:
        return Language("", "an unidentified language", False)
    code, confidence = ranked[0]
    if code in lex.COVERED_LANGUAGES or confidence < MIN_CONFIDENCE:
        best_covered = next((c for c, _ in ranked if c in lex.COVERED_LANGUAGES), code)
        return _named(best_covered) if best_covered in lex.COVERED_LANGUAGES else _named(code)
    return _named(code)


def _named(code: str) -> Language:
    if code in lex.COVERED_LANGUAGES:
        return Language(code, lex.COVERED_LANGUAGES[code], True)
    from lingua import IsoCode639_1, Language as Lingua

    try:
        name = Lingua.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name.title()
    except (AttributeError, ValueError):
        name = code
    return Language(code, name, False)


def _build() -> Any:
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        raise RuntimeError("lingua-language-detector is not installed (pip install 'jurist[detectors]')") from None
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


_DETECTOR: Lazy[Any] = Lazy(_build)
