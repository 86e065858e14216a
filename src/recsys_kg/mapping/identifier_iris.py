"""Every identifier a list gives for a paper, also as the IRI the big scholarly graphs use for it, so the dump
joins with theirs (see docs/release.md, "Joining with dblp"):

- ``dblp:doi <https://doi.org/10.…>``: dblp KG's property for a paper's DOI, an IRI under https://doi.org/. An
  arXiv paper's DOI is the one arXiv registers for every paper, ``10.48550/arXiv.<id>`` (what dblp records for
  CoRR papers), so arXiv-only papers join too. DOIs are case-insensitive and the graph keeps them in lower case;
  compare ``LCASE(STR(?doi))`` when joining.
- ``schema:sameAs`` the paper's pages at https://arxiv.org/abs/, https://doi.org/ and Semantic Scholar: the
  property Wikidata exports and schema.org readers follow for "the same thing, elsewhere". Not ``owl:sameAs``:
  under OWL 2 RL (the build's reasoner) it would copy every statement about the paper to each of those IRIs.

Each triple is added to the named graph that stated the identifier, so provenance stays per list.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pyoxigraph as ox

from recsys_kg.rdf.namespaces import DBLP, SCHEMA
from recsys_kg.rdf.quads import QuadSet
from recsys_kg.rdf.terms import rkg

DBLP_DOI = ox.NamedNode(str(DBLP) + "doi")
SAME_AS = ox.NamedNode(str(SCHEMA) + "sameAs")
_UNSAFE = re.compile(r"[^A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]")


def _iri(prefix: str, identifier: str) -> ox.NamedNode:
    """``prefix`` + the identifier, with characters an IRI may not hold percent-encoded (identifiers are data)."""
    return ox.NamedNode(prefix + _UNSAFE.sub(lambda m: quote(m.group(0), safe=""), identifier))


def doi_iri(doi: str) -> ox.NamedNode:
    return _iri("https://doi.org/", doi)


def arxiv_doi(arxiv_id: str) -> str:
    return f"10.48550/arXiv.{arxiv_id}"


def _arxiv(identifier: str) -> list[tuple[ox.NamedNode, ox.NamedNode]]:
    return [(DBLP_DOI, doi_iri(arxiv_doi(identifier))), (SAME_AS, _iri("https://arxiv.org/abs/", identifier))]


def _doi(identifier: str) -> list[tuple[ox.NamedNode, ox.NamedNode]]:
    return [(DBLP_DOI, doi_iri(identifier)), (SAME_AS, doi_iri(identifier))]


def _semantic_scholar(identifier: str) -> list[tuple[ox.NamedNode, ox.NamedNode]]:
    return [(SAME_AS, _iri("https://www.semanticscholar.org/paper/", identifier))]


_FORMS = {"arxivId": _arxiv, "doi": _doi, "semanticScholarId": _semantic_scholar}


def add_identifier_iris(quads: QuadSet) -> None:
    """Add the IRI forms of every rkg:arxivId, rkg:doi and rkg:semanticScholarId, in the graph stating it."""
    added: list[ox.Quad] = []
    for name, forms in _FORMS.items():
        for graph, stated in quads.with_predicate(rkg(name)):
            for q in stated:
                if isinstance(q.object, ox.Literal) and not isinstance(graph, ox.DefaultGraph):
                    added += [ox.Quad(q.subject, p, o, graph) for p, o in forms(q.object.value)]
    quads.update(added)
