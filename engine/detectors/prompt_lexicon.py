"""The multilingual lexicon behind `intent:*` labels: data, no logic.

Words are written folded (lower case, accents stripped, `ß` -> `ss`), as
`prompt_intent` folds prompts.  A word ending in `*` matches any token it
starts; a word with spaces is a phrase of consecutive tokens (its joined form,
`seethrough` for `see through`, is matched too).  Languages: English, French,
Spanish, German, Indonesian, Malay (Indonesian and Malay share many words).

`TERMS` fire on their own.  `COMBINATIONS` fire when one token of each named
concept appears within `window` tokens of each other in one clause (in the
given order when `ordered`): "remove ... clothes", "sans ... vêtements".
"""
from __future__ import annotations

from dataclasses import dataclass

LEXICON_VERSION = 1


@dataclass(frozen=True, slots=True)
class Term:
    intent: str
    weight: float
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Combination:
    intent: str
    weight: float
    concepts: tuple[str, ...]
    window: int
    ordered: bool = False


CONCEPTS: dict[str, tuple[str, ...]] = {
    "clothing": (
        "clothes", "clothing", "dress", "dresses", "shirt*", "tshirt*", "blouse*", "skirt*", "pants", "trousers",
        "jeans", "bra", "bras", "bikini*", "swimsuit*", "underwear", "panties", "lingerie", "outfit*", "garment*",
        "vetement*", "robe", "robes", "chemise*", "jupe*", "pantalon*", "culotte*", "soutien gorge",
        "maillot*", "sous vetement*",
        "ropa", "ropas", "vestido*", "camisa*", "camiseta*", "blusa*", "falda*", "sujetador*", "bragas",
        "kleid*", "klamott*", "hemd*", "bluse*", "bh", "unterwasche*", "badeanzug*", "oberteil*",
        "baju*", "pakaian*", "busana*", "celana*", "rok", "kemeja*", "kaos", "beha", "kutang", "berbusana",
        "berpakaian", "berbaju", "seluar*", "coli",
    ),
    "remove": (
        "remove*", "strip", "strips", "stripped", "stripping", "delete", "erase*", "get rid",
        "enleve*", "enlever", "retire", "retirez", "retirer", "retirant", "ote", "otez", "oter", "otes",
        "quita*", "quitale*", "saca*", "retira*", "elimina*", "borra*",
        "entfern*",
        "lepas*", "copot*", "hapus*", "singkirkan", "tanggalkan", "lucut*",
    ),
    "open": ("buka", "bukakan", "bukain"),
    "pull": ("zieh", "ziehe", "zieht"),  # German separable "zieh ... aus"; "zieh ... an" is putting on
    "out": ("aus",),
    "take": ("take", "takes", "took", "taking", "taken"),
    "off": ("off",),
    "without": ("without", "sans", "sin", "ohne", "tanpa", "no", "tidak", "tak", "tiada"),
    "see_through": (
        "see through", "x ray", "xray*", "transparent*", "sheer", "rayon x", "rayons x", "rayos x",
        "durchsichtig*", "rontgen*", "transparan*", "tembus pandang", "lutsinar",
    ),
    "ignore": ("ignore*", "disregard*", "forget", "oublie*", "ignora*", "olvida*", "ignorier*", "vergiss",
               "abaikan", "lupakan", "acuhkan"),
    "rules": (
        "rules", "rule", "instructions", "guidelines", "policy", "policies", "restrictions", "filter", "filters",
        "safety", "regles", "consignes", "reglas", "instrucciones", "normas", "restricciones", "filtros",
        "regeln", "anweisungen", "richtlinien", "einschrankungen", "aturan", "instruksi", "pedoman", "batasan",
        "peraturan", "arahan", "sekatan", "penapis*", "tapisan",
    ),
    "bypass": ("bypass*", "circumvent*", "evade", "evading", "get around", "contourn*", "passer outre",
               "evadir", "eludir", "saltar*", "umgeh*", "umgangen", "lewati", "hindari", "akali", "pintas", "elak*"),
    "censor": ("filter*", "filtre*", "filtro*", "censor*", "censur*", "zensur*", "sensor*", "moderation",
               "moderasi", "safety", "penapis*", "tapisan", "nsfw"),
}

