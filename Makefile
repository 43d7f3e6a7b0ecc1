# Two commands on a fresh Debian machine (see README):
#   make demo   set up and start Mostrador on the built-in demo shop
#   make test   set up and run the whole suite (ruff, mypy, pytest on real MariaDB)
.PHONY: demo test setup bench

demo:
	scripts/setup.sh
	.venv/bin/mostrador --demo

test:
	scripts/setup.sh --test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	QT_QPA_PLATFORM=offscreen .venv/bin/pytest -q

setup:
	scripts/setup.sh --test

# Benchmarks (not part of the test suite; each prints its figures; see bench/README.md).
bench:
	scripts/setup.sh --test
	.venv/bin/python bench/demo_shop_build.py --products 100000 --orders 10000
	.venv/bin/python bench/catalog_pull.py --products 100000 --delay-ms 30
	.venv/bin/python -m bench.till_store
	.venv/bin/python bench/sale_commit.py --sales 300
	.venv/bin/python bench/push.py --tickets 1000 --single 5

# Screenshots of the real window on the demo shop, every screen in both languages, into
# screenshots/<lang>/<screen>.png (starts Xvfb when there is no display).
.PHONY: screenshots
screenshots:
	scripts/setup.sh --test
	.venv/bin/python scripts/screenshots.py --out screenshots

# The delivery (issue 7): the one-folder bundle built from build_windows.spec, its
# --self-test (alone, through the launcher, with a pinned release root), the update package,
# and installer/mostrador.nsi compiled by makensis (apt-get nsis when root). About 3 minutes.
.PHONY: delivery-check
delivery-check:
	scripts/setup.sh
	scripts/build_bundle.sh --check
