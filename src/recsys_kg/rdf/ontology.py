"""The ontology modules: loaded from ontology/*.ttl, merged into one graph for the dataset and the release.

Imports are resolved locally (every module the header imports is a file beside it); nothing is fetched. The
axioms use blank nodes (restrictions, lists); they are relabelled canonically (rdflib.compare) so the merged
ontology and the dataset are byte-identical across builds.

Canonical relabelling costs more than the rest of a seed build's ontology work, and its result depends only on
the modules' bytes and the rdflib version, so it is cached under that key (:func:`cache_dir`): one N-Triples file
whose first line holds the SHA-256 of the rest. A cache file that is missing, truncated, corrupt or unwritable is
ignored and the triples are computed again; the cache never changes what a build writes.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from recsys_kg import paths
from recsys_kg.rdf.graphs import ONTOLOGY
from recsys_kg.rdf.namespaces import PREFIXES

MODULES = ("recsys-kg.ttl", "core.ttl", "provenance.ttl", "tuning-strategies.ttl", "alignments.ttl", "inference.ttl")
_CACHE_FORMAT = b"recsys-kg canonical ontology v1"


def cache_dir() -> Path:
    """``$RECSYS_KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/recsys-kg``, else ``~/.cache/recsys-kg``."""
    if configured := os.environ.get("RECSYS_KG_CACHE_DIR"):
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "recsys-kg"


def _canonical_triples(directory: Path) -> tuple[ox.Triple, ...]:
    import rdflib
    from rdflib.compare import to_canonical_graph

    from recsys_kg.rdf.rdflib_terms import to_oxigraph_triple

    merged = rdflib.Graph()
    for name in MODULES:
        merged.parse(directory / name, format="turtle")
    triples = {to_oxigraph_triple(s, p, o) for s, p, o in to_canonical_graph(merged)}
    return tuple(sorted(triples, key=str))


def _cache_file(directory: Path) -> Path:
    import rdflib  # already imported by .namespaces; its version decides the canonical labels

    key = hashlib.sha256(_CACHE_FORMAT + b"\0" + rdflib.__version__.encode())
    for name in MODULES:
        data = (directory / name).read_bytes()
        key.update(b"\0%s\0%d\0" % (name.encode(), len(data)) + data)
    return cache_dir() / f"ontology-{key.hexdigest()[:32]}.nt"


def _read_cache(path: Path) -> tuple[ox.Triple, ...] | None:
    try:
        header, _, body = path.read_bytes().partition(b"\n")
        if header != b"# sha256 " + hashlib.sha256(body).hexdigest().encode():
            return None
        return tuple(ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    except (OSError, SyntaxError, ValueError):
        return None


def _write_cache(path: Path, triples: tuple[ox.Triple, ...]) -> None:
    from recsys_kg.outputs import atomic_write

    body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    assert body is not None  # serialize returns the bytes when given no output file
    try:
        atomic_write(path, b"# sha256 " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    except OSError:
        pass  # a read-only or full cache directory only costs the next build the computation


@lru_cache(maxsize=4)
def ontology_triples(directory: Path | None = None) -> tuple[ox.Triple, ...]:
    """Every triple of every module, blank nodes canonically labelled, sorted."""
    directory = directory or paths.ontology_dir()
    path = _cache_file(directory)
    cached = _read_cache(path)
    if cached is not None:
        return cached
    triples = _canonical_triples(directory)
    _write_cache(path, triples)
    return triples


def ontology_quads(directory: Path | None = None) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY) for t in ontology_triples(directory)]


def merged_turtle(directory: Path | None = None) -> bytes:
    """The release file: all modules in one Turtle document."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items() if p not in ("id", "graph", "rkgsh")}
    turtle = ox.serialize(list(ontology_triples(directory)), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert turtle is not None  # serialize returns the bytes when given no output file
    return turtle
