"""A list section whose rows open in an edit form: customers, suppliers.

``FormListSection`` builds the keyset-paginated :class:`ListView` with "New … (Ctrl+N)" and
"Edit (Ctrl+O)", opens the form on Enter or a double click, and reloads the page the form
saved. A subclass names its row's id field and builds its dialog in :meth:`make_form`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.erp.context import ErpContext
from app.erp.listing import Column, PageFetch
from app.i18n import _
from ui.erp.table_view import ListView, erp_button
from ui.tasks import TaskManager


class FormListSection(QWidget):
    key_field = ""  # the row's id field, e.g. "id_customer"

    def __init__(
        self,
        tasks: TaskManager,
        ctx: ErpContext,
        fetch: PageFetch[Any],
        columns: tuple[Column[Any], ...],
        texts: tuple[str, str, str],  # title, search placeholder, "New … (Ctrl+N)"
    ) -> None:
        super().__init__()
        self.tasks, self.ctx = tasks, ctx
        title, placeholder, new_text = texts
        self.list = ListView(tasks, ctx, fetch, columns, title=title, placeholder=placeholder)
        new = erp_button(new_text, "Ctrl+N")
        edit = erp_button(_("Edit (Ctrl+O)"), "Ctrl+O")
        new.clicked.connect(lambda: self.open_form(None))
        edit.clicked.connect(self.edit_selected)
        self.list.add_button(edit)
        self.list.add_button(new)
        self.list.row_activated.connect(lambda row: self.open_form(getattr(row, self.key_field)))
        QVBoxLayout(self).addWidget(self.list)

    def edit_selected(self) -> None:
        row = self.list.selected_row()
        if row is not None:
            self.open_form(getattr(row, self.key_field))

    def make_form(self, id_row: int | None) -> Any:
        """The edit dialog (``None``: a new row); it has a ``saved`` signal."""
        raise NotImplementedError

    def open_form(self, id_row: int | None) -> Any:
        dialog = self.make_form(id_row)
        dialog.saved.connect(lambda _record: self.list.refresh())
        dialog.open()
        return dialog
