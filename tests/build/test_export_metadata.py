"""The metadata graph (VoID + dataset metadata) the build adds: its counts are the dataset's, it names the
version and the sources with what is known of their licences, and it holds no timestamp unless asked."""

from __future__ import annotations

from collections import Counter, defaultdict

import pyoxigraph as ox

from recsys_kg import __version__, paths
from recsys_kg.build.metadata import DATASET, NO_LICENCE, dataset_description
from recsys_kg.ingest import load_manifest
from recsys_kg.rdf.graphs import METADATA as METADATA_GRAPH

VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def values(store: ox.Store, subject: ox.NamedNode, predicate: str) -> list:
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, METADATA_GRAPH)]


def integer(store: ox.Store, subject: ox.NamedNode, local: str) -> int:
    (value,) = values(store, subject, VOID + local)
    return int(value.value)


def test_void_counts_are_the_counts_of_each_graph(seed_store):
    data = [q for q in seed_store if q.graph_name != METADATA_GRAPH]
    per_graph = Counter(q.graph_name.value for q in data)
    subsets = {s.value for s in values(seed_store, DATASET, VOID + "subset")}
    assert subsets == set(per_graph)
    for graph, count in per_graph.items():
        node = ox.NamedNode(graph)
        assert integer(seed_store, node, "triples") == count
        assert integer(seed_store, node, "properties") == len({q.predicate for q in data if q.graph_name == node})
    assert integer(seed_store, DATASET, "triples") == len(data)


def test_class_partitions_count_the_typed_entities(seed_store):
    members = defaultdict(set)
    for q in seed_store:
        if q.graph_name != METADATA_GRAPH and q.predicate.value == RDF_TYPE:
            members[q.object.value].add(q.subject)
    partitions = values(seed_store, DATASET, VOID + "classPartition")
    assert len(partitions) == len(members) == integer(seed_store, DATASET, "classes")
    for partition in partitions:
        (cls,) = values(seed_store, partition, VOID + "class")
        assert integer(seed_store, partition, "entities") == len(members[cls.value])
    paper = [p for p in partitions if p.value.endswith("/class/rkg-Paper")]
    assert paper and integer(seed_store, paper[0], "entities") > 300


def test_version_and_sources_with_their_licence_statements(seed_store):
    (version,) = values(seed_store, DATASET, "http://www.w3.org/2002/07/owl#versionInfo")
    assert version.value == __version__
    sources = {s.value.rsplit("/", 1)[1] for s in values(seed_store, DATASET, "http://purl.org/dc/terms/source")}
    assert sources == {spec.id for spec in load_manifest(paths.sources_dir())}
    for source in values(seed_store, DATASET, "http://purl.org/dc/terms/source"):
        assert values(seed_store, source, "http://purl.org/dc/terms/rights")
    s2 = ox.NamedNode("https://w3id.org/recsys-kg/id/source/s2-wu2023")
    licences = {spec.id: spec.license for spec in load_manifest(paths.sources_dir())}
    assert values(seed_store, s2, "http://purl.org/dc/terms/license") == [ox.NamedNode(licences["s2-wu2023"])]


def test_lists_said_to_state_no_licence_indeed_state_none():
    """The "no licence stated" statement is a fact about the files as received: keep it true."""
    for spec in load_manifest(paths.sources_dir()):
        if spec.license is None:
            text = (paths.sources_dir() / spec.file).read_text(encoding="utf-8").lower()
            assert "licen" not in text and "许可" not in text, f"{spec.file} mentions a licence: update manifest.yaml"
    assert "No licence" in NO_LICENCE


def test_no_timestamp_unless_source_date_epoch(monkeypatch, seed_build):
    quads = list(seed_build.quads)
    modified = ox.NamedNode("http://purl.org/dc/terms/modified")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert not [q for q in dataset_description(quads, ["x"]) if q.predicate == modified]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (dated,) = [q for q in dataset_description(quads, ["x"]) if q.predicate == modified]
    assert dated.object == ox.Literal("2026-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert not [q for q in dataset_description(quads, ["x"]) if q.predicate == modified]


def test_description_ignores_an_older_metadata_graph_in_its_input(seed_build):
    graph = METADATA_GRAPH.value
    quads = list(seed_build.quads)
    assert any(q.graph_name.value == graph for q in quads)
    assert sorted(map(str, dataset_description(quads, ["s"]))) == sorted(
        map(str, dataset_description([q for q in quads if q.graph_name.value != graph], ["s"]))
    )
