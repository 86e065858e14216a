"""`recsys-kg release`: the files verify with sha256sum -c, the dump loads into Oxigraph with the counts its VoID
states, the metadata conforms to the release shape (and a broken one does not), and releases are deterministic."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from recsys_kg.build.pipeline import build_dataset, write_outputs
from recsys_kg.cli.main import main
from recsys_kg.publish.release import ReleaseSpec, release_metadata
from recsys_kg.publish.release_check import check_metadata

VOID = "http://rdfs.org/ns/void#"
GRAPH = "https://w3id.org/recsys-kg/graph/"


def release(out: Path, data: Path, *extra: str):
    return CliRunner().invoke(
        main, ["release", "--version", "0.1.0", "--out", str(out), "--data", str(data), "--date", "2026-12-07", *extra]
    )


@pytest.fixture(scope="module")
def first_release(seed_build_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "dist"
    result = release(out, seed_build_dir / "recsys-kg.nq", "--first", "--endpoint", "http://127.0.0.1:7878/query")
    assert result.exit_code == 0, result.output
    return out


def test_files_verify_with_sha256sum(first_release):
    if shutil.which("sha256sum") is None:
        pytest.fail("sha256sum (coreutils) is needed")
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=first_release, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    listed = {line.split("  ", 1)[1] for line in (first_release / "SHA256SUMS").read_text().splitlines()}
    assert listed == {p.name for p in first_release.iterdir()} - {"SHA256SUMS"}
    assert {
        "recsys-kg-0.1.0.nq.gz",
        "recsys-kg-0.1.0.void.ttl",
        "CHANGES-DATA.md",
        "DATA-LICENSE.md",
        "recsys-kg-0.1.0.source-llm4rec-zh.ttl.gz",
        "recsys-kg-0.1.0.inferred.ttl.gz",
    } <= listed


def void_counts(release_dir: Path) -> tuple[dict[str, int], int, ox.Store]:
    meta = ox.Store()
    meta.load(path=str(release_dir / "recsys-kg-0.1.0.void.ttl"), format=ox.RdfFormat.TURTLE)
    per_graph = {
        r["g"].value: int(r["n"].value)
        for r in meta.query(f"SELECT ?g ?n WHERE {{ ?d <{VOID}subset> ?g . ?g <{VOID}triples> ?n }}")
    }
    (total,) = [
        int(r["n"].value)
        for r in meta.query(f"SELECT ?n WHERE {{ ?d a <http://www.w3.org/ns/dcat#Dataset> ; <{VOID}triples> ?n }}")
    ]
    return per_graph, total, meta


def test_the_dump_loads_into_oxigraph_with_the_void_counts(first_release):
    store = ox.Store()
    with gzip.open(first_release / "recsys-kg-0.1.0.nq.gz", "rb") as dump:
        store.bulk_load(input=dump, format=ox.RdfFormat.N_QUADS)
    loaded = {
        r["g"].value: int(r["n"].value)
        for r in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    per_graph, total, _ = void_counts(first_release)
    assert loaded == per_graph and sum(loaded.values()) == total == len(store)
    assert GRAPH + "metadata" not in loaded  # a release describes itself in its own file
    for graph, count in per_graph.items():
        name = graph.removeprefix(GRAPH).replace("/", "-")
        with gzip.open(first_release / f"recsys-kg-0.1.0.{name}.ttl.gz", "rb") as part:
            assert len(list(ox.parse(input=part, format=ox.RdfFormat.TURTLE))) == count, graph


def test_the_metadata_says_what_the_issue_asks(first_release):
    _, _, meta = void_counts(first_release)
    ask = lambda where: meta.query(f"ASK {{ {where} }}")  # noqa: E731
    d = "<https://w3id.org/recsys-kg/id/release/0.1.0>"
    assert ask(
        f'{d} <http://www.w3.org/ns/dcat#version> "0.1.0" ; <http://purl.org/dc/terms/modified> "2026-12-07"^^<http://www.w3.org/2001/XMLSchema#date>'
    )
    assert ask(f"{d} <{VOID}dataDump> <https://w3id.org/recsys-kg/release/0.1.0/recsys-kg-0.1.0.nq.gz>")
    assert ask(
        f"{d} <{VOID}sparqlEndpoint> <http://127.0.0.1:7878/query> ; <http://purl.org/dc/terms/creator> ?c ; "
        "<http://purl.org/dc/terms/license> <https://creativecommons.org/licenses/by/4.0/>"
    )
    assert ask(
        f"<{GRAPH}source/s2-wu2023> <http://purl.org/dc/terms/license> <http://api.semanticscholar.org/corpus/legal>"
    )
    assert ask(
        f'<{GRAPH}source/llm4rec-zh> <http://purl.org/dc/terms/rights> ?r FILTER(CONTAINS(?r, "No licence is stated"))'
    )
    assert not ask(f"<{GRAPH}source/llm4rec-zh> <http://purl.org/dc/terms/license> ?l")


def test_the_release_shape_catches_broken_metadata():
    spec = ReleaseSpec(version="1.2.3", date="2026-12-07", base_url="https://example.org/r/")
    good = release_metadata(spec, {GRAPH + "vocabulary": 10}, "recsys-kg-1.2.3", {"x.nq.gz": (5, "application/gzip")})
    assert check_metadata(good) == []
    version = ox.NamedNode("http://www.w3.org/ns/dcat#version")
    licence = ox.NamedNode("http://purl.org/dc/terms/license")
    dump = ox.NamedNode(VOID + "triples")
    broken = [
        t
        for t in good
        if t.predicate not in (version, licence)
        and not (t.predicate == dump and t.subject.value.endswith("/vocabulary"))
    ]
    found = " ".join(check_metadata(broken))
    assert "RELEASE-001" in found and "RELEASE-004" in found and "RELEASE-006" in found


def test_releases_are_deterministic(first_release, seed_build_dir, tmp_path):
    again = tmp_path / "again"
    assert (
        release(
            again, seed_build_dir / "recsys-kg.nq", "--first", "--endpoint", "http://127.0.0.1:7878/query"
        ).exit_code
        == 0
    )
    for path in first_release.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    assert gzip.open(first_release / "recsys-kg-0.1.0.nq.gz").read()  # readable
    assert (first_release / "recsys-kg-0.1.0.nq.gz").read_bytes()[4:8] == b"\0\0\0\0"  # gzip mtime 0


def test_the_data_changelog_is_the_diff_from_the_previous_release(first_release, tmp_path):
    accepted = tmp_path / "contributions" / "accepted"
    accepted.mkdir(parents=True)
    (accepted / "new.ttl").write_text(
        "# contributor: Test Person\n# date: 2026-12-07\n@base <https://w3id.org/recsys-kg/id/> .\n"
        "@prefix rkg: <https://w3id.org/recsys-kg/ontology#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        '<paper/arxiv-2412.01234> a rkg:Paper ; dcterms:title "A Contributed Test Paper on Ranking" ; '
        'rkg:arxivId "2412.01234" ; rkg:taxonomyPosition <concept/llm4rec-zh/1.3> .\n',
        encoding="utf-8",
    )
    write_outputs(build_dataset(contributions_dir=accepted), tmp_path / "build")
    out = tmp_path / "dist-0.2.0"
    result = CliRunner().invoke(
        main,
        [
            "release",
            "--version",
            "0.2.0",
            "--out",
            str(out),
            "--data",
            str(tmp_path / "build" / "recsys-kg.nq"),
            "--date",
            "2026-12-08",
            "--previous",
            str(first_release / "recsys-kg-0.1.0.nq.gz"),
        ],
    )
    assert result.exit_code == 0, result.output
    changes = (out / "CHANGES-DATA.md").read_text(encoding="utf-8")
    assert "## Data changes from `recsys-kg-0.1.0.nq.gz` to `0.2.0`" in changes
    assert (
        "| papers added | 1 |" in changes
        and "- id:paper/arxiv-2412.01234: A Contributed Test Paper on Ranking" in changes
    )
    assert "recsys-kg-0.2.0.source-contributions.ttl.gz" in (out / "SHA256SUMS").read_text()


def test_a_release_needs_a_previous_one_or_first(seed_build_dir, tmp_path):
    result = release(tmp_path / "d", seed_build_dir / "recsys-kg.nq")
    assert result.exit_code == 2 and "--previous" in result.output
    bad = CliRunner().invoke(
        main,
        [
            "release",
            "--version",
            "1.0",
            "--out",
            str(tmp_path / "d"),
            "--first",
            "--data",
            str(seed_build_dir / "recsys-kg.nq"),
        ],
    )
    assert bad.exit_code == 2 and "not X.Y.Z" in bad.output
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())
