"""Every namespace the project uses, in one place.

Schema terms use hash IRIs (``…/ontology#Paper``), shapes a sibling ``…/shapes#``, instances typed slash paths
(``…/id/paper/arxiv-2305.19860``) and named graphs ``…/graph/<name>``. Prefix headers of generated files and
queries are produced from :data:`PREFIXES`, so a prefix is never spelled twice.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/recsys-kg/"
RKG = Namespace(BASE + "ontology#")
SH_RKG = Namespace(BASE + "shapes#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ORG = Namespace("http://www.w3.org/ns/org#")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
DBLP = Namespace("https://dblp.org/rdf/schema#")  # dblp KG's schema: dblp:doi links a paper to its DOI as an IRI
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, Namespace] = {
    "rkg": RKG,
    "rkgsh": SH_RKG,
    "id": ID,
    "graph": GRAPH,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "foaf": Namespace(str(FOAF)),
    "org": ORG,
    "fabio": FABIO,
    "cito": CITO,
    "sh": SH,
    "void": VOID,
}


def sparql_prefixes() -> str:
    """The PREFIX block for SPARQL text, generated so it never drifts from :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def bind_prefixes(graph) -> None:
    """Bind every project prefix on an rdflib graph or dataset (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


# Longest namespace first, so ``id:`` wins over a shorter namespace that is a prefix of the same IRI.
_BY_LENGTH = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda item: -len(item[1]))


def compact_iri(iri: str, skip: tuple[str, ...] = ("graph",)) -> str | None:
    """``prefix:local`` for an IRI in one of the project's namespaces (other than those in ``skip``), else None.
    The one place IRIs are shortened for people (tables, messages, validation results)."""
    for prefix, ns in _BY_LENGTH:
        if prefix not in skip and iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return None
