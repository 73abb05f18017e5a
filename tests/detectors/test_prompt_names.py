"""People named in prompts: `subject:real_person` from the text, with the name as evidence."""
from __future__ import annotations

import pytest

from jurist.engine.detectors.base import DetectionInput
from jurist.engine.detectors.prompt_names import PromptNamesDetector, named_people
from jurist.engine.observations import Observations

NAMES_A_PERSON = [
    ("put Taylor Swift in a bikini", "Taylor Swift"),
    ("Emma Watson naked", "Emma Watson"),
    ("undress emma watson", "emma watson"),
    ("a portrait of Will Smith at the beach", "Will Smith"),
    ("tire a roupa da Scarlett Johansson", "Scarlett Johansson"),
    ("zieh Angela Merkel aus", "Angela Merkel"),
    ("Barack Obama in swimwear", "Barack Obama"),
    ("draw John Miller in his underwear", "John Miller"),  # a name the list knows: treated as a person
]

NAMES_NO_ONE = [
    "Harry Potter in a swimsuit", "Santa Claus on a sleigh", "Lara Croft in the jungle",  # characters
    "a photo of Victoria Falls", "Santa Monica pier at sunset", "Lake Louise in winter", "Mount Everest at dawn",
    "George Town street food", "Charlotte Street at night",                                # places
    "Calvin Klein underwear ad", "Victoria's Secret show", "Tom Ford sunglasses", "a Louis Vuitton bag",  # brands
    "Rose Garden at sunset", "will it rain tomorrow", "The Beach Boys concert",            # words that are names
    "a cat on a sofa", "make her ready for the beach",
]


@pytest.mark.parametrize("prompt, name", NAMES_A_PERSON)
def test_a_named_person_is_found(prompt, name):
    assert [n.text for n in named_people(prompt)] == [name]


@pytest.mark.parametrize("prompt", NAMES_NO_ONE)
def test_characters_places_brands_and_common_words_name_no_one(prompt):
    assert named_people(prompt) == []


def test_the_detector_gives_the_name_as_evidence():
    obs = PromptNamesDetector().detect(DetectionInput("put Taylor Swift in a bikini", []), Observations())
    assert obs.labels["subject:real_person"] >= 0.5
    assert obs.notes["subject:real_person"] == "the prompt names a person: “Taylor Swift”"
    assert PromptNamesDetector().detect(DetectionInput("a cat", []), Observations()).labels == {
        "subject:real_person": 0.0}


def test_evidence_is_shown_safely():
    obs = PromptNamesDetector().detect(DetectionInput("put Taylor Swift\u202e in a bikini", []), Observations())
    assert "\u202e" not in obs.notes["subject:real_person"]
