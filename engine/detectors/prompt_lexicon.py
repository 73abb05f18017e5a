"""The multilingual lexicon behind `intent:*` labels: data, no logic.

Words are written folded (lower case, accents stripped, `ß` -> `ss`), as
`prompt_intent` folds prompts.  A word ending in `*` matches any token it
starts; a word with spaces is a phrase of consecutive tokens (its joined form,
`seethrough` for `see through`, is matched too).  Languages: English, French,
Spanish, German, Indonesian, Malay (Indonesian and Malay share many words).

`TERMS` fire on their own.  `COMBINATIONS` fire when one token of each named
concept appears within `window` tokens of each other in one clause (in the
given order when `ordered`): "remove ... clothes", "sans ... vêtements".
`FILLERS` ("please", "bitte", "ganz") are dropped before windows are counted,
so "zieh sie bitte ganz aus" is as close as "zieh sie aus".  Senses are kept
apart by `FALSE_FRIENDS` (a neighbouring word: "nude lipstick", "Bikini
Atoll") and by a combination's `unless` concepts (anywhere in its clause:
"strip off the old paint", "uncensored history of WW2").
"""
from __future__ import annotations

from dataclasses import dataclass

LEXICON_VERSION = 2


@dataclass(frozen=True, slots=True)
class Term:
    intent: str
    weight: float
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Combination:
    """One token of each concept within `window` tokens in one clause.

    `unless`: concepts that, anywhere in the same clause, give the words another
    sense ("strip off" + "paint").  `elliptical`: the words are the whole clause
    but for one word before them, as in a verbless command ("Klamotten aus!",
    "alle Kleider aus"); "Kleider aus Seide" (dresses of silk) and "such ein
    Kleid aus" (pick a dress) are not.
    """

    intent: str
    weight: float
    concepts: tuple[str, ...]
    window: int
    ordered: bool = False
    unless: tuple[str, ...] = ()
    elliptical: bool = False


@dataclass(frozen=True, slots=True)
class Escalation:
    """`concept` anywhere in the prompt sets `intent` to `weight` when one of `with_intents` is flagged (>= 0.5).

    "Uncensored" next to nudity or sex is a request to get around the rules,
    whatever else the clause says.
    """

    intent: str
    weight: float
    concept: str
    with_intents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FalseFriend:
    """Neighbours (the token right before / right after, fillers skipped) that give a word another sense.

    Neighbours follow the word syntax (`arbol*`).  For a prefix word an `after`
    neighbour also counts when glued on, as in compounds: "Ausziehtisch"
    (`auszieh*` + `tisch*`), "Bikini-Atoll" read as "bikiniatoll".
    """

    before: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()


def _ff(before: str = "", after: str = "") -> FalseFriend:
    return FalseFriend(frozenset(before.split()), frozenset(after.split()))


U, S, E, W = "intent:undress", "intent:sexualize", "intent:evasion", "intent:swimwear"

_POSSESSIVES = ("her", "his", "their", "your", "my")