TERMS: tuple[Term, ...] = (
    # intent:undress -- asks to show someone without clothing, or to remove it
    Term("intent:undress", 0.95, (
        "undress*", "unclothe*", "disrobe*", "nudify*", "nudified", "deepnude*", "deshabill*", "desvist*",
        "desnudar*", "auszieh*", "ausgezogen", "entkleid*", "telanjangi*", "bogelkan", "striptease*",
        "strip naked", "strip tease",
    )),
    Term("intent:undress", 0.9, (
        "naked", "nude", "nudes", "nudity", "nudist*", "topless", "bottomless", "unclothed", "undressed",
        "birthday suit", "in the buff", "starkers",
        "nue", "nues", "tout nu", "toute nue", "a poil", "seins nus",
        "desnud*", "encuerad*", "en pelotas",
        "nackt*", "nackig*", "oben ohne", "entblosst*", "textilfrei",
        "telanjang*", "bugil*", "bogel*", "tanpa seurat benang",
    )),
    # intent:swimwear -- asks to put someone in swimwear, underwear or lingerie
    Term("intent:swimwear", 0.8, (
        "bikini*", "swimsuit*", "swimwear", "bathing suit", "swim suit", "lingerie", "underwear", "panties",
        "thong", "thongs", "g string", "bra", "bras",
        "maillot de bain", "maillots de bain", "sous vetement*", "culotte*", "soutien gorge",
        "traje de bano", "banador*", "lenceria", "ropa interior", "bragas", "tanga", "tangas", "sujetador*",
        "badeanzug*", "badebekleidung", "badehose*", "unterwasche*", "dessous", "reizwasche",
        "baju renang", "pakaian renang", "pakaian dalam", "celana dalam", "beha", "seluar dalam",
        "baju mandi",
    )),
    # intent:sexualize -- asks for sexual or erotic content
    Term("intent:sexualize", 0.95, (
        "porn*", "pron", "xxx", "hentai", "sex", "sexo", "sexe", "seks", "having sex", "make love", "making love",
        "orgasm*", "masturbat*", "onlyfans", "bdsm", "blowjob*", "faire l amour", "hacer el amor",
        "bokep", "ngentot", "lucah*", "pornographi*", "pornografi*",
    )),
    Term("intent:sexualize", 0.9, (
        "erotic*", "erotique*", "erotisch*", "erotik*", "erotis*", "nsfw", "lewd*", "fetish*", "tits", "titties",
        "nichons", "tetas", "titten", "toket*", "mesum*", "sange", "cabul*", "cachond*", "spread legs",
    )),
    Term("intent:sexualize", 0.8, (
        "sexy", "sexier", "sexiest", "seksi", "boobs", "busty", "lascive*", "lujurios*", "geil", "geile*",
        "lustern*", "berahi*", "bercinta",
    )),
    Term("intent:sexualize", 0.7, (
        "sexual*", "sexuel*", "sexuell*", "seductive*", "seduisant*", "sensual*", "sensuel*", "sinnlich*",
        "sultry", "cleavage", "coquine*", "aguicheu*", "verfuhrerisch*", "provocative*", "provocant*",
        "provocativ*", "payudara", "buah dada", "seins", "bruste",
    )),
    # intent:evasion -- asks to get around the rules
    Term("intent:evasion", 0.9, (
        "uncensor*", "jailbreak*", "dan mode", "sans censure", "non censure", "sin censura", "unzensiert*",
        "ohne zensur", "tanpa sensor", "tidak disensor", "tak ditapis", "tanpa tapisan", "bebas sensor",
    )),
    Term("intent:evasion", 0.6, (
        "unfiltered", "no filter", "nofilter", "sans filtre", "sin filtro", "ohne filter", "tanpa filter",
    )),
)

COMBINATIONS: tuple[Combination, ...] = (
    Combination("intent:undress", 0.85, ("remove", "clothing"), window=3),
    Combination("intent:undress", 0.85, ("open", "clothing"), window=1),
    Combination("intent:undress", 0.85, ("take", "off", "clothing"), window=4),
    Combination("intent:undress", 0.85, ("pull", "clothing", "out"), window=5, ordered=True),
    Combination("intent:undress", 0.85, ("pull", "out"), window=2, ordered=True),  # "zieh sie aus"
    Combination("intent:undress", 0.85, ("without", "clothing"), window=2, ordered=True),
    Combination("intent:undress", 0.85, ("see_through", "clothing"), window=3),
    Combination("intent:evasion", 0.9, ("ignore", "rules"), window=4),
    Combination("intent:evasion", 0.9, ("bypass", "censor"), window=3),
)

# A word followed by one of these tokens means something else ("nude lipstick").
FALSE_FRIENDS: dict[str, frozenset[str]] = {
    "nude": frozenset({"lipstick", "lip", "lips", "color", "colour", "colored", "coloured", "tone", "tones",
                       "shade", "shades", "heels", "pumps", "shoes", "palette", "makeup", "nails", "nail",
                       "beige", "stockings"}),
    "naked": frozenset({"eye", "eyes", "flame", "wire", "truth"}),
    "dress": frozenset({"code", "rehearsal"}),
}

# Letters from other scripts that look like Latin ones.
HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ı": "i", "ɑ": "a", "ℓ": "l",
})

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                      "@": "a", "$": "s", "!": "i", "|": "i", "+": "t", "€": "e"})
