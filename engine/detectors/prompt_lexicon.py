"""The multilingual lexicon behind `intent:*` labels: data, no logic.

Words are written folded (lower case, accents stripped, `ß` -> `ss`), as
`prompt_intent` folds prompts.  A word ending in `*` matches any token it
starts; a word with spaces is a phrase of consecutive tokens (its joined form,
`seethrough` for `see through`, is matched too).  Languages: English, French,
Spanish, German, Indonesian, Malay (Indonesian and Malay share many words),
Portuguese, Italian, Turkish, Polish and Dutch; Japanese, Korean, Arabic,
Hindi and Russian are in `SCRIPT_TERMS` (matched inside the folded text, since
Japanese has no spaces between words), and so are emoji.  `COVERED_LANGUAGES`
lists them all: a prompt in another language makes the intents it did not
flag unknown (`prompt_language`).

`TERMS` fire on their own.  `COMBINATIONS` fire when one token of each named
concept appears within `window` tokens of each other in one clause (in the
given order when `ordered`): "remove ... clothes", "sans ... vêtements".
`FILLERS` ("please", "bitte", "ganz") are dropped before windows are counted,
so "zieh sie bitte ganz aus" is as close as "zieh sie aus".  Senses are kept
apart by `FALSE_FRIENDS` (a neighbouring word: "nude lipstick", "Bikini
Atoll") and by a combination's `unless` concepts (anywhere in its clause:
"strip off the old paint", "uncensored history of WW2").

`intent:minor` (the prompt describes or asks for a child) comes from the
`child` concept ("child", "12 year old" is in `AGE_PATTERNS`) and from a stated
age under `ADULT_AGE`.  It is not `subject:minor`: a text says nothing of who
is in an uploaded photo, so rules pair it with what is asked (`intent:*`) or
with what the image shows.  "Girl" and "boy" alone are not flagged (they are
said of adults); "little girl", "schoolgirl", "girl of 12" are.
"""
from __future__ import annotations

from dataclasses import dataclass

