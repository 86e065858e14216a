"""Every named graph of the dataset, named once: the IRIs queries, exports and the validator refer to.

Instances live under ``id/`` and named graphs under ``graph/`` of the project's base IRI; the two graphs the
validator adds while checking a contribution live in the shapes namespace, so they can never clash with data.
"""

from __future__ import annotations

import pyoxigraph as ox

from recsys_kg.rdf.namespaces import BASE, SH_RKG

ID_BASE = BASE + "id/"
GRAPH_BASE = BASE + "graph/"


def graph(name: str) -> ox.NamedNode:
    """The named graph ``graph/<name>`` (``vocabulary``, ``source/<id>``, ...)."""
    return ox.NamedNode(GRAPH_BASE + name)


def source_graph(source_id: str) -> ox.NamedNode:
    """The graph holding everything one source list says."""
    return graph("source/" + source_id)


VOCABULARY = graph("vocabulary")
ONTOLOGY = graph("ontology")
INFERRED = graph("inferred")
METADATA = graph("metadata")
TITLE_KEYS = ox.NamedNode(str(SH_RKG.titleKeys))  # validator-only: normalized titles for the duplicate checks
CONTRIBUTION = ox.NamedNode(str(SH_RKG.contribution))  # validator-only: the contribution being checked
