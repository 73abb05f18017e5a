"""Running long work off the UI thread, with progress and cancel.

A `Task` runs a plain function on the global QThreadPool; the function gets a
`Progress` whose reports arrive on the UI thread as `progressed` signals.
Results and errors come back as `finished` / `failed` signals: the UI thread
never waits, and an exception becomes a message, never a traceback.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from jurist.workbench.progress import Cancelled, Progress


class TaskSignals(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


class Task(QRunnable):
    """One background job; keep a reference until it finishes (its signals live on this object)."""

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self.progress = Progress(self.signals.progressed.emit)
        self._work = work
        self.done = False

    def cancel(self) -> None:
        self.progress.cancel()

    def run(self) -> None:  # on a pool thread
        try:
            result = self._work(self.progress)
        except Cancelled:
            self.done = True
            self.signals.cancelled.emit()
            return
        except Exception as exc:  # noqa: BLE001 - every failure becomes a readable message
            self.done = True
            self.signals.failed.emit(readable(exc))
            return
        self.done = True
        self.signals.finished.emit(result)


def readable(exc: BaseException) -> str:
    """One line for a person: the error's own message, its type only when it has none."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


_running: set[Task] = set()


def start(work: Callable[[Progress], Any], *, on_done: Callable[[Any], None],
          on_error: Callable[[str], None], on_progress: Callable[[int, int], None] | None = None,
          on_cancel: Callable[[], None] | None = None) -> Task:
    """Run `work(progress)` in the pool; call from the UI thread, whose event loop then runs the callbacks."""
    task = Task(work)
    _running.add(task)

    def forget(*_: Any) -> None:
        _running.discard(task)

    queued = Qt.ConnectionType.QueuedConnection  # deliver on the UI thread, where the signals object lives
    task.signals.finished.connect(on_done, queued)
    task.signals.failed.connect(on_error, queued)
    if on_progress is not None:
        task.signals.progressed.connect(on_progress, queued)
    if on_cancel is not None:
        task.signals.cancelled.connect(on_cancel, queued)
    for sig in (task.signals.finished, task.signals.failed, task.signals.cancelled):
        sig.connect(forget, queued)
    QThreadPool.globalInstance().start(task)
    return task


def wait_all(timeout_ms: int = 30_000) -> bool:
    """Block until every task ended (for shutdown and screenshots)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
