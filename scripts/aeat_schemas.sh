#!/usr/bin/env bash
# Download the AEAT's VERI*FACTU schemas for the XML tests into .cache/aeat-xsd/ (not kept in
# the repository: they are the AEAT's, and we do not redistribute a third party's copy).
#
#   scripts/aeat_schemas.sh            # then: .venv/bin/pytest -q tests/integration -k verifactu
#
# Files: SuministroLR.xsd and SuministroInformacion.xsd, published by the AEAT at the addresses
# that are also their XML namespaces, and the W3C's xmldsig-core-schema.xsd, which
# SuministroInformacion.xsd imports by its web address (tests/support/aeat_schemas.py reads it
# from the same folder, never from the network). The tests find .cache/aeat-xsd/ by themselves;
# MOSTRADOR_AEAT_XSD_DIR names another folder. Needs curl and access to the AEAT's site; a
# failed download leaves the folder as it was. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
AEAT=https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws
W3C=https://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd
TARGET=.cache/aeat-xsd
FILES=("$AEAT/SuministroLR.xsd" "$AEAT/SuministroInformacion.xsd" "$W3C")

command -v curl >/dev/null || { echo "aeat_schemas: curl is needed (apt-get install curl)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for url in "${FILES[@]}"; do
  name=${url##*/}
  if ! curl --fail --silent --show-error --location --max-time 60 --retry 2 -o "$tmp/$name" "$url"; then
    echo "aeat_schemas: could not download $url" >&2
    echo "aeat_schemas: nothing was changed in $TARGET; the schema tests stay skipped." >&2
    echo "aeat_schemas: download the files by hand into a folder and set MOSTRADOR_AEAT_XSD_DIR." >&2
    exit 1
  fi
  if ! grep -q "<\(xs:\|xsd:\)\?schema" "$tmp/$name"; then
    echo "aeat_schemas: $url did not give an XML schema (a proxy or error page?)" >&2
    exit 1
  fi
done
mkdir -p "$TARGET"
for url in "${FILES[@]}"; do mv "$tmp/${url##*/}" "$TARGET/"; done
echo "aeat_schemas: $(ls "$TARGET" | tr '\n' ' ')in $TARGET"
