"""The GUI's languages: Qt's translators for its own words, and place names in the chosen language.

Widgets translate with `self.tr(...)`; modules without a widget (the
simulator's words, the explanation, the reasons a step is refused) call this
module's `translate("Context", "text")`, which `pyside6-lupdate` recognises as
it does `QCoreApplication.translate`.  Catalogues live in `translations/`:
`jurist_fr.ts` is the source (`make translations` refreshes it from the code
and compiles it), `jurist_fr.qm` what the application loads.  Rule messages,
citations and store errors are data, not the GUI's words: they stay as written.
Place names come from the ISO catalogues that ship with pycountry.
"""
from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from jurist.dsl.places import countries, name_of, subdivisions

LANGUAGES = {"en": "English", "fr": "Français"}
SOURCE_LANGUAGE = "en"  # the language the code is written in: it needs no catalogue
TRANSLATIONS = Path(__file__).with_name("translations")

_state: dict[str, object] = {"language": SOURCE_LANGUAGE, "translators": []}


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`text` in the current language (Qt's catalogue for `context`), as written when there is none."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(context, text, disambiguation, n)


def catalogue(language: str) -> Path:
    return TRANSLATIONS / f"jurist_{language}.qm"


def system_language() -> str:
    """The system locale's language when the GUI speaks it, else English."""
    from PySide6.QtCore import QLocale

    code = QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def current() -> str:
    return str(_state["language"])


def install(language: str) -> str:
    """Make `language` the application's: the GUI's catalogue and Qt's own (its dialogs' buttons).

    Returns the language installed; an unknown one, or one whose catalogue is
    missing, falls back to English rather than showing half a translation.
    """
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("languages are installed once the QApplication exists")
    for old in list(_state["translators"]):  # type: ignore[call-overload]
        app.removeTranslator(old)
    loaded: list[QTranslator] = []
    if language != SOURCE_LANGUAGE and language in LANGUAGES and catalogue(language).exists():
        ours = QTranslator(app)
        if ours.load(str(catalogue(language))):
            loaded.append(ours)
            qt = QTranslator(app)
            if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                loaded.append(qt)
    for translator in loaded:
        app.installTranslator(translator)
    _state["translators"] = loaded
    _state["language"] = language if loaded else SOURCE_LANGUAGE
    return current()


@lru_cache(maxsize=8)
def _place_catalogue(language: str, domain: str) -> gettext.NullTranslations:
    import pycountry

    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def place_name(code: str) -> str:
    """A country's or region's name in the current language (`GB` → `Royaume-Uni` in French); the code itself
    when it names no place."""
    english = name_of(code)
    if english is None:
        return code
    if current() == SOURCE_LANGUAGE:
        return english
    domain = "iso3166-1" if code in countries() else "iso3166-2"
    if domain == "iso3166-2" and code not in subdivisions():
        return english
    return _place_catalogue(current(), domain).gettext(english)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Mark `text` for the catalogue of `context` without translating it yet (a table's header, a word list):
    `translate(context, text)` says it in the current language when it is shown."""
    return text
