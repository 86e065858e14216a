"""Papers carry their identifiers as the IRIs scholarly graphs use (dblp:doi, schema:sameAs), and the documented
example query joins the dump with a fixture shaped like dblp's RDF."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
DBLP_DOI = ox.NamedNode("https://dblp.org/rdf/schema#doi")
SAME_AS = ox.NamedNode("https://schema.org/sameAs")
PAPER = "https://w3id.org/recsys-kg/id/paper/"


def objects(store: ox.Store, subject: str, predicate: ox.NamedNode) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(ox.NamedNode(subject), predicate, None)}


def test_identifiers_as_iris(seed_store):
    survey = PAPER + "arxiv-2305.19860"
    # arXiv's DOI derived from the arXiv id as dblp spells it, and as the Semantic Scholar record gives it (the
    # graph keeps DOIs in lower case; DOIs are case-insensitive)
    assert objects(seed_store, survey, DBLP_DOI) == {
        "https://doi.org/10.48550/arXiv.2305.19860",
        "https://doi.org/10.48550/arxiv.2305.19860",
    }
    assert "https://arxiv.org/abs/2305.19860" in objects(seed_store, survey, SAME_AS)
    tallrec = next(
        q.subject.value
        for q in seed_store.quads_for_pattern(
            None, ox.NamedNode("https://w3id.org/recsys-kg/ontology#doi"), ox.Literal("10.1145/3604915.3608857")
        )
    )
    assert "https://doi.org/10.1145/3604915.3608857" in objects(seed_store, tallrec, DBLP_DOI)
    assert "https://doi.org/10.1145/3604915.3608857" in objects(seed_store, tallrec, SAME_AS)
    page = "https://www.semanticscholar.org/paper/3b3b1aba98388dead7c1cf964eff34de85b50af7"  # LlamaRec on the s2 page
    assert page in objects(seed_store, PAPER + "arxiv-2311.02089", SAME_AS)


def test_every_identifier_has_its_iri_in_the_same_graph(seed_store):
    for q in seed_store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/recsys-kg/ontology#arxivId"), None):
        expected = ox.NamedNode("https://arxiv.org/abs/" + q.object.value)
        assert list(seed_store.quads_for_pattern(q.subject, SAME_AS, expected, q.graph_name)), q


def test_the_example_query_joins_with_dblp(seed_build_dir):
    store = ox.Store()  # in memory: the dump and the dblp fixture side by side
    store.bulk_load(path=str(seed_build_dir / "recsys-kg.nq"), format=ox.RdfFormat.N_QUADS)
    store.load(
        path=str(ROOT / "tests" / "fixtures" / "dblp" / "dblp-shaped.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("https://dblp.org"),
    )
    query = (ROOT / "docs" / "examples" / "join-dblp.rq").read_text(encoding="utf-8")
    rows = [(r["paper"].value, r["dblp_record"].value, r["dblp_year"].value) for r in store.query(query)]
    tallrec = next(
        q.subject.value
        for q in store.quads_for_pattern(
            None, ox.NamedNode("https://w3id.org/recsys-kg/ontology#doi"), ox.Literal("10.1145/3604915.3608857")
        )
    )
    assert rows == sorted(
        [
            (PAPER + "arxiv-2305.19860", "https://dblp.org/rec/journals/corr/fixture-2305-19860", "2023"),
            (tallrec, "https://dblp.org/rec/conf/recsys/fixture-tallrec", "2023"),
        ]
    )
