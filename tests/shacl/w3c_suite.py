"""The W3C SHACL Core test suite (``../shared/w3c-shacl-core/``) read and compared the way the suite defines.

Each test file holds (or names) a data graph and a shapes graph and the expected ``sh:ValidationReport``. A
report passes when ``sh:conforms`` and the multiset of results are equal, a result being its focus node, path,
value, severity, source shape and constraint component (messages and sh:sourceConstraint are not compared).
Blank nodes are compared by structure (their outgoing triples, recursively), so the data's and the expected
report's labels need not agree. Files are parsed by pyoxigraph and handed to rdflib without literal
normalization: ``"4.0"^^xsd:decimal`` must come back as written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD

from recsys_kg.rdf.namespaces import SH
from recsys_kg.shacl.report import Result, render_path
from support import unavailable

SUITE = Path(__file__).resolve().parents[3] / "shared" / "w3c-shacl-core"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
_DEPTH = 4  # how deep blank nodes are compared structurally (the suite's are at most 3 levels deep)


def require_suite() -> Path:
    """The suite's folder; without it the test skips saying so, except under CI, where it fails."""
    if (SUITE / "manifest.ttl").is_file():
        return SUITE
    message = f"the W3C SHACL Core suite is not at {SUITE} (a copy of w3c/data-shapes tests/core)"
    unavailable(message)


@cache
def quads(path: Path) -> tuple[ox.Quad, ...]:
    """A Turtle file's triples exactly as written, parsed once (blank node labels are fresh on every parse, and
    the data, the shapes and the expected report of one file must share them)."""
    return tuple(ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))


def parse(*paths: Path) -> rdflib.Graph:
    """Turtle files as one rdflib graph with every term exactly as written (pyoxigraph keeps lexical forms;
    rdflib's Turtle parser would normalize ``"1"^^xsd:boolean`` to ``true``)."""
    graph = rdflib.Graph()
    for path in dict.fromkeys(paths):
        for quad in quads(path):
            graph.add((as_rdflib(quad.subject), as_rdflib(quad.predicate), as_rdflib(quad.object)))
    return graph


def as_rdflib(term) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)


@dataclass
class Case:
    """One test: its id (``folder/name``), data and shapes files and the expected report."""

    id: str
    folder: str
    data: Path
    shapes: Path
    conforms: bool
    expected: Counter


def cases(suite: Path) -> list[Case]:
    found = []
    top = parse(suite / "manifest.ttl")
    for folder_manifest in sorted(top.objects(None, MF.include), key=str):
        folder_path = Path(folder_manifest.removeprefix("file://"))
        listing = parse(folder_path)
        for test_file in sorted(listing.objects(None, MF.include), key=str):
            path = Path(test_file.removeprefix("file://"))
            graph = parse(path)
            for entries in graph.objects(None, MF.entries):
                for test in rdflib.collection.Collection(graph, entries):
                    found.append(_case(graph, test, folder_path.parent.name))
    return found


def _case(graph: rdflib.Graph, test, folder: str) -> Case:
    action, expected = graph.value(test, MF.action), graph.value(test, MF.result)
    data = Path(str(graph.value(action, SHT.dataGraph)).removeprefix("file://"))
    shapes = Path(str(graph.value(action, SHT.shapesGraph)).removeprefix("file://"))
    conforms = str(graph.value(expected, SH.conforms)) == "true"
    results = Counter(result_key(graph, node, graph) for node in graph.objects(expected, SH.result))
    return Case(f"{folder}/{Path(str(test)).name}", folder, data, shapes, conforms, results)


def result_key(report: rdflib.Graph, node, terms: rdflib.Graph) -> tuple:
    """An expected result as a comparable key (its terms described in ``terms``, the test file)."""
    return (
        term_key(terms, report.value(node, SH.focusNode)),
        render_path(report, report.value(node, SH.resultPath)),
        term_key(terms, report.value(node, SH.value)),
        str(report.value(node, SH.resultSeverity)),
        term_key(terms, report.value(node, SH.sourceShape)),
        str(report.value(node, SH.sourceConstraintComponent)),
    )


def engine_key(result: Result, terms: rdflib.Graph) -> tuple:
    """A result of either engine as a comparable key (its terms described in ``terms``: data and shapes)."""
    severity = SH[result.severity] if result.severity in ("Violation", "Warning", "Info") else result.severity
    return (
        term_key(terms, result.focus),
        result.path,
        term_key(terms, result.value),
        str(severity),
        term_key(terms, result.shape_node),
        str(SH[result.component]),
    )


def term_key(graph: rdflib.Graph, term, depth: int = _DEPTH):
    """IRIs and literals as themselves (lexical form, datatype and language exactly); blank nodes by their
    outgoing triples, compared recursively (RDF lists and nested shapes included)."""
    if term is None:
        return None
    if isinstance(term, rdflib.Literal):
        datatype = "" if term.language else str(term.datatype or XSD.string)
        return ("L", str(term), datatype, term.language or "")
    if not isinstance(term, rdflib.BNode):
        return ("I", str(term))
    if depth == 0:
        return ("B",)
    return ("B", tuple(sorted((str(p), repr(term_key(graph, o, depth - 1))) for p, o in graph.predicate_objects(term))))
