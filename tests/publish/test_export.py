"""`recsys-kg export`: every format round-trips through pyoxigraph and rdflib with the same quads; literals are
canonical and portable; what cannot be made portable is refused with the quad; outputs are byte-identical."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from recsys_kg.cli.main import main
from recsys_kg.publish.export import MARKER, ExportError, canonical_literal, export, portable
from recsys_kg.rdf.dataset import FORMATS, read_dataset
from stores.launch import exported

XSD = "http://www.w3.org/2001/XMLSchema#"
G = ox.NamedNode("https://w3id.org/recsys-kg/graph/test")


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def quad(obj, graph=G, subject="https://w3id.org/recsys-kg/id/paper/x") -> ox.Quad:
    return ox.Quad(ox.NamedNode(subject), ox.NamedNode("https://w3id.org/recsys-kg/ontology#p"), obj, graph)


def out_path(tmp: Path, fmt: str) -> Path:
    return tmp / (fmt if fmt in ("ttl", "nt") else f"recsys-kg.{fmt}")


def canonical(quads) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def to_ox(term):
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD + "string")))


def read_with_rdflib(path: Path) -> list[ox.Quad]:
    """An independent reader: rdflib, with the per-graph directory convention (file + <file>.graph)."""
    dataset = rdflib.Dataset()
    if path.is_dir():
        for file in sorted(path.glob("*.ttl")) + sorted(path.glob("*.nt")):
            name = file.with_name(file.name + ".graph").read_text(encoding="utf-8").strip()
            dataset.graph(rdflib.URIRef(name)).parse(file, format="turtle" if file.suffix == ".ttl" else "nt")
    else:
        dataset.parse(path, format={".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld"}[path.suffix])
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in dataset.quads()]


@pytest.fixture(scope="module")
def expected(seed_build_dir: Path) -> list[ox.Quad]:
    return portable(read_dataset(seed_build_dir / "recsys-kg.nq"))


@pytest.fixture(scope="module")
def exports(seed_build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {fmt: exported(tmp_path_factory, seed_build_dir / "recsys-kg.nq", fmt) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_format_round_trips_through_pyoxigraph_with_the_same_quads(fmt, exports, expected):
    assert canonical(read_dataset(exports[fmt])) == canonical(expected)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_format_round_trips_through_rdflib_with_the_same_quads(fmt, exports, expected):
    assert canonical(read_with_rdflib(exports[fmt])) == canonical(expected)


def test_every_named_graph_and_quad_of_the_build_is_exported(expected, seed_build):
    graphs = {q.graph_name.value for q in expected}
    assert graphs == {str(q.graph_name.value) for q in seed_build.quads}
    assert len(expected) == len(seed_build.quads)


def test_exported_literals_are_what_oxigraph_stores(expected):
    """The canonical forms are Oxigraph's own: loading them into a store changes nothing, so the embedded engine,
    the Oxigraph server and the files agree to the byte."""
    store = ox.Store()
    store.extend(expected)
    assert canonical(store) == canonical(expected)


def test_exports_are_byte_identical_across_runs(seed_build_dir, exports, tmp_path):
    for fmt, first in exports.items():
        again = export(seed_build_dir / "recsys-kg.nq", fmt, out_path(tmp_path, fmt)).path
        if first.is_dir():
            names = sorted(p.name for p in first.iterdir())
            assert names == sorted(p.name for p in again.iterdir())
            assert all((first / n).read_bytes() == (again / n).read_bytes() for n in names)
        else:
            assert first.read_bytes() == again.read_bytes()


def test_triple_formats_write_one_file_per_graph_with_the_graph_iri_beside_it(exports):
    directory = exports["ttl"]
    assert (directory / "vocabulary.ttl.graph").read_text() == "https://w3id.org/recsys-kg/graph/vocabulary\n"
    assert (directory / "source__llm4rec-zh.ttl.graph").read_text().strip().endswith("/graph/source/llm4rec-zh")
    assert (directory / MARKER).is_file()


def test_jsonld_names_every_graph_and_has_no_default_graph_node(exports):
    """rdflib's dataset JSON-LD puts the default graph in an @graph without @id, which Oxigraph and Jena read as
    a blank-node graph (stores.md §5); ours has one top-level object per graph, each with its @id."""
    import json

    document = json.loads(exports["jsonld"].read_text(encoding="utf-8"))
    assert isinstance(document, list) and all(set(node) == {"@id", "@graph"} for node in document)


@pytest.mark.parametrize(
    ("given", "canonical_form"),
    [
        (typed("042", "integer"), typed("42", "integer")),
        (typed("+7", "integer"), typed("7", "integer")),
        (typed("7.0", "decimal"), typed("7", "decimal")),
        (typed("1.50", "decimal"), typed("1.5", "decimal")),
        (typed("-0.0", "decimal"), typed("0", "decimal")),
        (typed("1", "boolean"), typed("true", "boolean")),
        (typed("0", "boolean"), typed("false", "boolean")),
        (ox.Literal("colour", language="en-GB"), ox.Literal("colour", language="en-gb")),
        (typed("2023", "gYear"), typed("2023", "gYear")),
    ],
)
def test_literals_are_written_in_canonical_form(given, canonical_form):
    assert canonical_literal(given) == canonical_form


@pytest.mark.parametrize(
    ("literal", "reason"),
    [
        (typed("12345678901234567890", "integer"), "integer beyond 64 bits"),
        (typed("-9223372036854775809", "integer"), "integer beyond 64 bits"),
        (typed("-0044", "gYear"), "year before 1 CE"),
        (typed("abc", "integer"), "ill-typed literal"),
        (typed("2023-13", "gYearMonth"), "ill-typed literal"),
    ],
)
def test_literals_no_store_keeps_are_refused_with_the_quad(literal, reason):
    with pytest.raises(ExportError) as caught:
        portable([quad(typed("1", "integer")), quad(literal)])
    assert caught.value.code == 1
    assert reason in str(caught.value) and "https://w3id.org/recsys-kg/id/paper/x" in str(caught.value)
    assert "1 quads have no portable form" in str(caught.value)


def test_largest_64_bit_integer_is_kept():
    assert canonical_literal(typed("9223372036854775807", "integer")).value == "9223372036854775807"


@pytest.mark.parametrize("as_subject", [False, True])
def test_blank_node_shared_by_two_graphs_cannot_go_to_per_graph_files(tmp_path, as_subject):
    shared = ox.BlankNode("b1")
    data = tmp_path / "shared.nq"
    second = quad(ox.Literal("x"), ox.NamedNode("https://example.org/g2"), subject="https://e.org/s")
    if as_subject:
        second = ox.Quad(shared, second.predicate, second.object, second.graph_name)
    else:
        second = ox.Quad(second.subject, second.predicate, shared, second.graph_name)
    data.write_bytes(ox.serialize([quad(ox.BlankNode("b10")), quad(shared), second], format=ox.RdfFormat.N_QUADS))
    with pytest.raises(ExportError, match="blank node _:b1 occurs in two graphs") as caught:
        export(data, "ttl", tmp_path / "out")
    assert caught.value.code == 1
    export(data, "trig", tmp_path / "out.trig")  # a quad format keeps it


def test_blank_nodes_of_different_files_stay_apart_when_reading_a_directory(tmp_path):
    directory = tmp_path / "dir"
    directory.mkdir()
    for name in ("a", "b"):
        (directory / f"{name}.nt").write_text('_:b0 <https://example.org/p> "x" .\n', encoding="utf-8")
        (directory / f"{name}.nt.graph").write_text(f"https://example.org/{name}\n", encoding="utf-8")
    subjects = {q.subject for q in read_dataset(directory)}
    assert len(subjects) == 2


def test_export_refuses_to_replace_a_directory_it_did_not_write(seed_build_dir, tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="refusing to replace"):
        export(seed_build_dir / "recsys-kg.nq", "nt", foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_reexport_replaces_its_own_directory_without_stale_files(seed_build_dir, tmp_path):
    out = tmp_path / "nt"
    export(seed_build_dir / "recsys-kg.nq", "nt", out)
    export(seed_build_dir / "recsys-kg.nq", "nt", out, graphs=["vocabulary"])
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "vocabulary.nt", "vocabulary.nt.graph"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_graph_selection_and_unknown_graph(seed_build_dir, tmp_path):
    summary = export(seed_build_dir / "recsys-kg.nq", "nq", tmp_path / "v.nq", graphs=["vocabulary", "metadata"])
    assert summary.graphs == 2
    with pytest.raises(ExportError, match=r"no such graph in the dataset: https://w3id.org/recsys-kg/graph/nope"):
        export(seed_build_dir / "recsys-kg.nq", "nq", tmp_path / "x.nq", graphs=["nope"])


def test_cli_export_writes_the_file_and_says_so(seed_build_dir, tmp_path):
    out = tmp_path / "g.trig"
    result = CliRunner().invoke(
        main, ["export", "--format", "trig", "--dataset", str(seed_build_dir / "recsys-kg.nq"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "named graphs to" in result.output and out.is_file()


def test_cli_export_of_non_portable_data_exits_1_naming_the_quad(tmp_path):
    data = tmp_path / "big.nq"
    data.write_bytes(ox.serialize([quad(typed("12345678901234567890", "integer"))], format=ox.RdfFormat.N_QUADS))
    result = CliRunner().invoke(main, ["export", "--dataset", str(data), "--out", str(tmp_path / "o.nq")])
    assert result.exit_code == 1
    assert "integer beyond 64 bits" in result.output and "12345678901234567890" in result.output
    assert not (tmp_path / "o.nq").exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "missing.nq", "does not exist: run `recsys-kg build` first"),
        (
            '<https://e.org/s> <https://e.org/p> "x" <https://e.org/g> .\n<https://e.org/s> oops\n',
            "bad.nq",
            "bad.nq: not valid NQ",
        ),
        ("", "data.csv", "unknown RDF file extension '.csv'"),
        ('<https://e.org/s> <https://e.org/p> "x" .\n', "single.ttl", "a single ttl file has no named graphs"),
    ],
)
def test_cli_export_of_unreadable_input_exits_2_naming_the_file(tmp_path, content, name, message):
    data = tmp_path / name
    if content is not None:
        data.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--dataset", str(data), "--out", str(tmp_path / "o.nq")])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_cli_export_bad_sidecar_names_file_and_line(tmp_path):
    directory = tmp_path / "dir"
    directory.mkdir()
    (directory / "a.nt").write_text('<https://e.org/s> <https://e.org/p> "x" .\n', encoding="utf-8")
    (directory / "a.nt.graph").write_text("not an iri\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "--dataset", str(directory), "--out", str(tmp_path / "o.nq")])
    assert result.exit_code == 2 and "a.nt.graph:1: not an IRI" in result.output


@pytest.mark.parametrize("command", ["export", "load", "serve"])
def test_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_order_and_duplicates_are_those_of_the_terms_text(tmp_path):
    """The export orders each graph by sorting its N-Quads lines as bytes (portable.py); the order promised is
    (graph, subject, predicate, object) by their N-Triples text, duplicates removed after canonicalization. Terms
    where the two could part: one term a prefix of another, escapes, characters beyond the BMP, numbers that
    become equal, the default graph and a blank-node graph name."""
    import random

    subjects = [
        ox.NamedNode("https://e.org/a"),
        ox.NamedNode("https://e.org/a/b"),
        ox.NamedNode("https://e.org/a-"),
        ox.BlankNode("b1"),
        ox.BlankNode("b10"),
        ox.BlankNode("b1x"),
    ]
    objects = [
        ox.Literal("x"),
        ox.Literal("x", language="en"),
        ox.Literal("x", language="EN-gb"),
        ox.Literal("x "),
        ox.Literal('x"y'),
        ox.Literal("x\ty\n"),
        ox.Literal("x\\"),
        ox.Literal("é"),
        ox.Literal("𝄞"),
        ox.Literal("\u0001"),
        typed("042", "integer"),
        typed("42", "integer"),
        typed("4", "integer"),
        typed("1.50", "decimal"),
        typed("1.5", "decimal"),
        typed("x", "string"),
        ox.NamedNode("https://e.org/a"),
        ox.BlankNode("b1"),
        ox.BlankNode("b10"),
    ]
    graphs = [ox.NamedNode("https://e.org/g"), ox.NamedNode("https://e.org/g/2"), ox.DefaultGraph(), ox.BlankNode("g1")]
    predicates = [ox.NamedNode("https://e.org/p"), ox.NamedNode("https://e.org/p2")]
    quads = [ox.Quad(s, p, o, g) for s in subjects for p in predicates for o in objects for g in graphs]
    random.Random(7).shuffle(quads)
    quads += quads[:50]  # and exact duplicates
    canonical_quads = {
        ox.Quad(q.subject, q.predicate, canonical_literal(q.object), q.graph_name)
        if isinstance(q.object, ox.Literal)
        else q
        for q in quads
    }
    expected = sorted(canonical_quads, key=lambda q: tuple(map(str, (q.graph_name, q.subject, q.predicate, q.object))))
    assert portable(quads) == expected
    data = tmp_path / "tricky.nq"
    data.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    export(data, "nq", tmp_path / "out.nq")
    assert (tmp_path / "out.nq").read_bytes() == ox.serialize(expected, format=ox.RdfFormat.N_QUADS)


def test_a_selected_graph_with_only_unportable_quads_is_reported_as_unportable(tmp_path):
    data = tmp_path / "big.nq"
    data.write_bytes(ox.serialize([quad(typed("12345678901234567890", "integer"))], format=ox.RdfFormat.N_QUADS))
    with pytest.raises(ExportError, match="1 quads have no portable form") as caught:
        export(data, "nq", tmp_path / "o.nq", graphs=["test"])
    assert caught.value.code == 1
