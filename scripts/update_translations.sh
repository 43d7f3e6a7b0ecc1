#!/usr/bin/env bash
# Re-extracts the translatable strings and merges them into the .po catalogs.
# Translate the new entries in resources/locale/<lang>/LC_MESSAGES/mostrador.po afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
pot=resources/locale/mostrador.pot
.venv/bin/pybabel extract --no-location --sort-output -k _ -k ngettext:1,2 \
  --project=Mostrador -o "$pot" app connectors ui printing updater
for lang in es en; do
  po=resources/locale/$lang/LC_MESSAGES/mostrador.po
  if [ -f "$po" ]; then
    .venv/bin/pybabel update --no-fuzzy-matching -D mostrador -i "$pot" -d resources/locale -l "$lang"
  else
    .venv/bin/pybabel init -D mostrador -i "$pot" -d resources/locale -l "$lang"
  fi
done
