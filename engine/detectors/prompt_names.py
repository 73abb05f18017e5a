"""The `prompt_names` detector: `subject:real_person` from a person the prompt names.

"Put Taylor Swift in a bikini", asked of a text-to-image model with no upload,
is about a real person although no image shows one.  A prompt names a person
when a known first name is followed by a surname: both capitalised
("Taylor Swift", "Emma Watson", in any Latin-script language), or, in a
lowercase prompt, in the place an object of "put", "undress", "show", …
stands ("undress emma watson").  First names come from the list shipped in
the `gender-guesser` wheel (about 37,000 first names from many countries;
Jörg Michael's `nam_dict.txt`, GFDL), less the names that are also common
words ("Will", "May", "Rose", "The").

It is a heuristic and its limits are measured (docs/detectors.md): it does
not know who is famous (any name counts: "draw John Miller naked" is treated
as naming a real person, which for these rules is the safe side), misses
mononyms ("Beyoncé", "Zendaya"), names in non-Latin scripts, and lowercase
names outside an object place; and names shared by fictional characters,
places and brands fire unless a rule below excludes them: a place word after
the name ("Victoria Falls", "Charlotte Street") or a place title before it
("Lake Louise", "San Diego"), a product word after it ("Calvin Klein
underwear", "Tom Ford sunglasses", "Victoria's Secret"), or a short list
of characters that carry real first names ("Harry Potter", "Santa Claus").
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from jurist.dsl.diagnostics import visible
from jurist.engine.detectors.base import DetectionInput, DetectorError
from jurist.engine.detectors.lazy import Lazy
from jurist.engine.observations import Observations

LABEL = "subject:real_person"
SCORE_CAPITALISED = 0.9
SCORE_LOWERCASE = 0.7

# Words that are never a first name here, whatever the list says ("The" is one somewhere).
FUNCTION_WORDS = frozenset("""
the a an and or of in on at to for with by from as is are be her his him she he they them their it its my your
our this that these those one two man men woman women girl boy lady guy person people picture photo image
la le les el los las un una une des del de da do das die der den dem und ein eine im am zu mit von
il lo gli di dei della e ed con per su tra fra nel sul al o os as em um uma na no ou com por para pela pelo
van het een en met op voor naar bij aan uit
make put show draw paint turn take give let get see look please just only new old big small little
sex sexy hot nude naked baby honey sugar candy cherry peach bunny kitty doll
""".split())

# Common words that are also first names: a first name only when capitalised inside a sentence
# ("a portrait of Will Smith", not "Rose Garden at sunset" or "will it rain").
WORD_NAMES = frozenset("""
will may rose hope grace joy faith summer autumn winter spring june april august sky river ocean
angel star dawn ruby pearl amber jade ivy lily daisy holly violet iris jasmine crystal sunny storm rain
red blue green brown white black gray grey golden silver young king queen prince princess lord
mark bill pat art rob ray gene dean frank earl jack jean don hank chase cash sterling major
""".split())

# Words after a name that make it a place, not a person.
PLACE_WORDS = frozenset("""
falls beach pier street st road rd avenue ave boulevard blvd square park garden gardens bay harbor harbour
island islands lake river mountain mountains mount hill hills valley city town village county state
station airport hotel hospital school college university stadium arena bridge tower palace castle
church cathedral museum theatre theater mall center centre hall court lane drive way place port
springs creek canyon forest desert coast cape point peninsula sound strait reef glacier national
""".split())

# Words before a name that make it a place ("Lake Louise", "San Diego", "Saint Helena", "Fort Worth").
PLACE_TITLES = frozenset("""
lake mount mt san santa santo são sao saint st ste fort port cape lago monte isla isle rio río
""".split())

# Words after a name that make it a brand or product ("Calvin Klein underwear").
PRODUCT_WORDS = frozenset("""
underwear lingerie bra bras briefs boxers panties jeans dress dresses shirt shirts bag bags handbag purse
shoes sneakers boots heels perfume fragrance cologne sunglasses glasses watch watches jacket coat suit
collection collections brand logo store shop boutique ad advert advertisement campaign catalog catalogue
swimwear swimsuit bikini bikinis outfit outfits style label line range model models
""".split())

# Fictional characters, with real first names, often asked for by name.
CHARACTERS = frozenset(("harry potter", "hermione granger", "ron weasley", "ginny weasley", "santa claus",
                        "peter pan", "peter parker", "mary jane", "mary poppins", "bruce wayne", "clark kent",
                        "lois lane", "tony stark", "diana prince", "luke skywalker", "leia organa",
                        "han solo", "lara croft", "jessica rabbit", "jessica jones", "harley quinn",
                        "sherlock holmes", "james bond", "indiana jones", "jack sparrow", "homer simpson",
                        "marge simpson", "lisa simpson", "bart simpson", "jon snow", "arya stark",
                        "sansa stark", "daenerys targaryen", "frodo baggins", "bilbo baggins",
                        "katniss everdeen", "bella swan", "edward cullen", "buffy summers", "sarah connor",
                        "ellen ripley", "alice liddell", "dorothy gale", "minnie mouse", "mickey mouse",
                        "daisy duck", "donald duck", "peppa pig", "barbie roberts", "ken carson"))

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_OBJECT_VERBS = frozenset("""
put make show undress strip draw paint generate create render picture photograph dress turn give
of with desnuda desnudar ausziehen déshabille deshabille tira tire despe spoglia rozbierz
""".split())


class Named(NamedTuple):
    """One person the prompt names: the words as written, and how sure the reading is."""

    text: str
    score: float


def _load_first_names() -> frozenset[str]:
    spec = importlib.util.find_spec("gender_guesser")
    if spec is None or not spec.submodule_search_locations:
        raise DetectorError("the gender-guesser package is not installed (pip install 'jurist[detectors]')")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "nam_dict.txt"
    names: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or len(line) < 31 or line[29] == "+":
                continue  # comments, and the duplicate lines of the dictionary's "expanded" sort order
            name = line[3:29].strip()
            if name.isalpha() and len(name) >= 2:
                names.add(name.casefold())
    return frozenset(names - FUNCTION_WORDS - PLACE_TITLES)


_FIRST_NAMES: Lazy[frozenset[str]] = Lazy(_load_first_names)


def named_people(prompt: str) -> list[Named]:
    """The people `prompt` names, in order of appearance."""
    words: list[_Word] = []
    previous_end = 0
    for match in _WORD.finditer(prompt):
        gap = prompt[previous_end:match.start()]
        words.append(_Word(match.group(), not words or any(c in gap for c in ".!?:;\n")))
        previous_end = match.end()
    if len(words) < 2:
        return []
    first_names = _FIRST_NAMES.get()
    found: list[Named] = []
    i = 0
    while i < len(words) - 1:
        score = _pair_score(words, i, first_names)
        if score:
            found.append(Named(f"{words[i].text} {words[i + 1].text}", score))
            i += 2
        else:
            i += 1
    return found


class _Word(NamedTuple):
    text: str
    starts_sentence: bool


def _pair_score(words: list[_Word], i: int, first_names: frozenset[str]) -> float:
    first, surname = words[i].text, words[i + 1].text
    folded = first.casefold()
    if folded not in first_names or not _surname_like(surname):
        return 0.0
    if folded in WORD_NAMES and not (first[0].isupper() and not words[i].starts_sentence):
        return 0.0
    before = words[i - 1].text.casefold() if i > 0 else ""
    after = words[i + 2].text.casefold() if i + 2 < len(words) else ""
    key = f"{first} {surname}".casefold()
    if key in CHARACTERS or before in PLACE_TITLES or surname.casefold() in PLACE_WORDS:
        return 0.0
    if after in PRODUCT_WORDS or after in PLACE_WORDS or surname.casefold().endswith(("'s", "’s")):
        return 0.0  # "Calvin Klein underwear", "Victoria's Secret"
    if first[0].isupper() and surname[0].isupper():
        return SCORE_CAPITALISED
    if first.islower() and surname.islower() and before in _OBJECT_VERBS:
        return SCORE_LOWERCASE
    return 0.0


def _surname_like(word: str) -> bool:
    folded = word.casefold()
    return (len(word) >= 2 and folded not in FUNCTION_WORDS and folded not in WORD_NAMES
            and folded not in PRODUCT_WORDS
            and (word[0].isupper() and not word.isupper() or word.islower()))


class PromptNamesDetector:
    """`subject:real_person` for a prompt that names a person, with the name as evidence."""

    name = "prompt_names"

    def detect(self, subject: DetectionInput, upstream: Observations) -> Observations:
        people = named_people(subject.prompt or "")
        if not people:
            return Observations(MappingProxyType({LABEL: 0.0}))
        best = max(p.score for p in people)
        shown = ", ".join(f"“{visible(p.text)}”" for p in people[:3]) + (" …" if len(people) > 3 else "")
        return Observations(MappingProxyType({LABEL: best}),
                            notes=MappingProxyType({LABEL: f"the prompt names a person: {shown}"}))
