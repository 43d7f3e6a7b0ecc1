"""The main window: a shell (menus, status bar, screen stack). Screens live in their own modules."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget

from app import __version__
from app.connection import ShopTarget
from app.errors import UserFacingError
from app.i18n import _
from app.shop_status import ShopStatus, load_shop_status
from ui.home_screen import HomeScreen
from ui.tasks import TaskManager
from ui.tpv.sale_screen import SaleScreen


class MainWindow(QMainWindow):
    def __init__(self, target: ShopTarget | None, till: str, store: Path | None = None) -> None:
        super().__init__()
        self.target = target
        self.till = till
        self.store = store
        self.tasks = TaskManager(self)
        self.setWindowTitle(_("Mostrador — {till}").format(till=till))
        self.setMinimumSize(1000, 700)
        self.resize(1024, 768)
        self.home = HomeScreen()
        self.home.refresh_requested.connect(self.refresh_status)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.home)
        self.sale = SaleScreen(self.tasks)
        self.stack.addWidget(self.sale)
        self.setCentralWidget(self.stack)
        self.connection_label = QLabel()
        self.statusBar().addPermanentWidget(self.connection_label)
        self._build_menus()
        self.refresh_status()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        till_menu = self.menuBar().addMenu(_("&Till"))
        sell = QAction(_("&Sell"), self)
        sell.setShortcut(QKeySequence(Qt.Key.Key_F2))
        sell.triggered.connect(self.show_sale)
        till_menu.addAction(sell)
        self.addAction(sell)  # F2 works from any screen, menu bar shown or not
        home = QAction(_("&Home"), self)
        home.triggered.connect(lambda: self.stack.setCurrentWidget(self.home))
        till_menu.addAction(home)
        help_menu = self.menuBar().addMenu(_("&Help"))
        about = QAction(_("&About Mostrador"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        refresh = QAction(_("Check &connection"), self)
        refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh.triggered.connect(self.refresh_status)
        help_menu.addAction(refresh)

    def show_sale(self) -> None:
        self.stack.setCurrentWidget(self.sale)
        self.sale.start(self.target, self.till, self.store)

    def refresh_status(self) -> None:
        target = self.target
        if target is None:
            self.home.show_unconfigured()
            self._set_connection(False, _("No shop configured"))
            return
        self.home.show_loading(target)
        self._set_connection(None, _("Connecting…"))
        self.tasks.run(lambda: load_shop_status(target), self.on_status_loaded, self.on_failed)

    def on_status_loaded(self, status: ShopStatus) -> None:
        self.home.show_status(status)
        self.setWindowTitle(
            _("Mostrador — {shop} — {till}").format(shop=status.shop_name, till=self.till)
        )
        label = _("Demo shop") if status.demo else _("Connected")
        self._set_connection(True, label)

    def on_failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, UserFacingError) else str(error)
        hint = error.hint if isinstance(error, UserFacingError) else ""
        self.home.show_error(message, hint)
        self._set_connection(False, _("Offline"))
        if not isinstance(error, UserFacingError):
            from ui.errors import show_error

            show_error(self, error)

    def _set_connection(self, online: bool | None, text: str) -> None:
        colour = {True: "#1b7f3a", False: "#b3261e", None: "#8a6d00"}[online]
        self.connection_label.setText(f"<b style='color:{colour}'>●</b> {text}")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            _("About Mostrador"),
            _("Mostrador {version}\nPoint of sale and back office for PrestaShop shops.").format(
                version=__version__
            ),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.tasks.shutdown()
        self.sale.close_till()
        super().closeEvent(event)
