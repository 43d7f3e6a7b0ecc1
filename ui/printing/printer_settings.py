"""The ticket printer's settings, with a test print and a preview of the sample ticket.

The form edits one :class:`~app.print_service.PrinterConfig`: the printer (none, a file or
device, network host and port, USB vendor and product id, serial port and baud rate, a Windows
printer), paper width and characters a line, code page, cut, drawer pin and pulse, the status
check, the time to wait, and the tax id and footer printed on every ticket. "Test print (F9)"
prints the fixed sample ticket with the form as typed, "Preview (F8)" draws it as the paper, and
"Save (Ctrl+S)" writes the settings file; all three run on ``tasks.run``, as do reading the
settings and listing the serial ports and Windows printers (their names can also be typed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import ConfigError, UserFacingError
from app.i18n import _
from app.print_service import (
    PrinterConfig,
    load_printer_config,
    print_sample,
    sample_preview,
    save_printer_config,
)
from printing.backends import (
    DEFAULT_BAUDRATE,
    DEFAULT_PORT,
    PrintResult,
    Transport,
    parse_spec,
    serial_ports,
    windows_printers,
)
from printing.escpos_render import CODE_PAGES, CutMode
from printing.preview import Bitmap
from ui.printing.preview_widget import PreviewWidget
from ui.printing.print_flow import default_settings_path
from ui.tasks import TaskManager

FIELD_HEIGHT = 44
OK_STYLE = "font-size: 17px; color: #0b5d1e;"
ERROR_STYLE = "font-size: 17px; color: #8c1d18;"
NO_PRINTER = "none"
BAUD_RATES = (9600, 19200, 38400, 57600, 115200)
# Paper width in mm and characters a line (0: the paper's own), keyed for the combo box.
PAPERS = {"58": (58, 0), "80": (80, 0), "80-42": (80, 42)}


def paper_key(width_mm: int, columns: int) -> str:
    if width_mm == 58:
        return "58"
    return "80-42" if columns == 42 else "80"


def _sized(widget: QWidget) -> QWidget:
    widget.setMinimumHeight(FIELD_HEIGHT)
    return widget


def _combo(items: list[tuple[str, Any]], editable: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    for text, data in items:
        combo.addItem(text, data)
    _sized(combo)
    return combo


def _spin(low: int, high: int, step: int = 1, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    _sized(spin)
    return spin


def _select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)


def _line(placeholder: str = "") -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    _sized(line)
    return line


class PrinterFields(QWidget):
    """Which printer: a type and that type's own fields; reads and writes the spec string."""

    def __init__(self) -> None:
        super().__init__()
        kinds = [
            (_("No printer"), NO_PRINTER),
            (_("Network (IP address)"), Transport.TCP.value),
            (_("USB"), Transport.USB.value),
            (_("Serial port"), Transport.SERIAL.value),
            (_("Windows printer"), Transport.WIN.value),
            (_("File or device"), Transport.FILE.value),
        ]
        self.kind = _combo(kinds)
        self.stack = QStackedWidget()
        self.path = _line("/dev/usb/lp0")
        self.host, self.port = _line("192.168.1.50"), _spin(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.vendor, self.product = _line("04b8"), _line("0202")
        self.serial = _combo([], editable=True)
        self.baud = _combo([(str(rate), rate) for rate in BAUD_RATES])
        _select(self.baud, DEFAULT_BAUDRATE)
        self.windows = _combo([], editable=True)
        self.pages = {
            NO_PRINTER: QWidget(),
            Transport.TCP.value: self._page((_("Host"), self.host), (_("Port"), self.port)),
            Transport.USB.value: self._page(
                (_("Vendor id (hex)"), self.vendor), (_("Product id (hex)"), self.product)
            ),
            Transport.SERIAL.value: self._page((_("Port"), self.serial), (_("Baud"), self.baud)),
            Transport.WIN.value: self._page((_("Printer"), self.windows)),
            Transport.FILE.value: self._page((_("Path"), self.path)),
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.kind.currentIndexChanged.connect(self._show_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.stack)

    @staticmethod
    def _page(*rows: tuple[str, QWidget]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        for label, field in rows:
            form.addRow(label, field)
        return page

    def _show_page(self) -> None:
        self.stack.setCurrentWidget(self.pages[str(self.kind.currentData())])

    def spec(self) -> str:
        kind = str(self.kind.currentData())
        if kind == NO_PRINTER:
            return ""
        baud = self.baud.currentData()
        target = {
            Transport.TCP.value: f"{self.host.text().strip()}:{self.port.value()}",
            Transport.USB.value: f"{self.vendor.text().strip()}:{self.product.text().strip()}",
            Transport.SERIAL.value: f"{self.serial.currentText().strip()}:{baud}",
            Transport.WIN.value: self.windows.currentText().strip(),
            Transport.FILE.value: self.path.text().strip(),
        }[kind]
        return f"{kind}:{target}"

    def set_spec(self, text: str) -> None:
        """Show printer ``text``; one that does not parse is kept as a file path to correct."""
        try:
            spec = parse_spec(text) if text.strip() else None
        except ConfigError:
            _select(self.kind, Transport.FILE.value)
            self.path.setText(text.partition(":")[2] or text)
            return
        _select(self.kind, NO_PRINTER if spec is None else spec.transport.value)
        if spec is None:
            return
        if spec.transport is Transport.TCP:
            self.host.setText(spec.target)
            self.port.setValue(spec.port)
        elif spec.transport is Transport.USB:
            self.vendor.setText(f"{spec.vendor_id:04x}")
            self.product.setText(f"{spec.product_id:04x}")
        elif spec.transport is Transport.SERIAL:
            self.serial.setEditText(spec.target)
            _select(self.baud, spec.baudrate)
        elif spec.transport is Transport.WIN:
            self.windows.setEditText(spec.target)
        else:
            self.path.setText(spec.target)

    def offer(self, combo: QComboBox, names: list[str]) -> None:
        """Fill a list of ports or printers found on the computer, keeping what is typed."""
        typed = combo.currentText()
        combo.clear()
        combo.addItems(names)
        combo.setEditText(typed or (names[0] if names else ""))


class PrinterSettingsDialog(QDialog):
    saved = Signal(object)  # the PrinterConfig written

    def __init__(
        self, parent: QWidget | None, tasks: TaskManager, settings_path: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.settings_path = settings_path or default_settings_path()
        self.setWindowTitle(_("Ticket printer"))
        self.resize(1000, 700)
        self.printer = PrinterFields()
        self._build_fields()
        self.preview = PreviewWidget()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.test_button = self._button(_("Test print (F9)"), "F9", self.on_test_print)
        self.preview_button = self._button(_("Preview (F8)"), "F8", self.on_preview)
        self.save_button = self._button(_("Save (Ctrl+S)"), "Ctrl+S", self.on_save)
        self.cancel_button = self._button(_("Cancel (Esc)"), "Esc", self.reject)
        self._lay_out()
        self.load()

    def _build_fields(self) -> None:
        papers = [_("58 mm — 32 characters"), _("80 mm — 48 characters")]
        papers.append(_("80 mm — 42 characters"))
        self.paper = _combo(list(zip(papers, PAPERS, strict=True)))  # data: the PAPERS key
        self.code_page = _combo([(name, name) for name in CODE_PAGES])
        cuts = [_("Full cut"), _("Partial cut"), _("No cut")]
        self.cut = _combo(list(zip(cuts, [m.value for m in CutMode], strict=True)))
        self.drawer_pin = _combo([(_("Pin 2"), 2), (_("Pin 5"), 5)])
        self.drawer_on = _spin(2, 510, 10, " ms")
        self.drawer_off = _spin(2, 510, 10, " ms")
        self.status_check = QCheckBox(_("Ask a network printer whether it is ready (DLE EOT)"))
        _sized(self.status_check)
        self.timeout = _spin(1, 60, 1, " s")
        self.tax_id = _line(_("e.g. B12345678"))
        self.footer = QPlainTextEdit()
        self.footer.setMinimumHeight(2 * FIELD_HEIGHT)

    def _button(self, text: str, shortcut: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(52)
        button.setStyleSheet("font-size: 17px; padding: 0 14px;")
        button.setShortcut(QKeySequence(shortcut))
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        form = QFormLayout()
        rows = [
            (_("Printer"), self.printer),
            (_("Paper"), self.paper),
            (_("Code page"), self.code_page),
            (_("Cut"), self.cut),
            (_("Cash drawer"), self.drawer_pin),
            (_("Drawer pulse"), self.drawer_on),
            (_("Pause after it"), self.drawer_off),
            ("", self.status_check),
            (_("Wait for the printer"), self.timeout),
            (_("Tax id (NIF)"), self.tax_id),
            (_("Ticket footer"), self.footer),
        ]
        for label, field in rows:
            form.addRow(label, field)
        holder = QWidget()
        holder.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addWidget(self.preview, 2)
        buttons = QHBoxLayout()
        for button in (self.cancel_button, self.preview_button, self.test_button):
            buttons.addWidget(button)
        buttons.addWidget(self.save_button, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    # --- the form and the config -----------------------------------------------------------

    def config(self) -> PrinterConfig:
        """The form as typed."""
        width_mm, columns = PAPERS[str(self.paper.currentData())]
        return PrinterConfig(
            spec=self.printer.spec(),
            width_mm=width_mm,
            columns=columns,
            code_page=str(self.code_page.currentData()),
            cut=str(self.cut.currentData()),
            drawer_pin=int(self.drawer_pin.currentData()),
            drawer_on_ms=self.drawer_on.value(),
            drawer_off_ms=self.drawer_off.value(),
            status_check=self.status_check.isChecked(),
            timeout_s=self.timeout.value(),
            tax_id=self.tax_id.text().strip(),
            footer=self.footer.toPlainText().strip(),
        )

    def show_config(self, config: PrinterConfig) -> None:
        self.printer.set_spec(config.spec)
        _select(self.paper, paper_key(config.width_mm, config.columns))
        _select(self.code_page, config.code_page.upper())
        _select(self.cut, config.cut.lower())
        _select(self.drawer_pin, config.drawer_pin)
        self.drawer_on.setValue(config.drawer_on_ms)
        self.drawer_off.setValue(config.drawer_off_ms)
        self.status_check.setChecked(config.status_check)
        self.timeout.setValue(config.timeout_s)
        self.tax_id.setText(config.tax_id)
        self.footer.setPlainText(config.footer)

    # --- work on the pool ------------------------------------------------------------------

    def load(self) -> None:
        path = self.settings_path
        self.tasks.run(lambda: load_printer_config(path), self.on_loaded, self.on_failed)
        self.tasks.run(serial_ports, lambda names: self.printer.offer(self.printer.serial, names))
        self.tasks.run(
            windows_printers, lambda names: self.printer.offer(self.printer.windows, names)
        )

    def on_loaded(self, config: PrinterConfig) -> None:
        self.show_config(config)
        self.on_preview()

    def on_test_print(self) -> None:
        config = self.config()
        self.say(_("Printing the test ticket…"), ok=True)
        self.test_button.setEnabled(False)
        self.tasks.run(lambda: print_sample(config), self.on_test_printed, self.on_failed)

    def on_test_printed(self, result: PrintResult) -> None:
        self.test_button.setEnabled(True)
        text = _("Test ticket printed.") if result.ok else result.message
        self.say(text, ok=result.ok)

    def on_preview(self) -> None:
        config = self.config()
        self.tasks.run(lambda: sample_preview(config), self.on_preview_drawn, self.on_failed)

    def on_preview_drawn(self, bitmap: Bitmap) -> None:
        self.preview.show_bitmap(bitmap)

    def on_save(self) -> None:
        config, path = self.config(), self.settings_path
        self.save_button.setEnabled(False)
        self.tasks.run(lambda: save_printer_config(path, config), self.on_saved, self.on_failed)

    def on_saved(self, config: PrinterConfig) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(config)
        self.accept()

    def on_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.save_button.setEnabled(True)
        message = error.message if isinstance(error, UserFacingError) else str(error)
        self.say(message, ok=False)

    def say(self, text: str, ok: bool) -> None:
        self.status.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.status.setText(text)
