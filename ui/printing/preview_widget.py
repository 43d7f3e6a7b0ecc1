"""A receipt preview on screen: the paper image drawn by :mod:`printing.preview` in a scroll area.

The image is made on a worker (a :class:`~printing.preview.Bitmap` of grey pixels); here it only
becomes a ``QPixmap``, which is cheap and must happen on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from printing.preview import Bitmap

PADDING = 16
DESK_STYLE = "QScrollArea { background: #cdcdcd; } QLabel { background: #cdcdcd; color: #333; }"


def bitmap_pixmap(bitmap: Bitmap) -> QPixmap:
    """``bitmap`` as a pixmap (the pixels are copied, so the bytes may go)."""
    image = QImage(
        bitmap.pixels, bitmap.width, bitmap.height, bitmap.width, QImage.Format.Format_Grayscale8
    )
    return QPixmap.fromImage(image.copy())


class PreviewWidget(QScrollArea):
    """Shows one paper preview, or a line of text while there is none (loading, an error)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(DESK_STYLE)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(360)
        self.paper = QLabel()
        self.paper.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.paper.setWordWrap(True)
        self.paper.setStyleSheet(f"font-size: 17px; padding: {PADDING}px;")
        self.original = QPixmap()  # the paper at printer resolution
        self.setWidget(self.paper)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def show_bitmap(self, bitmap: Bitmap) -> None:
        self.original = bitmap_pixmap(bitmap)
        self.paper.setText("")
        self._fit()
        self.verticalScrollBar().setValue(0)

    def show_text(self, text: str) -> None:
        self.original = QPixmap()
        self.paper.setPixmap(QPixmap())
        self.paper.setText(text)

    def has_paper(self) -> bool:
        return not self.original.isNull()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The whole width of the paper in view: scaled down when the pane is narrower."""
        if self.original.isNull():
            return
        room = self.viewport().width() - 2 * PADDING - self.verticalScrollBar().sizeHint().width()
        if 0 < room < self.original.width():
            scaled = self.original.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
            self.paper.setPixmap(scaled)
        else:
            self.paper.setPixmap(self.original)
