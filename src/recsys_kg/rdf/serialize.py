"""Quads to bytes in the RDF syntaxes the build and the export write, with the project's vocabulary prefixes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.rdf.namespaces import PREFIXES


def serialize(quads: Iterable[ox.Quad], fmt: ox.RdfFormat, output: Path | None = None) -> bytes | None:
    """Quads in the given order, as bytes or streamed into the file ``output``. Only vocabulary prefixes are
    declared: instance IRIs stay whole, because their slashes would need ``\\/`` escapes in prefixed names, which
    some stores' parsers reject."""
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
        return ox.serialize(quads, output, format=fmt)
    prefixes = {p: str(ns) for p, ns in PREFIXES.items() if p not in ("id", "graph")}
    return ox.serialize(quads, output, format=fmt, prefixes=prefixes)
