"""The curated organization catalogue (data/normalization/organizations.yaml) as vocabulary-graph resources."""

from __future__ import annotations

from recsys_kg.normalize.values import organizations
from recsys_kg.rdf import terms as T
from recsys_kg.rdf.graphs import VOCABULARY
from recsys_kg.rdf.quads import QuadSet


def map_organizations(quads: QuadSet) -> None:
    """The curated organization catalogue, with its sub-organization links, in the vocabulary graph."""
    kinds = {"company": "Company", "institution": "ResearchInstitution", "lab": "ResearchInstitution"}
    for organization in organizations():
        o = T.instance("org", organization.key)
        quads.add(o, T.RDF_TYPE, T.org("Organization"), VOCABULARY)
        quads.add(o, T.RDF_TYPE, T.rkg(kinds.get(organization.kind, "Company")), VOCABULARY)
        quads.add(o, T.RDFS_LABEL, T.string(organization.label), VOCABULARY)
        for alias in organization.aliases:
            if alias != organization.label:
                quads.add(o, T.skos("altLabel"), T.string(alias), VOCABULARY)
        if organization.parent:
            quads.add(o, T.org("subOrganizationOf"), T.instance("org", organization.parent), VOCABULARY)
