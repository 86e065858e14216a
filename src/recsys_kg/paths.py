"""Where the project's data lives. The package runs from a checkout (``pip install -e .``): ontology, shapes,
queries and data are files of the repository, not package data, so curators edit them in place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("RECSYS_KG_HOME", Path(__file__).resolve().parents[2]))
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
SHAPES_DIR = PROJECT_ROOT / "shapes"
QUERIES_DIR = PROJECT_ROOT / "queries"
SOURCES_DIR = PROJECT_ROOT / "data" / "sources"
CURATION_DIR = PROJECT_ROOT / "data" / "curation"
DEFAULT_BUILD_DIR = PROJECT_ROOT / "build"