LEXICON_VERSION = 4


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
M = "intent:minor"

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
        "roupa", "roupas", "biquini*", "calcinha*", "sutia*", "saia*", "cueca*",
        "vestiti", "vestito", "abiti", "camicia", "camicie", "gonna", "reggiseno", "mutande",
        "kiyafet*", "elbise*", "giysi*", "ic camasir*", "sutyen*",
        "ubrani*", "ubranie", "odziez*", "sukienk*", "bielizn*", "stanik*",
        "kleren", "kleding*", "jurk*", "ondergoed",
    ),
    "remove": (
        "remove*", "strip", "strips", "stripped", "stripping", "delete", "erase*", "get rid",
        "enleve*", "enlever", "retire", "retirez", "retirer", "retirant", "ote", "otez", "oter", "otes",
        "quita*", "quitale*", "saca*", "retira*", "elimina*", "borra*",
        "entfern*",
        "lepas*", "copot*", "hapus*", "singkirkan", "tanggalkan", "lucut*",
        "tire", "tira", "tirar", "tirando", "tirem", "remova", "remover", "arranque", "arranca",
        "togli*", "levale", "levagli", "rimuovi",
        "cikar", "cikart*", "cikarin",
        "zdejmij", "zdjac", "sciagnij", "sciagnac", "zdejmijcie",
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
    "without": ("without", "sans", "sin", "ohne", "tanpa", "no", "tidak", "tak", "tiada", "sem", "senza", "bez",
                "zonder", "olmadan"),
    # Dutch separable "trek ... uit", "doe ... uit" (take off), "kleed ... uit" (undress)
    "pull_nl": ("trek", "trekt", "doe", "kleed"),
    "person_nl": ("haar", "hem", "ze", "zij", "hen"),
    "out_nl": ("uit",),
    "wearing": ("wearing", "wears", "wear", "with"),
    "nothing": ("nothing",),
    "disappear": ("disappear*", "vanish*", "gone"),
    "ready": ("ready",),
    "beach": ("beach", "pool", "poolside", "sunbathing", "sunbathe"),
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
    # a child, in words (ages written in digits are `AGE_PATTERNS`); "girl", "boy" alone are said of adults too
    "child": (
        "child", "children", "childs", "kid", "kids", "kiddie*", "kiddo", "kiddos", "toddler*", "infant", "infants",
        "newborn*", "preschool*", "preteen*", "pre teen", "pre teens", "tween", "tweens", "teen", "teens",
        "teenage*", "teenie", "teenies", "schoolgirl*", "schoolboy*", "school girl", "school girls", "school boy",
        "school boys", "little girl", "little girls", "little boy", "little boys", "young girl", "young girls",
        "young boy", "young boys", "underage*", "under age", "minor", "minors", "loli", "lolis", "lolita*",
        "shota*", "pubescent", "prepubescent", "jailbait",
        "enfant*", "fillette*", "petite fille", "petites filles", "petit garcon", "petits garcons", "gamin",
        "gamine", "gamins", "gamines", "ado", "ados", "adolescent*", "ecolier*", "collegien*", "mineure",
        "mineures",
        "nino", "ninos", "ninas", "una nina", "la nina", "esta nina", "ninita*", "ninito*", "menor de edad",
        "menores de edad", "chiquilla*", "chiquillo*", "colegiala*", "infantil",
        "kinder", "kindern", "kindes", "kleinkind*", "minderjahrig*", "jugendlich*", "schulmadchen*",
        "kleines madchen", "kleine madchen", "kleinen madchen", "kleiner junge", "kleinen jungen",
        "anak kecil", "anak anak", "kanak kanak", "budak kecil", "bocah*", "balita", "bawah umur", "remaja",
        "anak sekolah",
        "crianca*", "menininha*", "menininho*", "garotinha*", "garotinho*", "menor de idade", "menores de idade",
        "bambin*", "ragazzina*", "ragazzino*", "minorenne*", "bimba", "bimbe",
        "cocuk*", "cocug*", "kucuk kiz*",
        "dziecko", "dziecka", "dzieci*", "dziewczynk*", "chlopczyk*", "chlopiec", "nieletni*", "nastolat*",
        "kinderen", "kindje*", "klein meisje", "kleine meisjes", "kleine jongen", "kleine jongens", "peuter*",
        "tiener*", "minderjarig*",
    ),
    # idioms with a child word that speak of no child: anywhere in the clause, they undo `child`
    "child_idiom": ("kid gloves", "kid glove", "child s play", "childs play", "kid leather"),
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
        "nekkid", "nekked", "nakkid", "nakey", "nakie", "nakies",
        "nua", "nuas", "pelada", "peladas", "pelado", "despida*", "despir*", "despe a", "despe ela",
        "nuda", "nudi", "spoglia", "spogliala", "spoglialo", "spogliarla", "spogliata", "svestila", "svestita",
        "svestirla", "ciplak*",
        "naga", "nagie", "nago", "rozbierz*", "rozebran*", "rozbiera*",
        "naakt*", "uitkleden", "ontkleed*", "ontkleden",
        "nothing but a smile", "au naturel", "au naturale",
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
        "biquini*", "roupa intima", "roupa de banho", "traje de banho", "calcinha*", "sutia*", "maio de banho",
        "costume da bagno", "costumi da bagno", "biancheria intima", "reggiseno", "mutandine", "perizoma",
        "mayo", "mayolu", "ic camasir*", "sutyen*", "kulot",
        "bielizn*", "stroj kapielowy", "kostium kapielowy", "majtki", "majteczki", "stanik*", "stringi",
        "badpak*", "ondergoed", "onderbroek*", "zwembroek*", "zwemkleding",
    )),
    # intent:sexualize -- asks for sexual or erotic content
    Term(S, 0.95, (
        "porn*", "pron", "xxx", "hentai", "sex", "sexo", "sexe", "seks", "having sex", "make love", "making love",
        "orgasm*", "masturbat*", "onlyfans", "bdsm", "blowjob*", "faire l amour", "hacer el amor",
        "bokep", "ngentot", "lucah*", "pornographi*", "pornografi*", "sesso",
    )),
    Term(S, 0.9, (
        "erotic*", "erotique*", "erotisch*", "erotik*", "erotis*", "nsfw", "lewd*", "fetish*", "tits", "titties",
        "nichons", "tetas", "titten", "toket*", "mesum*", "sange", "cabul*", "cachond*", "spread legs",
    )),
    Term(S, 0.8, (
        "sexy", "sexier", "sexiest", "seksi", "boobs", "busty", "lascive*", "lujurios*", "geil", "geile*",
        "lustern*", "berahi*", "bercinta", "boobies", "gostosa*", "seksown*", "erotycz*",
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
    Combination(U, 0.85, ("pull_nl", "clothing", "out_nl"), window=5, ordered=True),  # "trek haar kleren uit"
    Combination(U, 0.85, ("pull_nl", "person_nl", "out_nl"), window=3, ordered=True),  # "kleed haar uit"
    Combination(U, 0.85, ("wearing", "nothing"), window=1, ordered=True),  # "wearing nothing", "with nothing on"
    Combination(U, 0.85, ("clothing", "disappear"), window=3),             # "make her outfit disappear"
    Combination(W, 0.7, ("person", "ready", "beach"), window=5, ordered=True),  # "make her ready for the beach"
    Combination(M, 0.9, ("child",), window=0, unless=("child_idiom",)),  # "a child", not "child's play"
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
    "agora", "subito", "adesso", "hemen", "tamamen", "natychmiast", "calkiem", "helemaal", "graag",
})

