"""The build's reasoner: one test per OWL 2 RL rule it relies on (named after the rule), what it leaves out,
how it fails, and the entailments the queries use, checked on the seed graph against the source lists."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from recsys_kg.rdf.graphs import INFERRED as INFERRED_GRAPH
from recsys_kg.reason.infer import (
    InconsistencyError,
    ReasoningError,
    entailments,
    infer,
    is_data_entailment,
)
from support import reasoning_quads as quads


def entailed(schema: str, data: str) -> set[str]:
    """Entailments in a compact N-Triples-like form: 'x p y' with ex: names shortened."""

    def short(term):
        text = str(term)
        return (
            text.replace("<http://example.org/", "")
            .replace(">", "")
            .replace("<http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf:")
        )

    return {" ".join(short(t) for t in (x.subject, x.predicate, x.object)) for x in entailments(quads(schema, data))}


def test_cax_sco_subclass_membership():
    assert entailed("ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C .", "ex:x a ex:A .") == {
        "x rdf:type B",
        "x rdf:type C",
    }


def test_cax_eqc_equivalent_classes_both_ways():
    assert entailed("ex:A owl:equivalentClass ex:B .", "ex:x a ex:A . ex:y a ex:B .") == {
        "x rdf:type B",
        "y rdf:type A",
    }


def test_prp_spo1_super_property_also_with_literals():
    assert entailed("ex:p rdfs:subPropertyOf ex:q .", 'ex:x ex:p ex:y , "text" .') == {"x q y", 'x q "text"'}


def test_prp_dom_and_prp_rng_but_no_typing_of_literals():
    assert entailed("ex:p rdfs:domain ex:D ; rdfs:range ex:R .", 'ex:x ex:p ex:y . ex:z ex:p "literal" .') == {
        "x rdf:type D",
        "y rdf:type R",
        "z rdf:type D",
    }


def test_prp_inv_inverse_properties_both_ways():
    assert entailed("ex:p owl:inverseOf ex:q .", "ex:x ex:p ex:y . ex:a ex:q ex:b .") == {"y q x", "b p a"}


def test_prp_symp_symmetric_property():
    assert entailed("ex:p a owl:SymmetricProperty .", "ex:x ex:p ex:y .") == {"y p x"}


def test_prp_trp_transitive_closure():
    assert entailed("ex:p a owl:TransitiveProperty .", "ex:a ex:p ex:b . ex:b ex:p ex:c . ex:c ex:p ex:d .") == {
        "a p c",
        "a p d",
        "b p d",
    }


def test_prp_trp_with_prp_spo1_keeps_the_direct_link_apart():
    """As W3C ORG does: the direct link is a sub-property of the transitive one, so it stays answerable."""
    assert entailed(
        "ex:direct rdfs:subPropertyOf ex:closure . ex:closure a owl:TransitiveProperty .",
        "ex:a ex:direct ex:b . ex:b ex:direct ex:c .",
    ) == {"a closure b", "b closure c", "a closure c"}


def test_cls_int1_and_cls_int2_intersections():
    schema = "ex:C owl:equivalentClass [ owl:intersectionOf ( ex:A ex:B ) ] ."
    assert entailed(schema, "ex:x a ex:A , ex:B . ex:y a ex:A .") == {"x rdf:type C"}
    assert entailed(schema, "ex:z a ex:C .") == {"z rdf:type A", "z rdf:type B"}


def test_cls_uni_union_on_the_subclass_side():
    schema = "[ owl:unionOf ( ex:A [ owl:oneOf ( ex:special ) ] ) ] rdfs:subClassOf ex:U ."
    assert entailed(schema, "ex:x a ex:A .") == {"x rdf:type U", "special rdf:type U"}  # cls-oo + cls-uni


def test_cls_svf1_and_cls_svf2_some_values_from():
    schema = """[ owl:onProperty ex:p ; owl:someValuesFrom ex:D ] rdfs:subClassOf ex:E .
                [ owl:onProperty ex:q ; owl:someValuesFrom owl:Thing ] rdfs:subClassOf ex:F ."""
    assert entailed(schema, "ex:x ex:p ex:y . ex:y a ex:D . ex:z ex:p ex:w . ex:u ex:q ex:v .") == {
        "x rdf:type E",
        "u rdf:type F",
    }


def test_cls_avf_all_values_from():
    schema = "ex:R owl:equivalentClass [ owl:onProperty ex:p ; owl:allValuesFrom ex:D ] ."
    assert entailed(schema, "ex:x a ex:R ; ex:p ex:y .") == {"y rdf:type D"}


def test_cls_hv1_and_cls_hv2_has_value():
    schema = "ex:R owl:equivalentClass [ owl:onProperty ex:p ; owl:hasValue ex:v ] ."
    assert entailed(schema, "ex:x a ex:R . ex:y ex:p ex:v .") == {"x p v", "y rdf:type R"}


def test_cls_oo_one_of():
    assert entailed("ex:C owl:equivalentClass [ owl:oneOf ( ex:a ex:b ) ] .", "") == {"a rdf:type C", "b rdf:type C"}


def test_trivial_and_schema_triples_stay_out():
    # owl:Thing typing, anonymous-class membership and sub-class closure are not data entailments
    found = entailed(
        "ex:A rdfs:subClassOf ex:B , [ owl:onProperty ex:p ; owl:hasValue ex:v ] , owl:Thing . "
        "ex:B rdfs:subClassOf ex:C .",
        "ex:x a ex:A .",
    )
    assert found == {"x rdf:type B", "x rdf:type C", "x p v"}
    assert not is_data_entailment(
        ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"), ox.NamedNode("urn:a"))
    )


def test_nothing_asserted_is_repeated():
    assert entailed("ex:A rdfs:subClassOf ex:B .", "ex:x a ex:A , ex:B .") == set()


def test_infer_writes_the_inferred_graph_sorted():
    inferred = infer(quads("ex:A rdfs:subClassOf ex:B , ex:C .", "ex:y a ex:A . ex:x a ex:A ."))
    assert {q.graph_name for q in inferred} == {INFERRED_GRAPH}
    assert [str(q.subject) + str(q.object) for q in inferred] == sorted(
        str(q.subject) + str(q.object) for q in inferred
    )
    assert len(inferred) == 4


@pytest.mark.parametrize(
    "schema, data, expected",
    [
        (
            "ex:A owl:disjointWith ex:B .",
            "ex:x a ex:A , ex:B .",
            "[cax-dw] <http://example.org/x> is both <http://example.org/A> (in urn:data) and <http://example.org/B> (in "
            "urn:data), which are disjoint",
        ),
        (
            "[] a owl:AllDisjointClasses ; owl:members ( ex:A ex:B ex:C ) . ex:S rdfs:subClassOf ex:C .",
            "ex:y a ex:A , ex:S .",
            "[cax-adc] <http://example.org/y> is both <http://example.org/A> (in urn:data) and <http://example.org/C> (in "
            "inferred), which are disjoint",
        ),
        (
            "ex:Empty rdfs:subClassOf owl:Nothing .",
            "ex:z a ex:Empty .",
            "[cls-nothing2] <http://example.org/z> is a member of owl:Nothing (in inferred)",
        ),
    ],
)
def test_an_inconsistency_raises_naming_rule_node_classes_and_graphs(schema, data, expected):
    with pytest.raises(InconsistencyError) as error:
        entailments(quads(schema, data))
    assert error.value.details == [expected]
    assert str(error.value).startswith("the graph is inconsistent with the ontology (1 contradiction(s)):")


def test_a_construct_without_a_rule_is_refused_not_ignored():
    with pytest.raises(ReasoningError, match=r"no rule for owl:FunctionalProperty \(OWL 2 RL prp-fp\)"):
        entailments(quads("ex:p a owl:FunctionalProperty .", "ex:x ex:p ex:y , ex:z ."))
    with pytest.raises(ReasoningError, match=r"owl:sameAs \(OWL 2 RL eq-rep-s/p/o\)"):
        entailments(quads("", "ex:x owl:sameAs ex:y ."))


def test_the_build_fails_with_exit_1_on_an_inconsistent_graph(monkeypatch, tmp_path):
    """The real seed lists with one extra, wrong axiom (surveys are not papers): every survey contradicts it."""
    from click.testing import CliRunner

    import recsys_kg.build.pipeline
    from recsys_kg.cli.main import main
    from recsys_kg.rdf.ontology import ontology_quads

    wrong = ox.Quad(
        ox.NamedNode("https://w3id.org/recsys-kg/ontology#Survey"),
        ox.NamedNode("http://www.w3.org/2002/07/owl#disjointWith"),
        ox.NamedNode("https://w3id.org/recsys-kg/ontology#Paper"),
        ox.NamedNode("https://w3id.org/recsys-kg/graph/ontology"),
    )
    monkeypatch.setattr(recsys_kg.build.pipeline, "ontology_quads", lambda: [*ontology_quads(), wrong])
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 1
    assert result.output.startswith("error: the graph is inconsistent with the ontology (")
    # A Survey on LLMs for Recommendation: a survey per next-gen-llm-recsys-survey.md line 25, among others
    assert (
        "[cax-dw] id:paper/arxiv-2305.19860 is both rkg:Survey (in source/awesome-llm-enhanced, "
        "source/llm4rec-zh, source/next-gen-survey, source/s2-wu2023) and rkg:Paper (in"
    ) in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written


# The seed graph: each expected fact follows from the source lines named beside it.

RKG = "https://w3id.org/recsys-kg/ontology#"
ID = "https://w3id.org/recsys-kg/id/"


@pytest.fixture(scope="module")
def inferred(seed_build) -> set[tuple[str, str, str]]:
    return {
        (q.subject.value, q.predicate.value, q.object.value) for q in seed_build.quads if q.graph_name == INFERRED_GRAPH
    }


def typed(inferred, iri: str, cls: str) -> bool:
    return (ID + iri, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", RKG + cls) in inferred


def test_seed_cls_svf1_frozen_llm_paper(inferred):
    # awesome-llm-enhanced-recsys.md:29 LLM-KERec "GPT-3.5 (N) / ChatGLM2 (N)": non-finetuned = Frozen
    assert typed(inferred, "paper/arxiv-2402.13750", "FrozenLLMPaper")
    # awesome-llm-enhanced-recsys.md:71 LSVCR "ChatGLM3-6B (F)" and llm4rec-paper-list.zh.md:143 LoRA: never frozen
    assert not typed(inferred, "paper/arxiv-2403.13574", "FrozenLLMPaper")


def test_seed_cls_int1_industrial_paper(inferred):
    # next-gen-llm-recsys-survey.md:336 LLM-KERec, Company "Ant Group"
    assert typed(inferred, "paper/arxiv-2402.13750", "IndustrialPaper")
    # next-gen-llm-recsys-survey.md:348 SINGLE, Company "Taobao, Alibaba"
    assert typed(inferred, "paper/arxiv-2311.07619", "IndustrialPaper")
    # the Wu et al. survey (awesome-llm-enhanced-recsys.md:7) lists institutions, not a deploying company
    assert not typed(inferred, "paper/arxiv-2305.19860", "IndustrialPaper")


def test_seed_cls_hv2_parameter_efficient_strategy_follows_the_hierarchy(inferred):
    # ontology/tuning-strategies.ttl: LoRA, QLoRA, adapter/prefix/prompt tuning are narrower than parameter-efficient
    for key in ("parameter-efficient", "lora", "qlora", "adapter-tuning", "prefix-tuning", "prompt-tuning"):
        assert typed(inferred, f"tuning/{key}", "ParameterEfficientStrategy"), key
    for key in ("frozen", "tuned", "full-finetuning", "partial-finetuning", "instruction-tuning", "unknown"):
        assert not typed(inferred, f"tuning/{key}", "ParameterEfficientStrategy"), key


def test_seed_parameter_efficiently_tuned_paper(inferred):
    # llm4rec-paper-list.zh.md:250 LlamaRec, "LLaMA2 (7B)", "QLoRA"
    assert typed(inferred, "paper/arxiv-2311.02089", "ParameterEfficientlyTunedPaper")
    # llm4rec-paper-list.zh.md:87 SINGLE, "ChatGPT", "Frozen"; awesome-llm-enhanced-recsys.md:64 "ChatGLM-6B (F)"
    assert not typed(inferred, "paper/arxiv-2311.07619", "ParameterEfficientlyTunedPaper")


def test_seed_prp_trp_sub_organizations(inferred):
    # data/normalization/organizations.yaml: taobao parent alibaba, noahs-ark parent huawei
    link = "http://www.w3.org/ns/org#transitiveSubOrganizationOf"
    assert (ID + "org/taobao", link, ID + "org/alibaba") in inferred
    assert (ID + "org/noahs-ark", link, ID + "org/huawei") in inferred
    assert (ID + "org/alibaba", link, ID + "org/taobao") not in inferred


def test_seed_prp_trp_taxonomy_closure(inferred):
    skos = "http://www.w3.org/2004/02/skos/core#"
    # llm4rec-paper-list.zh.md:52, 64, 67: <h2 id="1">, <h3 id="1.1">, <h4 id="1.1.1">
    assert (ID + "concept/llm4rec-zh/1.1.1", skos + "broaderTransitive", ID + "concept/llm4rec-zh/1") in inferred
    assert (ID + "concept/llm4rec-zh/1", skos + "narrowerTransitive", ID + "concept/llm4rec-zh/1.1.1") in inferred
    # next-gen-llm-recsys-survey.md:114, 245, 246, 257: Scheming and Utilizing > ... > Low-Rank Adaptation (LoRA)
    lora = "concept/next-gen-survey/scheming-and-utilizing/generative-llm-based-approaches/llm-retraing/low-rank-adaptation-lora"
    assert (ID + lora, skos + "broaderTransitive", ID + "concept/next-gen-survey/scheming-and-utilizing") in inferred


def test_seed_inferred_graph_holds_no_trivial_or_repeated_triple(seed_build, inferred):
    asserted = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in seed_build.quads
        if q.graph_name != INFERRED_GRAPH and not isinstance(q.subject, ox.BlankNode)
    }
    assert inferred.isdisjoint(asserted)
    assert not any(
        o == "http://www.w3.org/2002/07/owl#Thing" or p == "http://www.w3.org/2002/07/owl#sameAs"
        for _, p, o in inferred
    )
    assert all(
        not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        for q in seed_build.quads
        if q.graph_name == INFERRED_GRAPH
    )
