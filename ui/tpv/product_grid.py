"""The product grid for touch (F3): category buttons, then the category's products as large
tiles (name, price, stock), a page at a time. Tapping a tile adds it like a scan.

The grid reads nothing itself: it runs the loaders the screen gives it through the task
helper, and drops an answer that a newer tap made stale.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.formatting import format_int, format_money
from app.i18n import _
from app.till.catalog import Category
from app.till_runtime import ProductTile
from ui.errors import show_error
from ui.tasks import TaskManager
from ui.tpv.sale_panel import button

COLUMNS, ROWS = 4, 3
PAGE = COLUMNS * ROWS
TILE_HEIGHT = 112
LINE_CHARS = 17  # characters of a name line on a tile (4 tiles across at 1024 px)
CATEGORY_STYLE = (
    "QPushButton { font-size: 16px; padding: 0 14px; }"
    " QPushButton:checked { background: #1a3d7c; color: white; }"
)
TILE_STYLE = "font-size: 14px; text-align: center; padding: 2px;"

LoadCategories = Callable[[], list[Category]]
LoadPage = Callable[[int, int, int], list[ProductTile]]  # id_category, offset, limit


def tile_name(name: str, width: int = LINE_CHARS, lines: int = 2) -> str:
    """``name`` on at most ``lines`` lines of ``width`` characters, cut with "…" if longer."""
    rows: list[str] = []
    words = name.split()
    while words and len(rows) < lines:
        row = words.pop(0)
        while words and len(row) + 1 + len(words[0]) <= width:
            row += " " + words.pop(0)
        rows.append(row if len(row) <= width else row[: width - 1] + "…")
    if words:
        rows[-1] = rows[-1][: width - 1].rstrip() + "…"
    return "\n".join(rows)


def tile_text(tile: ProductTile) -> str:
    item = tile.item
    name = tile_name(item.name)
    if item.has_combinations and not item.id_product_attribute:
        stock = _("versions · stock {n}").format(n=format_int(item.quantity))
    else:
        stock = _("stock {n}").format(n=format_int(item.quantity))
    return f"{name}\n{format_money(tile.price)}\n{stock}"


class ProductGrid(QWidget):
    item_tapped = Signal(object)  # CatalogItem

    def __init__(self, tasks: TaskManager, categories: LoadCategories, page: LoadPage) -> None:
        super().__init__()
        self.tasks, self._load_categories, self._load_page = tasks, categories, page
        self.categories: list[Category] = []
        self.parent_id: int | None = None  # whose children the category row shows
        self.category_id: int | None = None  # whose products are shown
        self.offset = 0
        self.tiles: list[ProductTile] = []
        self._seq = self._shown = 0  # pages asked / the last one shown
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.up_button = button(_("◀ Up (Alt+↑)"), height=48, shortcut="Alt+Up")
        self.up_button.clicked.connect(self.go_up)
        self.category_row = QHBoxLayout()
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(6)
        self.previous_button = button(_("◀ Previous (Alt+←)"), height=48, shortcut="Alt+Left")
        self.previous_button.clicked.connect(lambda: self.turn(-1))
        self.next_button = button(_("Next (Alt+→) ▶"), height=48, shortcut="Alt+Right")
        self.next_button.clicked.connect(lambda: self.turn(1))
        self.page_label = QLabel()
        self.page_label.setStyleSheet("font-size: 16px;")
        self._lay_out()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.up_button)
        top.addWidget(self.title, 1)
        strip = QWidget()
        strip.setLayout(self.category_row)
        self.category_row.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidget(strip)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFixedHeight(72)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        pages = QHBoxLayout()
        pages.addWidget(self.previous_button)
        pages.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        pages.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(scroll)
        layout.addLayout(self.tile_grid, 1)
        layout.addLayout(pages)

    # --- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        """Read the categories (again: the catalog may have changed) and show the top ones."""
        self.tasks.run(self._load_categories, self.on_categories, self._failed)

    def on_categories(self, categories: list[Category]) -> None:
        self.categories = categories
        ids = {category.id_category for category in categories}
        known = self.parent_id in ids
        self.parent_id = self.parent_id if known else None
        self._show_categories()
        first = self.subcategories(self.parent_id)
        if self.category_id not in ids and first:
            self.open_category(first[0])
        else:
            self.reload()

    def subcategories(self, parent: int | None) -> list[Category]:
        ids = {category.id_category for category in self.categories}
        if parent is None:
            return [c for c in self.categories if c.id_parent not in ids]
        return [c for c in self.categories if c.id_parent == parent]

    def reload(self) -> None:
        """Read the shown page again (prices follow the cart's customer)."""
        if self.category_id is None:
            self.show_tiles([])
            return
        self._seq += 1
        seq, category, offset = self._seq, self.category_id, self.offset
        self.tasks.run(
            lambda: self._load_page(category, offset, PAGE + 1),
            lambda tiles: self.on_page(seq, tiles),
            self._failed,
        )

    def on_page(self, seq: int, tiles: list[ProductTile]) -> None:
        if seq == self._seq:
            self._shown = seq
            self.show_tiles(tiles)

    @property
    def loading(self) -> bool:
        """A page was asked and is not shown yet."""
        return self._shown != self._seq

    def _failed(self, error: BaseException) -> None:
        show_error(self, error)

    # --- navigating ------------------------------------------------------------------------

    def open_category(self, category: Category) -> None:
        if self.subcategories(category.id_category):
            self.parent_id = category.id_category
        self.category_id, self.offset = category.id_category, 0
        self.title.setText(category.name)
        self._show_categories()
        self.reload()

    def go_up(self) -> None:
        """Back to the level above: the siblings of the category whose children are shown."""
        parent = self._category(self.parent_id)
        if parent is None:
            return
        grand = self._category(parent.id_parent)
        self.parent_id = grand.id_category if grand is not None else None
        self.category_id, self.offset = parent.id_category, 0
        self.title.setText(parent.name)
        self._show_categories()
        self.reload()

    def _category(self, id_category: int | None) -> Category | None:
        return next((c for c in self.categories if c.id_category == id_category), None)

    def turn(self, step: int) -> None:
        has_next = len(self.tiles) > PAGE
        if (step > 0 and has_next) or (step < 0 and self.offset > 0):
            self.offset = max(self.offset + step * PAGE, 0)
            self.reload()

    # --- showing ---------------------------------------------------------------------------

    def _show_categories(self) -> None:
        while self.category_row.count():
            old = self.category_row.takeAt(0)
            if old is not None and (widget := old.widget()) is not None:
                widget.deleteLater()
        for category in self.subcategories(self.parent_id):
            made = button(category.name, height=56, style=CATEGORY_STYLE)
            made.setCheckable(True)
            made.setChecked(category.id_category == self.category_id)
            made.clicked.connect(lambda _checked=False, c=category: self.open_category(c))
            self.category_row.addWidget(made)
        self.category_row.addStretch(1)
        self.up_button.setEnabled(self.parent_id is not None)

    def show_tiles(self, tiles: list[ProductTile]) -> None:
        self.tiles = tiles
        while self.tile_grid.count():
            old = self.tile_grid.takeAt(0)
            if old is not None and (widget := old.widget()) is not None:
                widget.deleteLater()
        for index, tile in enumerate(tiles[:PAGE]):
            self.tile_grid.addWidget(self._tile(tile), index // COLUMNS, index % COLUMNS)
        for index in range(len(tiles[:PAGE]), PAGE):  # keep the tiles' size on a short page
            self.tile_grid.addWidget(QWidget(), index // COLUMNS, index % COLUMNS)
        page = self.offset // PAGE + 1
        self.page_label.setText(_("Page {n}").format(n=format_int(page)) if tiles else "")
        self.previous_button.setEnabled(self.offset > 0)
        self.next_button.setEnabled(len(tiles) > PAGE)

    def _tile(self, tile: ProductTile) -> QPushButton:
        made = button(tile_text(tile), height=TILE_HEIGHT, style=TILE_STYLE)
        made.setToolTip(tile.item.name)
        if tile.item.quantity <= 0:
            made.setStyleSheet(TILE_STYLE + " color: #777;")
        made.clicked.connect(lambda _checked=False, t=tile: self.item_tapped.emit(t.item))
        return made

    def tile_buttons(self) -> list[QPushButton]:
        """The product tiles shown, in order (for tests and keyboard-less checks)."""
        found = [self.tile_grid.itemAt(i) for i in range(self.tile_grid.count())]
        widgets = [item.widget() for item in found if item is not None]
        return [w for w in widgets if isinstance(w, QPushButton)]
