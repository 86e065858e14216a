"""SELECT queries on a pyoxigraph store, typed as what they return: ``Store.query`` is typed as the union of the
three result kinds (solutions, boolean, triples), so each caller would otherwise narrow it again."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox


def select(store: ox.Store, query: str, **options: Any) -> ox.QuerySolutions:
    """The solutions of a SELECT query (TypeError for an ASK, CONSTRUCT or DESCRIBE query)."""
    solutions = store.query(query, **options)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError(f"not a SELECT query: {query[:80]!r}")
    return solutions
