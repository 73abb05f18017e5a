"""The simulator's picture: the chosen image scaled to fit, detector boxes drawn on top, drop target."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from ..palette import BOX_CAPTION, BOX_OUTLINE, IMAGE_PANE, NOTE_TEXT, WARNING_TEXT

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"}


class ImageView(QWidget):
    dropped = Signal(list)  # local file paths

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setMinimumSize(220, 180)
        self.pixmap: QPixmap | None = None
        self.boxes: list[tuple[tuple[float, float, float, float], str]] = []
        self.error: str | None = None  # shown instead of the picture when it cannot be read

    def show_image(self, path: str | None) -> None:
        self.pixmap = QPixmap(path) if path else None
        self.error = None
        if path and (self.pixmap is None or self.pixmap.isNull()):
            self.pixmap = None
            name = Path(path).name
            self.error = (self.tr("{name}: file not found").format(name=name) if not Path(path).exists()
                          else self.tr("{name}: not a readable image (corrupt or unsupported)").format(name=name))
        self.boxes = []
        self.update()

    def set_error(self, error: str | None) -> None:
        """A reason the image could not be used (from the detectors); None keeps any reading error."""
        if error is not None:
            self.error = error
        self.update()

    def message(self) -> str:
        """What the pane says where there is no picture to draw."""
        if self.error:
            return f"⚠ {self.error}"
        return self.tr("Drop an image here\nor use “Add image…”")

    def set_boxes(self, persons: Sequence[dict[str, Any]], image_index: int = 0) -> None:
        """Boxes of detected persons on this image, each captioned with its strongest labels."""
        self.boxes = []
        for person in persons:
            box = person.get("box")
            if not box or person.get("image", 0) != image_index:
                continue
            labels = sorted(person.get("labels", {}).items(), key=lambda kv: -kv[1])
            caption = ", ".join(f"{k} {v:.2f}" for k, v in labels[:3] if v >= 0.05)
            x, y, w, h = (float(v) for v in box)
            self.boxes.append(((x, y, w, h), caption))
        self.update()

    def image_rect(self) -> QRectF:
        if self.pixmap is None:
            return QRectF()
        w, h = self.pixmap.width(), self.pixmap.height()
        scale = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2, w * scale, h * scale)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(IMAGE_PANE))
        if self.pixmap is None:
            painter.setPen(QColor(WARNING_TEXT if self.error else NOTE_TEXT))
            painter.drawText(self.rect().adjusted(8, 8, -8, -8),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message())
            return
        target = self.image_rect()
        painter.drawPixmap(target.toRect(), self.pixmap)
        scale = target.width() / self.pixmap.width()
        pen = QPen(QColor(BOX_OUTLINE))
        pen.setWidth(2)
        painter.setPen(pen)
        for (x, y, w, h), caption in self.boxes:
            rect = QRectF(target.x() + x * scale, target.y() + y * scale, w * scale, h * scale)
            painter.drawRect(rect)
            if caption:
                painter.fillRect(QRectF(rect.x(), rect.y() - 16, max(rect.width(), 8 * len(caption) * 0.8), 16),
                                 QColor(BOX_CAPTION[1]))
                painter.setPen(QColor(BOX_CAPTION[0]))
                painter.drawText(QRectF(rect.x() + 2, rect.y() - 16, 600, 16), Qt.AlignmentFlag.AlignLeft, caption)
                painter.setPen(pen)
        if self.error:
            band = QRectF(0, self.height() - 40, self.width(), 40)
            painter.fillRect(band, QColor(255, 255, 255, 220))
            painter.setPen(QColor(WARNING_TEXT))
            painter.drawText(band.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             f"⚠ {self.error}")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if image_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = image_paths(event.mimeData().urls())
        if paths:
            self.dropped.emit(paths)
            event.acceptProposedAction()


def image_paths(urls: Sequence[Any]) -> list[str]:
    return [u.toLocalFile() for u in urls if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in IMAGE_SUFFIXES]
