#!/usr/bin/env bash
# Sets up everything Mostrador needs on a Debian machine: system packages (when run as root and
# missing), the .venv with the pinned Python packages, and the compiled translations.
# Usage: scripts/setup.sh [--test]   (--test also installs what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# Qt's xcb/offscreen plugins and fonts; libusb for USB ticket printers; MariaDB and Xvfb for the test suite.
runtime_pkgs="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
  libxcb-shape0 libxcb-randr0 libxcb-xfixes0 fonts-dejavu-core python3-venv libusb-1.0-0"
test_pkgs="mariadb-server xvfb xauth openssh-server"
pkgs="$runtime_pkgs"
[ "$want_test" = 1 ] && pkgs="$pkgs $test_pkgs"

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Instalando paquetes del sistema / installing system packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "Faltan paquetes / missing packages:$missing (run as root or: sudo apt-get install$missing)" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.mostrador-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[dev]"
  touch "$stamp"
fi
.venv/bin/pybabel compile -f -d resources/locale -D mostrador >/dev/null