# A word next to one of these means something else.
_TREES_ES = ("arbol* rama* bosque* paisaje* pared* muro* tierra suelo monte* montana* colina* roca* cable* "
             "hueso* invierno")
_BARE_FR = "branche* colline* terre mur murs paroi* arbre* roche* piece pieces tete tetes main mains epee lame"
_TOP_AFTER = ("hat hats lip lips teeth tooth row half layer floor shelf drawer knot bun note notes score speed "
              "priority spot choice pick picks ten five three")
FALSE_FRIENDS: dict[str, FalseFriend] = {
    "nude": _ff(before="pasta robe robes vestido vestidos falda faldas blusa color colour couleur tono tonos cor "
                "colore tinta tons ton",
                after="lipstick lip lips color colour colored coloured tone tones shade shades "
                "heels pumps shoes palette makeup nails nail beige stockings cake cakes pasta"),
    "naked": _ff(after="eye eyes flame wire truth bulb bulbs cake cakes juice ambition aggression mole moles"),
    "nuda": _ff(after="verita roccia terra"),       # Italian "la nuda verità": the naked truth
    "naga": _ff(before="king raja nag"),             # the serpent of South Asian myth
    "mayo": _ff(before="de del en cinco"),           # Spanish "de mayo": the month
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
    # "minor changes", "a minor key": the adjective; "much ado", "without further ado"
    "minor": _ff(after="change changes edit edits detail details tweak tweaks adjustment* fix fixes issue issues key "
                 "keys chord chords scale scales league leagues role roles character characters injury injuries "
                 "problem problems flaw flaws correction* touch touches touchup* update updates improvement* "
                 "modification* retouch* difference* variation* blemish* imperfection* cut cuts crop thing things "
                 "planet* detail* element* part parts"),
    "ado": _ff(before="much further more any"),
    "kinder": _ff(after="surprise bueno joy egg eggs chocolate schokolade garten"),
    "lolita*": _ff(after="fashion style dress dresses"),
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


# intent:minor from a stated age: "a 12 year old", "12yo", "girl of 12", "une fille de 12 ans", "12歳".
# Patterns run over the plain folded prompt with every run of non-word characters made one space
# ("12-year-old" -> "12 year old", "y/o" -> "y o"); `{N}` is an age in digits (any script) or an
# English number word of `NUMBER_WORDS`, in years (`AGE_PATTERNS`) or months (`AGE_IN_MONTHS_PATTERNS`).
ADULT_AGE = 18
AGE_WEIGHT = 0.9
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
}
AGE_PATTERNS: tuple[str, ...] = (
    r"{N} ?(?:years?|yrs?|y) ?(?:old|o)\b",                 # 12 year old, 12-year-old, 12yo, 12 y/o
    r"{N} ?(?:years?|yrs?) of age\b",
    r"\b(?:aged?|ages) {N}\b",                               # aged 12, age 12
    r"\b(?:girls?|boys?|child|children|kids?|daughters?|sons?) (?:of )?{N}\b",   # girl of 12, "girl (12)"
    r"(?<!y a ){N} ?ans\b",                                 # fr "de 12 ans", not "il y a 12 ans" (ago)
    r"(?<!hace )(?<!ha )(?<!faz ){N} ?anos\b(?! atras)",     # es, pt, not "hace 12 años" (ago)
    r"{N} ?anni\b(?! fa\b)",                                 # it, not "12 anni fa" (ago)
    r"{N} ?(?:jahre alt|jahrig\w*)",                         # de "12 Jahre alt", "12-jährige"
    r"\b(?:berusia|berumur|umur|usia) {N}\b",               # id, ms
    r"{N} ?yas\w*",                                          # tr "12 yaşında"
    r"{N} ?(?:lat\b(?! temu)|latk\w*|letni\w*)",           # pl "12 lat", "12-letnia", not "12 lat temu" (ago)
    r"{N} ?(?:jaar oud|jarig\w*)",                           # nl "12 jaar oud", "12-jarig"
    r"{N} ?(?:歳|才)",                                        # ja
    r"{N} ?(?:살|세)",                                        # ko
    r"{N} ?(?:лет|года?)\b(?! назад)", r"{N} ?летн\w*",     # ru, not "12 лет назад" (ago)
    r"(?<!منذ ){N} ?(?:سنة|سنوات|عاما|عام)",                # ar, not "منذ 12 سنة" (ago)
    r"{N} ?साल(?! पहल)",                                     # hi, not "12 साल पहले" (ago; folded without its mark)
)
AGE_IN_MONTHS_PATTERNS: tuple[str, ...] = (
    r"{N} ?(?:months?|mos?) ?old\b",                         # a baby: "6 month old", "18-month-old"
)
# The age of a thing, not of a person: "a 12 year old whisky", "a 10 year old photo of her".
AGE_NOT_BEFORE: frozenset[str] = frozenset("""
whisky whiskey scotch bourbon rum wine wines cognac brandy port cheese tree trees oak car cars house houses
building buildings company brand business account photo photos picture pictures pic pics image images video
videos dog dogs cat cats horse horses puppy laptop phone book books game song movie film marriage tradition
recipe painting paintings vin fromage arbre voiture maison vino queso coche casa wein kase baum auto haus
""".split())


