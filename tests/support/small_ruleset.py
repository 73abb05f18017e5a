"""A small ruleset and its cases shared by the GUI and workbench tests, so expected decisions are pinned here alone
(a plain module: importing it by name cannot pick up another folder's conftest)."""
from __future__ import annotations

BASE = """# rules for every country
default allow
set EU = {AT, BE, DE, FR, IE, IT, NL, ES}
rule minors_nudity: deny person(subject:minor nudity:exposed)
  cite "UN CRC Art. 34" message "sexual images of minors are refused everywhere"
rule undress_real: deny intent:undress subject:real_person
  cite "Policy 1.2" message "no undressing of real people"
"""
GB = """jurisdiction GB
rule gb_swimwear_real: review attire:bikini >= 0.6 subject:real_person where user.tier = free
  cite "Online Safety Act 2023 s.10" message "swimwear edits of real people are reviewed"
"""
EU = """jurisdiction EU
rule eu_deepfake: deny intent:sexualize subject:real_person
  cite "AI Act Art. 50" message "sexual deepfakes are refused" message de "Sexuelle Deepfakes werden abgelehnt" message es "Se rechazan los deepfakes sexuales" message fr "Les deepfakes sexuels sont refusés" message ga "Diúltaítear do dhomhainbhréaga gnéasacha" message it "I deepfake sessuali sono rifiutati" message nl "Seksuele deepfakes worden geweigerd"
"""
US_CA = """jurisdiction US-CA
rule ca_deepfake: deny intent:sexualize subject:real_person
  cite "Cal. Civ. Code 1708.86" message "sexual deepfakes are refused in California"
"""
SOURCES = {"global/base.policy": BASE, "gb/uk.policy": GB, "eu/eu.policy": EU, "us/ca.policy": US_CA}
CASES = [
    {"name": "gb free swimwear is reviewed",
     "request": {"action": "edit", "country": "GB", "user": {"tier": "free"}, "surface": "app", "date": "2026-03-01",
                 "observations": {"labels": {}, "persons": [{"labels": {"subject:real_person": 0.9,
                                                                        "attire:bikini": 0.8}}]}},
     "expect": {"effect": "review", "rules": ["gb_swimwear_real"]}},
    {"name": "fr sexual deepfake is denied",
     "request": {"action": "edit", "country": "FR", "user": {"tier": "paid"}, "surface": "app", "date": "2026-03-01",
                 "observations": {"labels": {"intent:sexualize": 0.9},
                                  "persons": [{"labels": {"subject:real_person": 0.9}}]}},
     "expect": {"effect": "deny", "rules": ["eu_deepfake"]}},
]

