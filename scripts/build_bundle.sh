#!/usr/bin/env bash
# Build the one-folder bundles from build_windows.spec (here: Linux), check them, package the
# update, and compile the NSIS installer script when makensis is there (Debian: nsis).
#
#   scripts/build_bundle.sh            # a few minutes; not part of `make test`
#
# Checks: the app bundle runs `--self-test`; the launcher runs `--self-test`; an install root
# made like the installer makes it (launcher at the root, the app in versions/<v>/) starts the
# app through the launcher with `--self-test`; `python -m updater.package` packs the update.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || scripts/setup.sh
"$PY" -c "import PyInstaller" 2>/dev/null || .venv/bin/pip install --quiet "pyinstaller>=6.10"
.venv/bin/pybabel compile -f -d resources/locale -D mostrador >/dev/null  # .mo are not in git

VERSION=$("$PY" -c "import re;print(re.search(r'__version__ = \"([^\"]+)\"', open('app/__init__.py').read())[1])")
DIST=build/dist
START=$(date +%s)
echo "== PyInstaller (version $VERSION)"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath build/work build_windows.spec

APP="$DIST/Mostrador"
LAUNCHER="$DIST/MostradorLauncher"
EXE=Mostrador; LEXE=MostradorLauncher
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXE=Mostrador.exe; LEXE=MostradorLauncher.exe;; esac
printf '{"version": "%s", "entry": "%s"}\n' "$VERSION" "$EXE" > "$APP/mostrador-release.json"

echo "== self-tests"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export QT_QPA_PLATFORM=offscreen MOSTRADOR_HOME="$TMP/home"
"$APP/$EXE" --self-test
"$LAUNCHER/$LEXE" --self-test
mkdir -p "$TMP/install/versions"
cp -a "$LAUNCHER/." "$TMP/install/"
cp -a "$APP" "$TMP/install/versions/$VERSION"
"$TMP/install/$LEXE" --root "$TMP/install" -- --self-test
grep -q "\"current\": \"$VERSION\"" "$TMP/install/state.json"

echo "== update package"
"$PY" -m updater.package --bundle "$APP" --version "$VERSION" --entry "$EXE" \
    --out "$DIST/mostrador-$VERSION.zip"
# The updater accepts the real package: safe extraction, completion mark, every file hashed.
"$PY" - "$DIST/mostrador-$VERSION.zip" "$TMP/staged" <<'PYEOF'
import shutil, sys, tempfile
from pathlib import Path
from updater.apply import stage_update, verify_folder
from updater.layout import Layout
package, root = Path(sys.argv[1]), Path(sys.argv[2])
copy = Path(tempfile.mkdtemp()) / package.name
shutil.copy(package, copy)  # stage_update deletes the file it consumed
version = stage_update(Layout(root), copy)
assert verify_folder(Layout(root).version_dir(version)), "staged folder does not verify"
print(f"package stages and verifies: {version}")
PYEOF

if command -v makensis >/dev/null; then
    echo "== NSIS installer"
    makensis -V2 -DQUICK -DVERSION="$VERSION" -DAPPDIR="$(pwd)/$APP" -DLAUNCHERDIR="$(pwd)/$LAUNCHER" \
        -DOUTFILE="$(pwd)/$DIST/Mostrador-$VERSION-setup.exe" installer/mostrador.nsi
else
    echo "makensis not found (Debian: apt-get install nsis): installer script not compiled"
fi
echo "== done in $(( $(date +%s) - START )) s: $DIST"
