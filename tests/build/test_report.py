"""Report counts: a node typed in several graphs counts once; the ontology graph's typing counts for nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pyoxigraph as ox

from recsys_kg.build.report import _class_counts, shared_method_names
from recsys_kg.rdf.graphs import GRAPH_BASE, ID_BASE
from recsys_kg.rdf.quads import QuadSet
from recsys_kg.rdf.terms import RDF_TYPE, RDFS_LABEL, rkg


def test_class_counts_are_distinct_nodes_outside_the_ontology_graph():
    quads = QuadSet()
    source, other, inferred, ontology = (
        ox.NamedNode(GRAPH_BASE + g) for g in ("source/a", "source/b", "inferred", "ontology")
    )
    paper, entry = ox.NamedNode(ID_BASE + "paper/p1"), ox.NamedNode(ID_BASE + "entry/e1")
    for graph in (source, other, inferred):
        quads.add(paper, RDF_TYPE, rkg("Paper"), graph)
    quads.add(ox.BlankNode("p1"), RDF_TYPE, rkg("Paper"), source)  # a blank node is not the IRI of the same text
    quads.add(entry, RDF_TYPE, rkg("TableRowEntry"), source)
    quads.add(entry, RDF_TYPE, rkg("Entry"), inferred)
    quads.add(rkg("Paper"), RDF_TYPE, rkg("Paper"), ontology)
    counts = _class_counts(SimpleNamespace(quads=quads))
    assert counts["Paper"] == 2
    assert counts["Entry"] == 1
    assert counts["Survey"] == 0


def test_shared_method_names_group_papers_by_case_folded_label():
    quads, graph = QuadSet(), ox.NamedNode(GRAPH_BASE + "source/a")
    for n, (label, paper) in enumerate([("RecGPT", "p1"), ("recgpt", "p2"), ("Other", "p3")]):
        method = ox.NamedNode(f"{ID_BASE}method/m{n}")
        quads.add(method, RDFS_LABEL, ox.Literal(label), graph)
        quads.add(method, rkg("proposedIn"), ox.NamedNode(f"{ID_BASE}paper/{paper}"), graph)
    assert shared_method_names(SimpleNamespace(quads=quads)) == {"recgpt": [f"{ID_BASE}paper/p1", f"{ID_BASE}paper/p2"]}
