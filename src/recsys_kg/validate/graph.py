"""Validate the graph, or contributions in the context of the graph, against the SHACL shapes in shapes/.

Two engines give the same results (tests/test_validate_engines.py). The build's, ``sparql``, compiles the shapes
into SPARQL queries that return only violations and runs them on an in-memory Oxigraph store
(shacl/compiler.py): 0.3 s on the seed graph, linear in its size. The reference, ``pyshacl``, runs pySHACL on an
rdflib graph (6 s on the seed graph, 600 s at 100x); it implements all of SHACL, so a shape using a feature
the SPARQL engine refuses (UnsupportedShape) can still be checked with it (shacl/pyshacl_engine.py).

The data graph is the union of the asserted named graphs and the ontology (the inferred graph is left out) plus
the title keys DUP-003 compares; the caller's quads are never changed. A contribution is added, in a graph of
its own, to a loaded copy of the built graph and validated with its focus nodes set to what it describes and
refers to; the graph is removed again afterwards, so the loaded copy serves the next file. Shapes with ``rkgsh:scope`` apply to one of
the two kinds of validation only (shapes/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from recsys_kg.normalize.identifiers import normalize_title
from recsys_kg.rdf.dataset import read_built
from recsys_kg.rdf.graphs import INFERRED, TITLE_KEYS
from recsys_kg.rdf.namespaces import RKG, SH_RKG
from recsys_kg.rdf.rdflib_terms import to_oxigraph
from recsys_kg.rdf.terms import RDF_TYPE
from recsys_kg.shacl.report import Result, ValidationReport
from recsys_kg.validate.shapes import GRAPH_SCOPE, run_shapes

_PAPER = ox.NamedNode(str(RKG.Paper))
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
_TITLE_KEY = ox.NamedNode(str(SH_RKG.titleKey))
# Graphs only the validator's store has: the title keys, and a contribution while it is validated.


def data_store(quads: Iterable[ox.Quad]) -> ox.Store:
    """A new in-memory store of the given quads except the inferred graph's (a built dataset holds the ontology in
    its ontology graph), plus the title keys DUP-003 compares. The validator queries the union of its graphs;
    the quads keep their graphs because copying them into one graph costs more than the validation itself."""
    store = ox.Store()
    fill_store(store, quads)
    return store


def fill_store(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    inferred = INFERRED
    store.bulk_extend(q for q in quads if q.graph_name != inferred)
    store.bulk_extend(title_keys(store, store.quads_for_pattern(None, TITLE, None)))


def title_keys(store: ox.Store, titles: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``?paper rkgsh:titleKey key`` for each title of a paper (in a graph of their own): the resolver's normalized
    title, compared by DUP-003."""
    keys = []
    for quad in titles:
        if (
            isinstance(quad.object, ox.Literal)
            and (key := normalize_title(quad.object.value))
            and next(store.quads_for_pattern(quad.subject, RDF_TYPE, _PAPER), None) is not None
        ):
            keys.append(ox.Quad(quad.subject, _TITLE_KEY, ox.Literal(key), TITLE_KEYS))
    return list(dict.fromkeys(keys))


def validate_quads(quads: Iterable[ox.Quad], engine: str = "sparql") -> ValidationReport:
    """Validate a built dataset (its asserted graphs and the ontology; an inferred graph is left out)."""
    inferred = INFERRED
    store = ox.Store()
    store.bulk_extend(q for q in quads if q.graph_name != inferred)
    return validate_store(store, engine)


def validate_store(store: ox.Store, engine: str = "sparql") -> ValidationReport:
    """Validate the union of a store's graphs, which must not hold an inferred graph; used by `recsys-kg build`
    on the store it reasons in. The title keys are added for the run and removed again.

    A whole graph is validated in the store's terms (run_shapes gets no WrittenLiterals): finding the literals
    the store rewrote means reading every quad's object in Python, ~5 µs a quad (1.2–1.9 s at 10x, as long as
    the validation itself; measured for issue 19), for literals a build writes in canonical form but for model
    sizes (``"8.0"^^xsd:decimal``, 14 at 10x), which no shape reports on and whose sh:datatype verdict is the
    same. Contributions, written by hand, are validated with them (contributions.py)."""
    store.bulk_extend(title_keys(store, store.quads_for_pattern(None, TITLE, None)))
    try:
        results = [_locate_in_store(store, r) for r in run_shapes(store, GRAPH_SCOPE, None, engine)]
    finally:
        store.remove_graph(TITLE_KEYS)
    return ValidationReport(sorted(results, key=Result.sort_key))


def validate_graph_file(path: Path, engine: str = "sparql") -> ValidationReport:
    """Validate a dataset written by `recsys-kg build` (DatasetError if it cannot be read)."""
    return validate_quads(read_built(path), engine)


_LINE, _STATED_IN, _HAS_CELL, _DESCRIBES, _FROM_SOURCE, _FILE_NAME = (
    ox.NamedNode(str(RKG[name]))
    for name in ("lineNumber", "statedIn", "hasCell", "describes", "fromSource", "fileName")
)


def _locate_in_store(store: ox.Store, result: Result) -> Result:
    """Where to fix a result of the built graph: the source list and line of the entry that states the focus
    node (itself, the entry a usage is stated in, the row a cell belongs to, or the first entry describing it)."""
    node = to_oxigraph(result.focus)

    def objects(s, p):
        return [q.object for q in store.quads_for_pattern(s, p, None)]

    def subjects(p, o):
        return [q.subject for q in store.quads_for_pattern(None, p, o)]

    if isinstance(node, ox.Literal):
        return result
    entries = [node] if objects(node, _LINE) else []
    entries = entries or objects(node, _STATED_IN) or subjects(_HAS_CELL, node) or subjects(_DESCRIBES, node)
    places = []
    for entry in entries:
        if isinstance(entry, ox.Literal):
            continue
        lines = [o for o in objects(entry, _LINE) if isinstance(o, ox.Literal)]
        files = [
            f
            for source in objects(entry, _FROM_SOURCE)
            if not isinstance(source, ox.Literal)
            for f in objects(source, _FILE_NAME)
            if isinstance(f, ox.Literal)
        ]
        if files and lines:
            try:
                places.append((files[0].value, int(lines[0].value)))
            except ValueError:
                continue
    if not places:
        return result
    file, line = min(places)
    return replace(result, file=f"data/sources/{file}", line=line)
