"""Report charts (pyqtgraph): a line over days or hours, bars for products, categories,
employees, payment methods and tills; the previous period as a second, grey series.

``ReportChart.show_series(labels, values, previous, kind)`` draws plain numbers (the caller
converts its Decimals); nothing here reads data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pyqtgraph as pg  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

ChartKind = Literal["line", "bars"]
CURRENT = "#1f77b4"
PREVIOUS = "#9a9a9a"
MAX_BARS = 15  # bar charts show the first rows (the report sorts them, biggest first)
MAX_TICKS = 12
TICK_SPACING_PX = 80  # room for one bottom label ("12/05", "Camisetas…")


class ReportChart(QWidget):
    def __init__(self) -> None:
        super().__init__()
        pg.setConfigOptions(antialias=True, background="w", foreground="k")
        self.plot = pg.PlotWidget()
        self.plot.showGrid(x=False, y=True, alpha=0.3)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.legend = self.plot.addLegend(offset=(10, 10))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.series_count = 0
        self.labels: list[str] = []

    def clear(self) -> None:
        self.plot.clear()
        self.legend.clear()
        self.series_count = 0
        self.labels = []

    def show_series(  # noqa: PLR0913
        self,
        labels: Sequence[str],
        values: Sequence[float],
        previous: Sequence[float] | None,
        kind: ChartKind,
        *,
        name: str,
        previous_name: str = "",
    ) -> None:
        """Draw ``values`` (and ``previous``, same positions) against ``labels``."""
        self.clear()
        if kind == "bars":
            labels, values = labels[:MAX_BARS], values[:MAX_BARS]
            previous = previous[:MAX_BARS] if previous is not None else None
        self.labels = list(labels)
        xs = list(range(len(labels)))
        if kind == "line":
            self._line(xs, values, previous, name, previous_name)
        else:
            self._bars(xs, values, previous, name, previous_name)
        self._ticks(labels)
        self.plot.enableAutoRange()

    def _line(
        self,
        xs: list[int],
        values: Sequence[float],
        previous: Sequence[float] | None,
        name: str,
        previous_name: str,
    ) -> None:
        if previous is not None:
            pen = pg.mkPen(PREVIOUS, width=2, style=Qt.PenStyle.DashLine)
            self.plot.plot(xs[: len(previous)], list(previous), pen=pen, name=previous_name)
            self.series_count += 1
        self.plot.plot(xs, list(values), pen=pg.mkPen(CURRENT, width=2), name=name)
        self.series_count += 1

    def _bars(
        self,
        xs: list[int],
        values: Sequence[float],
        previous: Sequence[float] | None,
        name: str,
        previous_name: str,
    ) -> None:
        width = 0.4 if previous is not None else 0.7
        shift = width / 2 if previous is not None else 0.0
        if previous is not None:
            left = [x - shift for x in xs]
            bars = pg.BarGraphItem(x=left, height=list(previous), width=width, brush=PREVIOUS)
            self.plot.addItem(bars)
            self.legend.addItem(bars, previous_name)
            self.series_count += 1
        right = [x + shift for x in xs]
        bars = pg.BarGraphItem(x=right, height=list(values), width=width, brush=CURRENT)
        self.plot.addItem(bars)
        self.legend.addItem(bars, name)
        self.series_count += 1

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.labels:
            self._ticks(self.labels)  # as many labels as the new width holds

    def _ticks(self, labels: Sequence[str]) -> None:
        room = max(2, min(MAX_TICKS, self.width() // TICK_SPACING_PX))
        step = max(1, -(-len(labels) // room))
        ticks = [(i, _short(label)) for i, label in enumerate(labels) if i % step == 0]
        self.plot.getAxis("bottom").setTicks([ticks])


def _short(label: str, size: int = 14) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"
