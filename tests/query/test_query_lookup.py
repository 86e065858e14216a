"""Parameters by name: labels, aliases and IRI segments resolve against the graph to RDF terms of the
parameter's class; an unknown, misspelt or ambiguous value is an error listing the closest matches."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from recsys_kg.query.canned import Parameter, QueryError, catalogue
from recsys_kg.query.lookup import Lookup, check_written_iris, needs_graph

ID = "https://w3id.org/recsys-kg/id/"
RKG = "https://w3id.org/recsys-kg/ontology#"
SPECS = catalogue()


@pytest.fixture(scope="module")
def lookup(seed_store: ox.Store) -> Lookup:
    return Lookup(seed_store)


def parameter(rdf_class: str, name: str = "thing", kind: str = "iri") -> Parameter:
    return Parameter(name, None, "test", kind, RKG + rdf_class)


@pytest.mark.parametrize(
    "rdf_class, value, iri",
    [
        ("Company", "Alibaba", "org/alibaba"),  # skos:altLabel (rdfs:label is "Alibaba Group")
        ("Company", "alibaba group", "org/alibaba"),  # the label, any case
        ("Company", "id:org/alibaba", "org/alibaba"),
        ("Company", "id:org\\/alibaba", "org/alibaba"),  # as tables print it
        ("Company", "https://w3id.org/recsys-kg/id/org/alibaba", "org/alibaba"),
        ("TuningStrategy", "LoRA", "tuning/lora"),
        ("TuningStrategy", "Low-Rank Adaptation", "tuning/lora"),  # skos:altLabel
        ("Venue", "RecSys", "venue/recsys"),
        ("SourceList", "llm4rec-zh", "source/llm4rec-zh"),  # the last segment of its IRI
        ("ModelFamily", "llama", "model-family/llama"),
    ],
)
def test_names_resolve_to_the_instance(lookup, rdf_class, value, iri):
    assert lookup.resolve(parameter(rdf_class), value) == [ox.NamedNode(ID + iri)]


def test_a_misspelt_iri_is_an_error_naming_the_closest(lookup):
    with pytest.raises(QueryError) as error:
        lookup.resolve(parameter("Company", "company"), "id:org/alibba")
    assert str(error.value).startswith(
        "parameter 'company': id:org/alibba is not a rkg:Company in the graph; "
        "did you mean: id:org\\/alibaba (Alibaba Group)"
    )


def test_an_unknown_name_is_an_error_naming_the_closest(lookup):
    with pytest.raises(QueryError) as error:
        lookup.resolve(parameter("Venue", "venue"), "RecSis")
    assert "no rkg:Venue is called 'RecSis'; did you mean: id:venue\\/recsys (RecSys)" in str(error.value)


def test_an_iri_of_another_class_is_refused(lookup):
    with pytest.raises(QueryError, match="is not a rkg:Company in the graph"):
        lookup.resolve(parameter("Company"), "id:venue/recsys")


def test_a_name_two_things_share_is_ambiguous():
    store = ox.Store()
    company = ox.NamedNode(RKG + "Company")
    for local in ("acme-us", "acme-eu"):
        thing = ox.NamedNode(ID + "org/" + local)
        graph = ox.NamedNode("https://w3id.org/recsys-kg/graph/vocabulary")
        store.add(ox.Quad(thing, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), company, graph))
        store.add(ox.Quad(thing, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Acme"), graph))
    with pytest.raises(QueryError) as error:
        Lookup(store).resolve(parameter("Company", "company"), "ACME")
    assert str(error.value) == (
        "parameter 'company': 'ACME' names 2 things: id:org\\/acme-eu (Acme); "
        "id:org\\/acme-us (Acme); give one of these IRIs"
    )


def test_papers_resolve_from_every_form(lookup):
    paper = parameter("Paper", "q", "string")
    survey = [ox.NamedNode(ID + "paper/arxiv-2305.19860")]
    for value in ("arXiv:2305.19860", "2305.19860v2", "https://arxiv.org/abs/2305.19860", "id:paper/arxiv-2305.19860"):
        assert lookup.resolve(paper, value) == survey, value
    assert lookup.resolve(paper, "RecGPT") == [
        ox.NamedNode(ID + "paper/arxiv-2404.08675"),
        ox.NamedNode(ID + "paper/arxiv-2405.12715"),
    ]
    with pytest.raises(QueryError, match=r"no paper in the graph has arXiv id 2305\.00447"):
        lookup.resolve(paper, "https://arxiv.org/abs/2305.00447")
    with pytest.raises(QueryError, match=r"no paper matches 'zzzz qqqq'"):
        lookup.resolve(paper, "zzzz qqqq")


def test_terms_bind_names_and_leave_other_parameters_as_written(lookup):
    terms = lookup.terms(SPECS["papers-by-venue-year"], {"venue": "RecSys", "year": "2023"})
    assert terms == {
        "venue": [ox.NamedNode(ID + "venue/recsys")],
        "year": [ox.Literal("2023", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))],
    }


def test_what_needs_the_graph_before_binding():
    spec = SPECS["frozen-llm-industrial-by-company"]
    assert needs_graph(spec, {"company": "Alibaba"}) and not needs_graph(spec, {"company": "id:org/alibaba"})
    assert not needs_graph(SPECS["paper"], {"q": "TALLRec"})  # a string: --text binds it as typed
    with pytest.raises(QueryError, match="must be an absolute IRI"):
        check_written_iris(spec, {"company": "id:org/a> } UNION {"})


def test_an_exact_name_wins_over_names_containing_it(lookup):
    paper = parameter("Paper", "q", "string")
    # ZH:271 "P5 | Recommendation as Language Processing (RLP) ... (P5)"; not P5-ID, UP5 or VIP5
    assert lookup.resolve(paper, "P5") == [ox.NamedNode(ID + "paper/title-c6a70c9391f5f195")]
    assert len(lookup.resolve(paper, "large language models for recommendation")) > 5  # title words: every title