@dataclass(frozen=True, slots=True)
class ScriptTerm:
    """Words matched *inside* the folded prompt (no word boundaries): scripts written without spaces, emoji.

    `with_words`, when given: one of them must also be in the same clause ("🍆" and "💦").
    Words are folded by the detector as prompts are (NFKC, case, marks dropped), so they
    are written here as a person types them.
    """

    intent: str
    weight: float
    words: tuple[str, ...]
    with_words: tuple[str, ...] = ()


SCRIPT_TERMS: tuple[ScriptTerm, ...] = (
    # Japanese
    ScriptTerm(U, 0.9, ("裸", "全裸", "ヌード", "脱がせ", "脱がし", "脱いで", "服を脱", "裸体", "すっぽんぽん", "透けて")),
    ScriptTerm(S, 0.95, ("ポルノ", "エロ", "セックス", "性行為", "アダルト動画", "エッチ")),
    ScriptTerm(S, 0.8, ("セクシー", "色っぽ", "官能")),
    ScriptTerm(W, 0.8, ("ビキニ", "水着", "下着", "ランジェリー", "ブラジャー", "パンティ", "ショーツ")),
    # Korean
    ScriptTerm(U, 0.9, ("알몸", "나체", "누드", "벗겨", "벗기", "옷을 벗", "옷 벗", "벌거벗", "발가벗")),
    ScriptTerm(S, 0.95, ("포르노", "야동", "섹스", "성관계", "음란")),
    ScriptTerm(S, 0.8, ("섹시", "야한")),
    ScriptTerm(W, 0.8, ("비키니", "수영복", "속옷", "란제리", "브래지어", "팬티")),
    # Arabic
    ScriptTerm(U, 0.9, ("عارية", "عاري", "عراة", "عريان", "تعري", "اخلع ملابس", "اخلعي ملابس", "انزع ملابس",
                        "انزعي ملابس", "بدون ملابس", "بلا ملابس", "بدون هدوم")),
    ScriptTerm(S, 0.95, ("إباحي", "اباحي", "سكس", "نيك")),
    ScriptTerm(S, 0.8, ("مثيرة", "مثير جنسيا", "سكسي")),
    ScriptTerm(S, 0.7, ("جنسي",)),
    ScriptTerm(W, 0.8, ("بيكيني", "مايوه", "ملابس السباحة", "ملابس داخلية", "لانجري", "حمالة صدر", "ملابس النوم")),
    # Hindi
    ScriptTerm(U, 0.9, ("नंगा", "नंगी", "नंगे", "नग्न", "निर्वस्त्र", "कपड़े उतार", "कपडे उतार", "बिना कपड़", "बिना कपड")),
    ScriptTerm(S, 0.95, ("पोर्न", "अश्लील", "सेक्स", "कामुक")),
    ScriptTerm(S, 0.8, ("सेक्सी", "हॉट")),
    ScriptTerm(W, 0.8, ("बिकिनी", "स्विमसूट", "अंडरवियर", "लॉन्जरी", "अधोवस्त्र", "चड्डी")),
    # Russian
    ScriptTerm(U, 0.9, ("голая", "голую", "голой", "голые", "голый", "голого", "голышом", "нагая", "нагую", "нагишом",
                        "обнажен", "обнажён", "раздень", "раздеть", "раздев", "без одежды", "сними одежду",
                        "снимите одежду", "сними с неё", "сними с нее", "топлес")),
    ScriptTerm(S, 0.95, ("порно", "секс", "эротич")),
    ScriptTerm(S, 0.8, ("сексуальн", "секси", "соблазнительн")),
    ScriptTerm(W, 0.8, ("бикини", "купальник", "нижнее бель", "нижнем бель", "трусики", "трусы", "лифчик",
                        "бюстгальтер", "стринги")),
    # a child (intent:minor), in the scripts the lexicon covers
    ScriptTerm(M, 0.9, ("子供", "子ども", "こども", "少女", "幼女", "幼児", "児童", "小学生", "中学生", "ロリ",
                        "어린이", "아동", "소녀", "초등학생", "중학생", "미성년",
                        "طفل", "طفلة", "أطفال", "اطفال", "قاصر", "قاصرات",
                        "बच्चा", "बच्ची", "बच्चे", "नाबालिग",
                        "ребён", "ребен", "детей", "дети", "девочк", "мальчик", "школьниц", "школьник",
                        "несовершеннолет", "подрост")),
    # Emoji: a bikini, a one-piece swimsuit, briefs; "no one under eighteen"; the aubergine with droplets
    ScriptTerm(W, 0.8, ("👙", "🩱", "🩲")),
    ScriptTerm(S, 0.9, ("🔞",)),
    ScriptTerm(S, 0.8, ("🍆",), with_words=("💦", "🍑", "👅")),
)

