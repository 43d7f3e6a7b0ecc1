# Two commands on a fresh Debian machine (see README):
#   make demo   set up and start Mostrador on the built-in demo shop
#   make test   set up and run the whole suite (ruff, mypy, pytest on real MariaDB)
.PHONY: demo test setup lint typecheck pytest

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
