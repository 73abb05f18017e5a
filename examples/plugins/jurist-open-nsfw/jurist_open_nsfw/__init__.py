"""A worked example of a Jurist detector plug-in: Yahoo's Open-NSFW as a second opinion on nudity.

NudeNet (the shipped `nudenet` detector) finds body parts and sometimes sees
one where there is none: scikit-image's colour wheel is "BUTTOCKS_EXPOSED"
at 0.83.  Open-NSFW scores a whole image for pornographic content (0.004 on
the colour wheel, 0.03 on the astronaut), so a rule that asks both
detectors to agree clears such a false positive:

    deny subject:real_person nudity:exposed nsfw:explicit >= 0.2

This module is imported whenever Jurist's vocabulary is (every command), so
it only declares the plug-in; the model is loaded by `detector.py` on the
first `detect`.
"""
from __future__ import annotations

from jurist.dsl.schema import DetectorSpec, LabelSpec
from jurist.engine.plugins import DetectorPlugin


def _build():  # the factory: imported only when the engine builds its detectors
    from jurist_open_nsfw.detector import OpenNsfwDetector

    return OpenNsfwDetector()


PLUGIN = DetectorPlugin(
    spec=DetectorSpec("open_nsfw", 35.0, "images",
                      "Yahoo's Open-NSFW classifier (ONNX), one score per image: a second opinion on nudity"),
    labels=(LabelSpec("nsfw", "explicit", "open_nsfw",
                      "Open-NSFW's probability that an image is pornographic (Yahoo: < 0.2 safe, > 0.8 not)"),),
    factory=_build,
)
