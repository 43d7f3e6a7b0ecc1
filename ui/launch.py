"""The ``mostrador`` console command. Qt is imported only when the window is opened, so
``mostrador doctor`` runs on a machine without a display."""

from __future__ import annotations

import sys

from app.cli import LaunchOptions
from app.cli import main as cli_main


def start_gui(options: LaunchOptions) -> int:
    from ui.application import run_application

    return run_application(options)


def main() -> int:
    return cli_main(sys.argv[1:], gui=start_gui)


if __name__ == "__main__":
    sys.exit(main())
