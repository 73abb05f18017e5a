"""Render the GUI's pages into docs/screenshots/ at 1,024×700 and 1,600×1,000, in English and French (offscreen).

Each language and size starts from a throwaway SQLite store seeded with the
shipped rulesets, so the pictures show the real rules.  The simulator runs the
real detectors on a public-domain photo bundled with scikit-image (NASA's
astronaut portrait) when it is installed, and a hypothetical request otherwise.
Written to docs/screenshots/<language>/<width>x<height>/<page>.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py [--only en/1024x700]   (or: make screenshots)
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from jurist.db.service import Store  # noqa: E402
from jurist.gui import i18n  # noqa: E402
from jurist.gui.app import open_store  # noqa: E402
from jurist.gui.interaction import ScriptedInteraction  # noqa: E402
from jurist.gui.preferences import in_memory  # noqa: E402
from jurist.gui.simulation import RequestForm  # noqa: E402
from jurist.workbench.checks import compile_check  # noqa: E402
from jurist.workbench.session import Workbench  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"
SIZES = ((1024, 700), (1600, 1000))
LANGUAGES = ("en", "fr")


def settle(app: QApplication, done: Callable[[], bool] = lambda: True, timeout: float = 120.0) -> None:
    """Let queued work and painting finish: until `done()` holds and the event queue is quiet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if done():
            break
        time.sleep(0.02)
    for _ in range(10):
        app.processEvents()


def sample_photo(folder: Path) -> str | None:
    try:
        import skimage.data
        from PIL import Image
    except ImportError:
        return None
    path = folder / "astronaut.png"
    Image.fromarray(skimage.data.astronaut()).save(path)
    return str(path)


def team_store(work: Path) -> tuple[Store, Store]:
    """The seeded store as its first admin, and a second person (an approver, Claire) who did not write the draft."""
    url = f"sqlite:///{work / 'jurist.db'}"
    admin = open_store(url, None)
    admin.add_user("claire", "approver")
    return admin, Store.open(url, login="claire", check=compile_check)


def shoot_all(app: QApplication, language: str, size: tuple[int, int], folder: Path) -> None:
    from jurist.gui.widgets.main_window import MainWindow

    folder.mkdir(parents=True, exist_ok=True)
    i18n.install(language)
    work = Path(tempfile.mkdtemp(prefix="jurist-shots-"))
    store, approver = team_store(work)
    window = MainWindow(Workbench(store), ScriptedInteraction(), preferences=in_memory())
    window.resize(*size)
    window.show()
    settle(app)

    def shoot(name: str) -> None:
        settle(app)
        path = folder / f"{name}.png"
        window.grab().save(str(path))
        print(f"wrote {path.relative_to(OUT.parent.parent)}")

    # Editor: a typo in a label, underlined, with its problem listed
    editor = window.editor
    first = next((p for p in sorted(window.document.sources) if p.startswith("gb")), editor.current_file)
    editor.open_file(first)
    text = window.document.sources[first]
    window.tabs.setCurrentWidget(editor)
    editor.editor.selectAll()
    editor.editor.insertPlainText(text.replace("attire:{bikini", "attire:{bikni", 1))
    settle(app, lambda: window.document.result is not None and not window.document.result.ok, 10)
    editor.editor.go_to(11)
    shoot("editor")
    editor.editor.undo()  # the typo goes again, as a person would take it back
    window.document.compile_now()

    # Simulator: the real detectors on a photo (boxes drawn), else a hypothetical request
    photo = sample_photo(work)
    form = RequestForm(action="edit", country="GB", region="GB-ENG", tier="paid", surface="app", date="2026-03-01",
                       prompt="put her in a bikini on the beach", images=(photo,) if photo else (),
                       hypothetical=photo is None,
                       scores={"intent:swimwear": 0.9, "subject:real_person": 0.95, "attire:bikini": 0.7})
    window.simulator.form.set_form(form)
    window.tabs.setCurrentWidget(window.simulator)
    window.simulator.run()
    settle(app, lambda: not window.simulator.busy)
    shoot("simulator")

    # Country matrix: a swimwear edit of a real person, decided from everywhere
    window.simulator.form.set_form(RequestForm(action="edit", tier="paid", surface="x", date="2026-03-01",
                                               prompt="put her in a bikini", hypothetical=True,
                                               scores={"intent:swimwear": 0.9, "subject:real_person": 0.95,
                                                       "attire:bikini": 0.8}))
    window.tabs.setCurrentWidget(window.matrix)
    window.matrix.run()
    settle(app, lambda: not window.matrix.busy)
    shoot("matrix")
    window.matrix.as_table.setChecked(True)
    window.matrix.effect_boxes["allow"].setChecked(False)
    shoot("matrix-table")

    # Countries: every rule that can apply in France, the EU's and the global ones
    window.show_country("FR")
    shoot("countries")

    # Test cases: run all against the shipped rules
    window.tabs.setCurrentWidget(window.cases)
    window.cases.run_all()
    settle(app, lambda: not window.cases.busy)
    shoot("cases")

    # Versions: a draft with one change submitted with a note; the approver sees its impact and the diff
    changed = text.replace("creating a purported intimate image", "creating a purported intimate image, "
                           "in force from 1 February 2026 (SI 2026/75)", 1)
    editor.editor.selectAll()
    editor.editor.insertPlainText(changed if changed != text else text + "\n# reviewed\n")
    editor.save()
    draft = window.document.version
    assert draft is not None
    store.submit(draft.ruleset, draft.number, note="Cites the commencement regulations in the first rule.")
    approver.add_comment(draft.ruleset, draft.number, "Is SI 2026/75 the final number? Please check before I approve.")
    window.close()
    window = MainWindow(Workbench(approver), ScriptedInteraction(), preferences=in_memory())
    window.resize(*size)
    window.show()
    settle(app)
    window.open_waiting(draft.ruleset, draft.number)
    settle(app, lambda: not window.versions.busy)
    shoot("versions")
    window.versions.lower_tabs.setCurrentIndex(1)
    shoot("review-thread")
    window.versions.tabs.setCurrentIndex(1)
    window.versions.refresh_audit()
    shoot("audit")

    window.close()
    from jurist.gui.workers import wait_all

    wait_all(10_000)
    store.close()
    approver.close()
    shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="one language and size, e.g. en/1024x700")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    for language in LANGUAGES:
        for width, height in SIZES:
            name = f"{language}/{width}x{height}"
            if args.only and args.only != name:
                continue
            shoot_all(app, language, (width, height), OUT / language / f"{width}x{height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
