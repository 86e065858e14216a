#!/usr/bin/env bash
# Fresh machine -> ruff, mypy and the whole test suite run, triple stores and a browser included.
# Installs the Debian packages the store tests need (Jena, Virtuoso; needs root, as on CI), creates .venv
# with the package and its test extras (the Oxigraph server comes from PyPI), then runs pytest. Extra
# arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-stores.sh
bash scripts/install-browser.sh
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
# The habits CI keeps: lint and format (ruff) and types (mypy over src/), before the tests.
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
