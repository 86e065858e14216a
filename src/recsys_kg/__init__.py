"""recsys-kg: a provenance-tracked RDF knowledge graph of the literature on LLM-based recommender systems.

``recsys_kg.open()`` is the Python API's entry point (docs/python.md). It is imported on first use, so
``import recsys_kg`` (and every ``recsys-kg`` command) does not pay for loading it.
"""

from __future__ import annotations

from typing import Any

from recsys_kg.version import __version__

__all__ = ["__version__", "open"]


def __getattr__(name: str) -> Any:
    if name == "open":
        from recsys_kg.api import open

        return open
    raise AttributeError(f"module 'recsys_kg' has no attribute {name!r}")
