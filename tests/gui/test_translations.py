"""French and English: every string of the GUI goes through Qt's tools, the French catalogue is complete and
current, and the language follows the system or the menu (issue 14)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from jurist.gui import i18n
from jurist.gui.simulation import RequestForm

from small_ruleset import SOURCES
from translation_sources import CATALOGUE, GUI, catalogue_messages, marked_messages

TOOLS = Path(sys.executable).parent
PLACEHOLDERS = re.compile(r"\{\w*\}|%n|%v|%m")


@pytest.fixture
def english():
    """Each test leaves the application in English, whatever it switched to."""
    yield
    i18n.install("en")


def test_every_marked_string_has_a_french_translation_that_keeps_its_placeholders() -> None:
    catalogue = catalogue_messages()
    marked = marked_messages()
    assert sorted(marked - set(catalogue)) == []   # `make translations` adds what the code gained
    assert sorted(set(catalogue) - marked) == []   # ... and drops what it lost
    unfinished = [key for key, forms in catalogue.items() if not all(forms)]
    assert unfinished == []
    for (context, source), forms in catalogue.items():
        for form in forms:
            assert sorted(PLACEHOLDERS.findall(form)) == sorted(PLACEHOLDERS.findall(source)), (context, source, form)


def test_pyside6_lupdate_finds_exactly_what_the_code_marks(tmp_path) -> None:
    """Strings lupdate cannot see (in an f-string, through a helper of another name) would stay English."""
    lupdate = TOOLS / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed")
    ts = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in GUI.rglob("*.py"))
    subprocess.run([str(lupdate), *files, "-no-obsolete", "-locations", "none", "-ts", str(ts)], check=True,
                   capture_output=True)
    assert set(catalogue_messages(ts)) == marked_messages()


def test_the_compiled_catalogue_is_the_committed_one_compiled(tmp_path) -> None:
    lrelease = TOOLS / "pyside6-lrelease"
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed")
    qm = tmp_path / "jurist_fr.qm"
    subprocess.run([str(lrelease), str(CATALOGUE), "-qm", str(qm)], check=True, capture_output=True)
    assert qm.read_bytes() == i18n.catalogue("fr").read_bytes(), "run `make translations` and commit the .qm"


def test_the_language_menu_switches_to_french_and_keeps_unsaved_edits(qtbot, make_window, english) -> None:
    window = make_window("erin")
    window.document.set_text("gb/uk.policy", SOURCES["gb/uk.policy"] + "# not saved yet\n")
    window.tabs.setCurrentWidget(window.simulator)
    window.language_actions["fr"].trigger()
    assert i18n.current() == "fr" and window.preferences.language == "fr"
    assert [m.title() for m in window.menus] == ["&Fichier", "&Édition", "&Affichage", "&Revue", "A&dmin", "Aid&e"]
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Simulateur"
    assert window.document.dirty and window.document.sources["gb/uk.policy"].endswith("# not saved yet\n")
    form = RequestForm(action="edit", country="GB", tier="free", surface="app", date="2026-03-01",
                       hypothetical=True, scores={"attire:bikini": 0.8, "subject:real_person": 0.9})
    window.simulator.form.set_form(form)
    with qtbot.waitSignal(window.simulator.decided, timeout=10_000):
        qtbot.mouseClick(window.simulator.run_button, Qt.MouseButton.LeftButton)
    sim = window.simulator
    assert sim.effect_label.text() == "À VÉRIFIER"
    assert sim.explanation.text().startswith("Envoyé en vérification (Royaume-Uni) car une personne réelle apparaît, "
                                             "la personne est en bikini ou en maillot de bain et l'utilisateur a "
                                             "l'offre free")
    assert "Online Safety Act 2023 s.10" in sim.explanation.text()  # citations are data: as written
    assert "swimwear edits of real people are reviewed" in sim.rules_view.toPlainText()  # so are messages
    assert sim.form.country.currentText() == "GB — Royaume-Uni"
    window.language_actions["en"].trigger()
    assert window.menus[0].title() == "&File" and window.document.dirty


def test_the_system_locale_chooses_the_language(tmp_path) -> None:
    code = "from jurist.gui import i18n; print(i18n.system_language())"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    for locale, expected in (("fr_FR.UTF-8", "fr"), ("de_DE.UTF-8", "en"), ("en_GB.UTF-8", "en")):
        env.update(LANG=locale, LANGUAGE="", LC_ALL=locale)
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert done.stdout.strip() == expected, locale


def test_make_translations_builds_the_catalogue_with_qts_tools() -> None:
    makefile = (GUI.parent / "Makefile").read_text()
    rule = makefile[makefile.index("\ntranslations:"):]
    assert "pyside6-lupdate" in rule and "pyside6-lrelease" in rule
