#!/usr/bin/env bash
# Fresh machine -> the graph built and one canned question answered.
# Creates .venv, installs recsys-kg (editable: it reads ontology/, shapes/, queries/ and data/ from this
# checkout), builds the graph into build/ and prints the frozen-LLM industrial papers by company.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
.venv/bin/recsys-kg build
.venv/bin/recsys-kg query frozen-llm-industrial-by-company
