"""A page's long work: one run at a time, its Run and Cancel buttons, its progress bar and its errors.

The simulator, the country matrix and the test cases each run work off the UI
thread the same way: while it runs the run buttons are off and Cancel is on,
the bar is busy until the work reports steps, and a failure is an error dialog.
The page says what a result means; `BackgroundRun` keeps the rest.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar, QPushButton

from jurist.workbench.progress import Progress

from .. import workers
from ..interaction import Interaction


class BackgroundRun(QObject):
    """The one task a page runs, and the controls that show it.

    `interruptible=False` is for work that never calls `progress.step` (the
    simulator's detectors): it reports no steps and cannot stop between them,
    so Cancel lets go of it at once and its late result is dropped, and the bar
    only shows busy while it runs. Otherwise Cancel asks the work to stop and
    the run ends when it does.
    """

    cancelled = Signal()  # the run stopped at the user's request
    failed = Signal(str)  # the run failed; its error dialog was already shown

    def __init__(self, run_buttons: Sequence[QPushButton], cancel_button: QPushButton, progress: QProgressBar,
                 interaction: Interaction, failure_title: str, *, interruptible: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run_buttons = tuple(run_buttons)
        self.cancel_button = cancel_button
        self.progress = progress
        self.interaction = interaction
        self.failure_title = failure_title
        self.interruptible = interruptible
        self._task: workers.Task | None = None
        cancel_button.setEnabled(False)
        cancel_button.clicked.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self, work: Callable[[Progress], Any], on_done: Callable[[Any], None]) -> None:
        """Run `work(progress)` off the UI thread; `on_done(result)` runs on it once the controls are idle."""
        for button in self.run_buttons:
            button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy until the first step

        def current(callback: Callable[..., None]) -> Callable[..., None]:
            """Only the run still shown may end it: a run Cancel let go of is ignored when it ends."""
            def deliver(*args: Any) -> None:
                if task is self._task:
                    self._idle()
                    callback(*args)
            return deliver

        task = workers.start(work, on_done=current(on_done), on_error=current(self._failed),
                             on_progress=self._progressed if self.interruptible else None,
                             on_cancel=current(self.cancelled.emit))
        self._task = task

    def cancel(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        if not self.interruptible:
            self._idle()
            self.cancelled.emit()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _idle(self) -> None:
        self._task = None
        for button in self.run_buttons:
            button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if not self.interruptible or self.progress.maximum() == 0:  # never reported a step: stop the busy bar
            self.progress.setRange(0, 1)

    def _failed(self, message: str) -> None:
        self.interaction.error(self.failure_title, message)
        self.failed.emit(message)