CONCEPTS: dict[str, tuple[str, ...]] = {
    "clothing": (
        "clothes", "clothing", "dress", "dresses", "shirt*", "tshirt*", "blouse*", "skirt*", "pants", "trousers",
        "jeans", "shorts", "bra", "bras", "bikini*", "swimsuit*", "underwear", "underpants", "undies", "knickers",
        "panties", "lingerie", "outfit*", "garment*", "speedo", "speedos",
        *(f"{p} top" for p in _POSSESSIVES), *(f"{p} tops" for p in _POSSESSIVES),  # not "the top layer"
        "vetement*", "robe", "robes", "chemise*", "jupe*", "pantalon*", "culotte*", "soutien gorge", "fringue*",
        "tenue", "tenues", "maillot*", "sous vetement*",
        # French "habits" is English "habits": only with a French determiner
        "ses habits", "tes habits", "vos habits", "mes habits", "leurs habits", "les habits", "son habit",
        "ropa", "ropas", "vestido*", "camisa*", "camiseta*", "blusa*", "falda*", "sujetador*", "bragas",
        "kleid*", "klamott*", "hemd*", "bluse*", "bh", "unterwasche*", "unterhose*", "badeanzug*", "oberteil*",
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
    # "strip her", "strip off", "strip down": strip with no garment named
    "strip": ("strip", "strips", "stripping"),
    "person": (
        "her", "him", "them", "you", "me", "herself", "himself", "themselves", "yourself", "myself",
        "woman", "women", "girl", "girls", "man", "men", "boy", "boys", "lady", "ladies", "guy", "guys",
        "model", "models",
    ),
    "down": ("down",),
    # what one strips that is not clothing: "strip off the old paint", "strip down the engine"
    "strippable": (
        "paint*", "wallpaper*", "varnish*", "lacquer*", "bark", "label*", "tape", "sticker*", "film", "foil",
        "insulation", "wire*", "cable*", "engine*", "motor*", "car", "cars", "bike*", "bicycle*", "gun*", "rifle*",
        "pistol*", "furniture", "floor*", "wax", "polish", "finish", "coating*", "glue", "rust", "layer*",
        "tile*", "carpet*", "code", "data", "metadata", "exif", "html", "markup", "whitespace", "version",
    ),
    "out_of": ("out of",),
    "get": ("get", "gets", "getting", "got", "help", "helps", "helping", "helped"),
    "slip": ("slip", "slips", "slipping", "slipped", "wriggle*", "wriggling", "peel", "peels", "peeling"),
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
    # French "dénuder" also strips wires and trees: only with a pronoun ("dénude-la", "la dénuder")
    "denude": ("denude", "denudez", "denuder", "denudes"),
    "pronoun_fr": ("la", "le", "les", "moi", "toi", "lui", "elle", "elles"),
    "bare_thing_fr": (
        "fil", "fils", "cable*", "arbre*", "branche*", "colline*", "paysage*", "sol", "terre", "os", "racine*",
        "roche*", "mur", "murs",
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
    "uncensored": (
        "uncensor*", "decensor*", "sans censure", "non censure", "sin censura", "unzensiert*", "ohne zensur",
        "tanpa sensor", "tidak disensor", "tak ditapis", "tanpa tapisan", "bebas sensor",
    ),
    # what "uncensored" may honestly describe: a record of events, not the picture asked for
    "topic": (
        "history", "historical", "documentary", "documentaries", "footage", "archive*", "interview*", "report*",
        "news", "biography", "memoir*", "diary", "diaries", "letters", "transcript*", "speech*", "truth", "account",
        "story", "stories", "book", "books", "novel*", "podcast*", "debate*", "lyrics", "war", "wars",
        "histoire", "documentaire*", "reportage*", "verite", "temoignage*", "archives", "entretien*", "guerre",
        "historia", "documental*", "reportaje*", "verdad", "entrevista*", "guerra", "noticias", "libro*",
        "geschichte", "dokumentation*", "doku", "dokus", "wahrheit", "bericht*", "krieg*", "nachrichten", "buch",
        "sejarah", "dokumenter", "berita", "laporan", "kebenaran", "wawancara", "temu bual", "perang", "buku",
    ),
}

TERMS: tuple[Term, ...] = (
    # intent:undress -- asks to show someone without clothing, or to remove it
    Term(U, 0.95, (
        "undress*", "unclothe*", "disrobe*", "nudify*", "nudified", "deepnude*", "deshabill*", "desvist*",
        "desnudar*", "auszieh*", "ausgezogen", "entkleid*", "telanjangi*", "bogelkan", "striptease*",
        "strip naked", "strip tease",
    )),
    Term(U, 0.9, (
        "naked", "nude", "nudes", "nudity", "nudist*", "topless", "bottomless", "unclothed", "undressed",
        "birthday suit", "in the buff", "starkers",
        "nue", "nues", "tout nu", "toute nue", "a poil", "seins nus",
        "desnud*", "encuerad*", "en pelotas",
        "nackt*", "nackig*", "oben ohne", "entblosst*", "textilfrei",
        "telanjang*", "bugil*", "bogel*", "tanpa seurat benang", "tanpa sehelai benang", "tanpa seutas benang",
    )),
    # intent:swimwear -- asks to put someone in swimwear, underwear or lingerie
    Term(W, 0.8, (
        "bikini*", "swimsuit*", "swimwear", "bathing suit", "swim suit", "swim trunks", "swimming trunks",
        "lingerie", "underwear", "underpants", "undies", "knickers", "panties", "speedo", "speedos",
        "thong", "thongs", "g string", "bra", "bras", "bralette*",
        "maillot de bain", "maillots de bain", "sous vetement*", "culotte*", "soutien gorge", "slip de bain",
        "traje de bano", "banador*", "lenceria", "ropa interior", "bragas", "tanga", "tangas", "sujetador*",
        "calzon", "calzones", "calzoncillo*",
        "badeanzug*", "badebekleidung", "badehose*", "unterwasche*", "unterhose*", "dessous", "reizwasche",
        "baju renang", "pakaian renang", "pakaian dalam", "celana dalam", "beha", "seluar dalam",
        "baju mandi", "baju dalam",
    )),
    # intent:sexualize -- asks for sexual or erotic content
    Term(S, 0.95, (
        "porn*", "pron", "xxx", "hentai", "sex", "sexo", "sexe", "seks", "having sex", "make love", "making love",
        "orgasm*", "masturbat*", "onlyfans", "bdsm", "blowjob*", "faire l amour", "hacer el amor",
        "bokep", "ngentot", "lucah*", "pornographi*", "pornografi*",
    )),
    Term(S, 0.9, (
        "erotic*", "erotique*", "erotisch*", "erotik*", "erotis*", "nsfw", "lewd*", "fetish*", "tits", "titties",
        "nichons", "tetas", "titten", "toket*", "mesum*", "sange", "cabul*", "cachond*", "spread legs",
    )),
    Term(S, 0.8, (
        "sexy", "sexier", "sexiest", "seksi", "boobs", "busty", "lascive*", "lujurios*", "geil", "geile*",
        "lustern*", "berahi*", "bercinta",
    )),
    Term(S, 0.7, (
        "sexual*", "sexuel*", "sexuell*", "seductive*", "seduisant*", "sensual*", "sensuel*", "sinnlich*",
        "sultry", "cleavage", "coquine*", "aguicheu*", "verfuhrerisch*", "provocative*", "provocant*",
        "provocativ*", "payudara", "buah dada", "seins", "bruste",
    )),
    # intent:evasion -- asks to get around the rules ("uncensored" is in COMBINATIONS: it needs context)
    Term(E, 0.9, ("jailbreak*", "dan mode")),
    Term(E, 0.6, (
        "unfiltered", "no filter", "nofilter", "sans filtre", "sin filtro", "ohne filter", "tanpa filter",
    )),
)

COMBINATIONS: tuple[Combination, ...] = (
    Combination(U, 0.85, ("remove", "clothing"), window=3),
    Combination(U, 0.85, ("open", "clothing"), window=1),
    Combination(U, 0.85, ("take", "off", "clothing"), window=4),
    Combination(U, 0.85, ("pull", "clothing", "out"), window=5, ordered=True),
    Combination(U, 0.85, ("pull", "out"), window=2, ordered=True),  # "zieh sie aus"
    Combination(U, 0.85, ("clothing", "out"), window=1, ordered=True, elliptical=True),  # "Klamotten aus!"
    Combination(U, 0.85, ("clothing", "off"), window=1, ordered=True, elliptical=True),  # "clothes off!"
    Combination(U, 0.85, ("without", "clothing"), window=2, ordered=True),
    Combination(U, 0.85, ("see_through", "clothing"), window=3),
    Combination(U, 0.9, ("strip", "person"), window=2, ordered=True),  # "strip her", "strip the woman"
    Combination(U, 0.85, ("strip", "off"), window=1, ordered=True, unless=("strippable",)),
    Combination(U, 0.85, ("strip", "down"), window=1, ordered=True, unless=("strippable",)),
    Combination(U, 0.85, ("get", "person", "out_of", "clothing"), window=6, ordered=True),
    Combination(U, 0.85, ("slip", "out_of", "clothing"), window=4, ordered=True),
    Combination(U, 0.9, ("denude", "pronoun_fr"), window=1, unless=("bare_thing_fr",)),
    Combination(E, 0.9, ("ignore", "rules"), window=4),
    Combination(E, 0.9, ("bypass", "censor"), window=3),
    Combination(E, 0.9, ("uncensored",), window=0, unless=("topic",)),  # "uncensored version please"
    Combination(E, 0.3, ("uncensored",), window=0),  # "uncensored history of WW2": a weak signal only
)

ESCALATIONS: tuple[Escalation, ...] = (
    Escalation(E, 0.9, "uncensored", (U, S, W)),
)

# Politeness, intensifiers and discourse particles: never a lexicon word, dropped before windows are counted.
FILLERS: frozenset[str] = frozenset({
    "please", "pls", "plz", "completely", "fully", "totally", "entirely", "just", "now", "all", "really",
    "quickly", "slowly", "gently",
    "svp", "stp", "completement", "entierement", "totalement", "vite", "donc",
    "completamente", "totalmente", "favor", "ahora", "rapido",
    "bitte", "ganz", "alle", "mal", "doch", "jetzt", "schnell", "komplett", "vollig", "vollstandig", "einfach",
    "endlich", "sofort", "langsam", "nun", "halt", "eben", "gleich",
    "tolong", "sila", "dong", "sepenuhnya", "sekarang", "segera",
})

# A word next to one of these means something else.
_TREES_ES = ("arbol* rama* bosque* paisaje* pared* muro* tierra suelo monte* montana* colina* roca* cable* "
             "hueso* invierno")
_BARE_FR = "branche* colline* terre mur murs paroi* arbre* roche* piece pieces tete tetes main mains epee lame"
_TOP_AFTER = ("hat hats lip lips teeth tooth row half layer floor shelf drawer knot bun note notes score speed "
              "priority spot choice pick picks ten five three")
FALSE_FRIENDS: dict[str, FalseFriend] = {
    "nude": _ff(before="pasta", after="lipstick lip lips color colour colored coloured tone tones shade shades "
                "heels pumps shoes palette makeup nails nail beige stockings cake cakes pasta"),
    "naked": _ff(after="eye eyes flame wire truth bulb bulbs cake cakes juice ambition aggression"),
    "dress": _ff(after="code rehearsal"),
    # "undress rehearsal", "undressed timber / stone / salad": not undressing anyone
    **dict.fromkeys(("undress*", "undressed"), _ff(
        after="rehearsal timber lumber wood stone stones granite salad salads leather hide hides board* "
              "plank* beam* log logs")),
    "desnud*": _ff(before=_TREES_ES, after=_TREES_ES),
    **dict.fromkeys(("nue", "nues"), _ff(before=_BARE_FR)),
    "nackt*": _ff(after="wahrheit zahlen fakten wand wande"),
    "telanjang*": _ff(before="mata"),  # "mata telanjang": the naked eye
    # German "Ausziehtisch", "ausziehbar", "Ausziehleiter": extending furniture
    "auszieh*": _ff(after="tisch* bar* bare* leiter* platte* sofa* couch* schrank* auszug*"),
    "bikini*": _ff(after="atoll* island* islands"),
    **dict.fromkeys(("speedo", "speedos"), _ff(before="car bike motorcycle dashboard digital analog analogue",
                                               after="meter* reading needle cable dial gauge")),
    # the noun: "a comic strip", "the Las Vegas strip", "strip mall"
    **dict.fromkeys(("strip", "strips"), _ff(
        before="a the this that each every one comic comics film led landing gaza vegas metal paper bacon test "
               "light rubber magnetic narrow thin long ticker sunset",
        after="mall malls club clubs light lights steak steaks mine mines mining poker search cartoon cartoons "
              "comic comics map maps")),
    # Malay "baju dalam" is underwear, but "baju dalam lemari" is "clothes in the wardrobe"
    "baju dalam": _ff(after="lemari almari kotak beg tas koper bagasi mesin ember baldi keranjang bakul kamar "
                      "bilik rumah toko kedai"),
    **{f"{p} {top}": _ff(after=_TOP_AFTER) for p in _POSSESSIVES for top in ("top", "tops")},
}

# Words that may be glued to a prompt word ("makehernaked", "nudeher"): at least three letters each.
GLUE_WORDS: frozenset[str] = frozenset({
    "make", "her", "him", "them", "she", "his", "get", "show", "the", "and", "with", "into", "very", "full",
    "fully", "totally", "all", "put", "photo", "pic", "pics", "picture", "image", "girl", "woman", "lady", "man",
    "boy", "guy", "wife", "teen", "hot", "now", "please", "pls", "plz",
})
# Real words that split into glue and lexicon words (found by running English, French, Spanish and
# German word lists through the detector): "brasher" is not "bras her", "herausgezogen" (pulled out) is not
# "her ausgezogen".
NOT_GLUED: frozenset[str] = frozenset({"brasher", "herausgezogen"})

# Indonesian/Malay "ber-" (having, wearing): "berbogel", "berbikini" are read without it too.
DETACHABLE_PREFIXES: tuple[str, ...] = ("ber",)

# German umlauts typed as digraphs: "Unterwaesche" is read as "unterwasche" too.  Not before a vowel,
# where the digraph is French or Spanish ("nuée" is a cloud, not "nue").
UMLAUT_DIGRAPH_PATTERN = r"([aou])e(?![aeiouy])"

# Letters from other scripts that look like Latin ones, applied *before* case folding (Greek capital
# Ν is N, small ν is v) and after NFKC (which already folds fullwidth and mathematical letters) and
# accent stripping.  Derived from Unicode's confusables.txt (UTS #39, 13.0): every letter of these
# scripts, unchanged by NFKC and NFD, whose prototype is one ASCII letter or a Latin small capital,
# and every Latin small capital (named LATIN LETTER SMALL CAPITAL X, read as x, as in ɴᴜᴅᴇ); then a
# few that Unicode maps elsewhere but that are typed for Latin letters.
_CONFUSABLE_SCRIPTS = (
    # Latin (IPA, small capitals, other extensions)
    ("ıƄƍƖƦƽǀɑɡɢɣɩɪɯɴʀʋʏʙʜʟᴀᴄᴅᴇᴊᴋᴍᴏᴑᴘᴛᴜᴠᴡᴢᶃᶌẝỿꜰꜱꞘꞙꞟꞯꞲꞳꞴꬲꬵꬽꭇꭈꭎꭒꭚ",
     "ibglRslaggyiiwnruybhlacdejkmooptuvwzgyfyfsFfuqJXBeforruuy"),
    # Greek
    ("ͿΑΒΕΖΗΙΚΜΝΟΡΤΥΧαγινορστυϜϳϺᴦᴩ",
     "JABEZHlKMNOPTYXayivopotuFjMrp"),
    # Cyrillic
    ("ЅІЈАВЕКМНОРСТУХЬавгенорстухѕіјѡѴѵҮүһҽӀӏԁԌԍԛԜԝꙇ",
     "SlJABEKMHOPCTYXbabrehopctyxsijwVvYyhelidGgqWwi"),
    # Armenian
    ("ՍՏՕագզհոռսցքօ",
     "USOwqqhnnugfo"),
    # Cherokee
    ("ᎠᎡᎢᎥᎩᎪᎫᎬᎳᎷᎻᎽᏀᏂᏃᏏᏒᏔᏕᏙᏚᏞᏟᏢᏦᏧᏳᏴᏻᏼꭰꭱꭲꭵꭺꭻꭼꮁꮃꮋꮐꮓꮢꮩꮪꮮꮯꮲ",
     "DRTiYAJEWMHYGhZbRWSVSLCPKdGBgbdrtiajerwhgzrvslcp"),
    # Coptic
    ("ⲅⲎⲒⲔⲘⲚⲞⲟⲢⲣⲤⲥⲦⲨⲬⳐⳑ",
     "rHlKMNOoPpCcTYXLl"),
    # Lisu
    ("ꓐꓑꓒꓓꓔꓖꓗꓙꓚꓜꓝꓟꓠꓡꓢꓣꓦꓧꓪꓫꓬꓮꓰꓲꓳꓴ",
     "BPdDTGKJCZFMNLSRVHWXYAElOU"),
    # not ASCII in Unicode's table (к → ĸ, п → π, η → n̩ ...), typed for Latin all the same; final
    # sigma also stands for the lunate sigma ϲ, which NFKC folds to it
    ("кмпиИяЯшШκηεβχως",
     "kmnnNrRwWknebxwc"),
)
CONFUSABLES: dict[int, str] = {ord(s): t for sources, targets in _CONFUSABLE_SCRIPTS for s, t in zip(sources, targets)}

# A second reading for letters that stand for two Latin letters: Cyrillic у looks like y but is "u",
# Greek ν looks like v but is "n", capital І and Ι look like l but are "I".
CONFUSABLE_ALTERNATES: dict[int, str] = {ord(s): t for s, t in zip("уУνиІΙӀӏ", "uUnuIIIl")}

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                      "@": "a", "$": "s", "!": "i", "|": "i", "+": "t", "€": "e"})

# Letters drawn with several symbols, longest first ("|\\|ude").
LEET_SEQUENCES: tuple[tuple[str, str], ...] = (
    ("|\\/|", "m"), ("/\\/\\", "m"), ("\\/\\/", "w"), ("|\\|", "n"), ("/\\/", "n"), ("|_|", "u"), ("(_)", "u"),
    ("|-|", "h"), ("\\/", "v"), ("/\\", "a"), ("|<", "k"), ("|3", "b"), ("|)", "d"), ("()", "o"),
)
