"""Home screen: which shop this till works for, how many products, and the connection state."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from app.connection import ShopTarget
from app.formatting import format_int
from app.i18n import _
from app.shop_status import ShopStatus

TITLE_STYLE = "font-size: 32px; font-weight: 600;"
VALUE_STYLE = "font-size: 20px;"
STATE_COLOURS = {"ok": "#1b7f3a", "error": "#b3261e", "busy": "#8a6d00"}


class HomeScreen(QWidget):
    refresh_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel()
        self.title.setStyleSheet(TITLE_STYLE)
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.version_value = QLabel("—")
        self.products_value = QLabel("—")
        self.connection_value = QLabel("—")
        self.connection_value.setWordWrap(True)
        for label in (self.version_value, self.products_value, self.connection_value):
            label.setStyleSheet(VALUE_STYLE)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self._caption(_("PrestaShop")), self.version_value)
        form.addRow(self._caption(_("Products")), self.products_value)
        form.addRow(self._caption(_("Connection")), self.connection_value)
        self.till_value = QLabel("—")
        self.till_value.setStyleSheet(VALUE_STYLE)
        self.till_value.setWordWrap(True)
        form.addRow(self._caption(_("Till")), self.till_value)
        self.refresh_button = QPushButton(_("Check again (Ctrl+F5)"))
        self.refresh_button.setMinimumHeight(44)
        self.refresh_button.clicked.connect(self.refresh_requested)
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(32, 32, 32, 32)
        card_layout.setSpacing(16)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.subtitle)
        card_layout.addLayout(form)
        card_layout.addWidget(self.refresh_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addWidget(card)
        layout.addStretch(1)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-size: 16px; color: #444;")
        return label

    def _set_state(self, state: str, text: str) -> None:
        colour = STATE_COLOURS[state]
        self.connection_value.setText(f"<span style='color:{colour}'>●</span> {text}")

    def show_unconfigured(self) -> None:
        self.title.setText(_("No shop connected"))
        self.subtitle.setText(
            _("Start with «mostrador --demo» to try the demo shop, or give «--db URL».")
        )
        self._set_state("error", _("No shop configured"))

    def show_loading(self, target: ShopTarget) -> None:
        self.title.setText(_("Connecting to the shop…"))
        self.subtitle.setText(_("Demo shop") if target.demo else target.safe_url)
        self.refresh_button.setEnabled(False)
        self._set_state("busy", _("Connecting…"))

    def show_status(self, status: ShopStatus) -> None:
        self.title.setText(status.shop_name)
        self.subtitle.setText(_("Demo shop: try anything, nothing is real.") if status.demo else "")
        self.version_value.setText(status.prestashop_version)
        self.products_value.setText(format_int(status.product_count))
        if status.demo:
            self._set_state("ok", _("Demo shop on this computer"))
        else:
            self._set_state("ok", _("Connected ({ms:.0f} ms)").format(ms=status.latency_ms))
        self.refresh_button.setEnabled(True)

    def show_error(self, message: str, hint: str) -> None:
        self.title.setText(_("The shop cannot be reached"))
        self.subtitle.setText(hint)
        self._set_state("error", message)
        self.refresh_button.setEnabled(True)

    def show_till_opening(self) -> None:
        self.till_value.setText(
            _(
                "Opening the till… the first time, the shop's catalog is loaded "
                "(a few minutes on a large shop)."
            )
        )

    def show_till_ready(self) -> None:
        self.till_value.setText(_("Ready: sign in to sell."))

    def show_till_failed(self, message: str) -> None:
        self.till_value.setText(
            _("The till could not be opened. {reason}").format(reason=message).strip()
        )
