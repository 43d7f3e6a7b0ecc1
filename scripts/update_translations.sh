#!/usr/bin/env bash
# Re-extracts the translatable strings and merges them into the .po catalogs.
# Translate the new entries in resources/locale/es/LC_MESSAGES/mostrador.po afterwards (English
# falls back to the msgids), then compile as scripts/setup.sh does:
#   .venv/bin/pybabel compile -f -d resources/locale -D mostrador
# tests/unit/test_translations.py fails while a message has no Spanish translation.
set -euo pipefail
cd "$(dirname "$0")/.."
pot=resources/locale/mostrador.pot
.venv/bin/pybabel extract --no-location --sort-output -k _ -k ngettext:1,2 \
  --project=Mostrador -o "$pot" app connectors ui printing updater
for lang in es en; do
  po=resources/locale/$lang/LC_MESSAGES/mostrador.po
  if [ -f "$po" ]; then
    .venv/bin/pybabel update --no-fuzzy-matching --ignore-obsolete -D mostrador -i "$pot" \
      -d resources/locale -l "$lang"
  else
    .venv/bin/pybabel init -D mostrador -i "$pot" -d resources/locale -l "$lang"
  fi
done
