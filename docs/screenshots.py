"""Render a screenshot of each main view of the GUI into docs/screenshots/ (offscreen, no display needed).

Runs against a throwaway SQLite store seeded with the shipped rulesets, so
the pictures show the real rules.  The simulator runs the real detectors on
a public-domain photo bundled with scikit-image (NASA's astronaut portrait)
when it is installed, and a hypothetical request otherwise.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py   (or: make screenshots)
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from jurist.gui.app import open_store  # noqa: E402
from jurist.gui.interaction import ScriptedInteraction  # noqa: E402
from jurist.gui.simulation import RequestForm  # noqa: E402
from jurist.workbench.session import Workbench  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"


def settle(app: QApplication, done=lambda: True, timeout: float = 120.0) -> None:
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


def main() -> int:
    from jurist.gui.widgets.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="jurist-shots-"))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = open_store(f"sqlite:///{work / 'jurist.db'}", None)
    window = MainWindow(Workbench(store), ScriptedInteraction())
    window.resize(1440, 900)
    window.show()
    settle(app)

    def shoot(name: str) -> None:
        settle(app)
        path = OUT / f"{name}.png"
        window.grab().save(str(path))
        print(f"wrote {path.relative_to(OUT.parent.parent)}")

    # Editor: a typo in a label, underlined, with its problem listed
    editor = window.editor
    first = next((p for p in sorted(window.document.sources) if p.startswith("gb")), editor.current_file)
    editor.open_file(first)
    text = window.document.sources[first]
    window.tabs.setCurrentWidget(editor)
    editor.editor.setPlainText(text.replace("attire:{bikini", "attire:{bikni", 1))
    settle(app, lambda: window.document.result is not None and not window.document.result.ok, 10)
    editor.editor.go_to(1)
    shoot("editor")

    editor.editor.setPlainText(text)  # undo the typo for the other views
    window.document.compile_now()

    # Simulator: the real detectors on a photo (boxes drawn), else a hypothetical request
    photo = sample_photo(work)
    form = RequestForm(action="edit", country="GB", region="GB-ENG", tier="free", surface="app", date="2026-03-01",
                       prompt="put her in a bikini on the beach", images=(photo,) if photo else (),
                       hypothetical=photo is None,
                       scores={"intent:swimwear": 0.9, "subject:real_person": 0.95, "attire:bikini": 0.7})
    window.simulator.form.set_form(form)
    window.tabs.setCurrentWidget(window.simulator)
    window.simulator.run()
    settle(app, lambda: not window.simulator.busy)
    window.simulator.details.setCurrentIndex(1 if photo else 0)
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

    # Test cases: run all against the shipped rules
    window.tabs.setCurrentWidget(window.cases)
    window.cases.run_all()
    settle(app, lambda: not window.cases.busy)
    shoot("cases")

    # Versions: a draft with one change, the side-by-side diff, then the audit log
    changed = text.replace("from 2026-02-01", "from 2026-04-01", 1)
    editor.editor.setPlainText(changed if changed != text else text + "\n# reviewed\n")
    editor.save()
    window.tabs.setCurrentWidget(window.versions)
    shoot("versions")
    window.versions.tabs.setCurrentIndex(1)
    window.versions.refresh_audit()
    shoot("audit")

    window.close()
    from jurist.gui.workers import wait_all

    wait_all(10_000)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