# Longer words that hold a script word in another sense: an occurrence inside one of them does not count.
SCRIPT_FALSE_FRIENDS: tuple[str, ...] = (
    "裸眼", "裸足", "裸子植物", "裸電球", "赤裸々", "裸一貫", "裸の王様",           # naked eye, barefoot, ...
    "껍질을 벗", "껍질 벗", "껍질을 벗기", "누드톤",                                 # peel the skin, nude tone
    "голые стены", "голые ветки", "голая правда", "голые факты", "голыми руками", "голой земле",
    "голые деревья", "раздевалк", "обнажил меч", "обнажённый провод", "обнаженный провод",
    "секстант", "секстет", "трусость",                                                # sextant, cowardice
    "カロリ", "フロリダ",                                                             # calorie, Florida
    "جنسية", "الجنسية", "جنسيات",                                                       # nationality
)

# Languages the lexicon covers, by ISO 639-1 code, with their names for messages.
COVERED_LANGUAGES: dict[str, str] = {
    "en": "English", "fr": "French", "es": "Spanish", "de": "German", "id": "Indonesian", "ms": "Malay",
    "pt": "Portuguese", "it": "Italian", "tr": "Turkish", "pl": "Polish", "nl": "Dutch",
    "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "hi": "Hindi", "ru": "Russian",
}

# The most common words of the covered languages written in Latin letters, folded: a prompt made of
# such words is in a covered language whatever a language model makes of its few words.
COMMON_WORDS: frozenset[str] = frozenset("""
the an and of in on to with for her his him she he my your this that these those is are was be it its at by from
make put show me us we you they them their our what who how when where which there here into onto out up down
over under between behind near next before after without about like as or not no very more most some any all
new old big small little large young same other only just also than then so too can could will would should
photo picture image portrait painting drawing style art scene view background front side top bottom left right
woman man girl boy lady person people child friend wife husband mother father
day night morning evening sun moon sky sea water beach city street house room bed table wall window door tree
red blue green black white yellow pink golden dark light bright wearing dressed holding standing sitting
le la les un une des du et en avec pour sur dans elle il ses son sa mets fais sans sous chez tres plus mon ma
el los las una del con para por su sus ella pon haz muy mas mi tu esta este al
der die das ein eine und mit auf fur sie ihr ihn ist zu im am von bild mach ohne den dem des sehr nicht
dan yang di ke dari dengan untuk dia ini itu gambar pakai buat jadi tanpa dalam atas pada
os um uma da do em com ela ele dela dele seu sua coloque faca na no nas nos muito sem
il lo gli di della lei lui suo sua metti fai nel nella con sul sulla molto senza
ve bir bu ile icin onu ona gibi fotograf resim cok daha
jest jej jego ona zdjecie zrob sie nie jak przez bez przy
het een van met voor op haar hem zij hij zet maak niet ook zonder
""".split())

# Every letter the covered languages write in Latin script: a prompt with others ("ở", "ř", "ő", "å") is in
# another language, however few its words.
COVERED_LATIN_LETTERS: frozenset[str] = frozenset(
    "abcdefghijklmnopqrstuvwxyz"
    "àâäçéèêëîïôœùûüÿ" "áíñóú" "ß" "ãõ" "ìò" "ğış" "ąćęłńśźż" "ĳ")
