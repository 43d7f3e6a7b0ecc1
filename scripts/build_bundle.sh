#!/usr/bin/env bash
# Build the one-folder bundles from build_windows.spec (here: Linux), check them, package the
# update, and compile the NSIS installer script when makensis is there (Debian: nsis).
#
#   scripts/build_bundle.sh            # about 3 minutes
#   scripts/build_bundle.sh --check    # the same for CI (make delivery-check): makensis is
#                                      # required (installed with apt-get when root), not optional
#
# Checks: the app bundle runs `--self-test` (core modules, translations, resources, a till store,
# a tiny demo shop, Qt off screen, see app/self_test.py); the launcher runs `--self-test`; an
# install root made like the installer makes it (launcher at the root, the app in
# versions/<v>/) starts the app through the launcher with `--self-test`, once with a throwaway
# release root pinned inside the installed bundle and an update.json (the app must then report
# updates configured: the frozen app finds the pinned root where the spec puts it); the update
# package stages and verifies; makensis compiles installer/mostrador.nsi into an installer.
set -euo pipefail
cd "$(dirname "$0")/.."
strict=0
[ "${1:-}" = "--check" ] && strict=1
PY=.venv/bin/python
[ -x "$PY" ] || scripts/setup.sh
if ! .venv/bin/pip freeze 2>/dev/null | grep -qxF "$(grep -i '^pyinstaller==' installer/requirements-build.txt)"; then
    .venv/bin/pip install --quiet -c constraints.txt -r installer/requirements-build.txt
fi
if [ "$strict" = 1 ] && ! command -v makensis >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Instalando / installing nsis"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nsis >/dev/null; }
    else
        echo "makensis missing: sudo apt-get install nsis" >&2
        exit 1
    fi
fi
.venv/bin/pybabel compile -f -d resources/locale -D mostrador >/dev/null  # .mo are not in git

VERSION=$("$PY" -c "import re;print(re.search(r'__version__ = \"([^\"]+)\"', open('app/__init__.py').read())[1])")
DIST=build/dist
START=$(date +%s)
phase() { echo "== $1 (at $(( $(date +%s) - START )) s)"; }
phase "PyInstaller (version $VERSION)"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath build/work build_windows.spec

APP="$DIST/Mostrador"
LAUNCHER="$DIST/MostradorLauncher"
EXE=Mostrador; LEXE=MostradorLauncher
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXE=Mostrador.exe; LEXE=MostradorLauncher.exe;; esac
printf '{"version": "%s", "entry": "%s"}\n' "$VERSION" "$EXE" > "$APP/mostrador-release.json"

phase "self-tests"
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
# A throwaway release root pinned in the installed copy, as build_windows.spec bundles one.
"$PY" -m updater.publish --repo "$TMP/release" --keys "$TMP/keys" >/dev/null
"$PY" -m updater.pin "$TMP/release/metadata/root.json" \
    --target "$TMP/install/versions/$VERSION/_internal/updater/trusted_root.json"
printf '{"url": "https://updates.invalid/mostrador/"}\n' > "$TMP/install/update.json"
"$TMP/install/$LEXE" --root "$TMP/install" -- --self-test | tee "$TMP/pinned.out"
grep -q "https://updates.invalid/mostrador/" "$TMP/pinned.out" \
    || { echo "the bundled app does not see its pinned root and update.json" >&2; exit 1; }

phase "update package"
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
    # The Linux bundles stand in for the Windows ones: this proves the script compiles (syntax,
    # includes, pages, languages, the folders it packs, the uninstaller) into a Windows
    # installer; not that the installer runs on Windows (the Windows workflow builds that one).
    phase "NSIS installer"
    SETUP="$(pwd)/$DIST/Mostrador-$VERSION-setup.exe"
    rm -f "$SETUP"
    makensis -V2 -WX -DQUICK -DVERSION="$VERSION" -DAPPDIR="$(pwd)/$APP" \
        -DLAUNCHERDIR="$(pwd)/$LAUNCHER" -DOUTFILE="$SETUP" installer/mostrador.nsi
    [ "$(head -c 2 "$SETUP")" = "MZ" ] || { echo "makensis made no Windows program" >&2; exit 1; }
    echo "installer: $(du -h "$SETUP" | cut -f1) $SETUP"
else
    echo "makensis not found (Debian: apt-get install nsis): installer script not compiled"
fi
echo "== done in $(( $(date +%s) - START )) s: $DIST"
