"""`recsys-kg diff` on real versions: the short and the full README of the next-generation survey (both in
data/sources/), read as two versions of one list; and a contribution that adds a conflicting claim and is then
withdrawn. Its conflicts are the source-conflicts query's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from recsys_kg import paths
from recsys_kg.build.pipeline import build_dataset, write_outputs
from recsys_kg.cli.main import main
from recsys_kg.ingest.pedigree import record_checksums
from recsys_kg.publish.diff import conflicts, diff_files, read_version
from recsys_kg.query.canned import get_spec, run
from recsys_kg.rdf.dataset import open_store

SHORT, FULL = "next-gen-llm-recsys-survey.short.md", "next-gen-llm-recsys-survey.md"
TALLREC = "https://w3id.org/recsys-kg/id/paper/arxiv-2305.00447"


def build_one_version(root: Path, file: str) -> Path:
    """Build the next-gen survey list alone, from ``file`` (one version of its README)."""
    manifest = yaml.safe_load((paths.sources_dir() / "manifest.yaml").read_text(encoding="utf-8"))
    spec = next(s for s in manifest["sources"] if s["id"] == "next-gen-survey")
    sources = root / "sources"
    sources.mkdir(parents=True)
    shutil.copyfile(paths.sources_dir() / file, sources / spec["file"])
    (sources / "manifest.yaml").write_text(
        yaml.safe_dump({"sources": [spec]}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    record_checksums(sources)
    write_outputs(build_dataset(sources, contributions_dir=root / "no-contributions"), root / "build")
    return root / "build" / "recsys-kg.nq"


@pytest.fixture(scope="module")
def next_gen_versions(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("next-gen")
    return build_one_version(root / "short", SHORT), build_one_version(root / "full", FULL)


def test_the_short_and_the_full_readme(next_gen_versions):
    """Checked by hand: the short README lists 19 items, 18 papers (items 4 and 11 are both arXiv 2405.03988),
    all under the one heading 'Industrial Deploying'. The full README has 195 numbered items with 138 distinct
    titles (every one of the 18 among them) and a table comparing 8 surveys that no item lists: 146 papers.
    So 146 - 18 = 128 added, none removed, re-keyed, merged or split. Each of the 18 moves from 'Industrial
    Deploying' to its sub-sections (one changed taxonomyPosition claim each, 18), and gains the deploying
    company, highlight and task of the industrial-works table. Of the 1,062 claims added, 122 are backbone claims:
    the full README's headings that name a tuning strategy ("Low-Rank Adaptation (LoRA)", ...) state it for every
    paper under them (data/normalization/section-strategies.yaml), and the short README has no such heading, so
    it has no backbone claim at all. One list: no conflicts."""
    old, new = next_gen_versions
    changes = diff_files(old, new)
    assert changes["summary"] == {
        "papers added": 128,
        "papers removed": 0,
        "papers re-keyed": 0,
        "papers merged": 0,
        "papers split": 0,
        "papers merged and split": 0,
        "claims added": 1062,
        "claims removed": 0,
        "claims changed": 18,
        "conflicts new": 0,
        "conflicts resolved": 0,
    }
    assert changes["claims"]["per_source"] == {"next-gen-survey": {"added": 1062, "removed": 0, "changed": 18}}
    backbones = [claim for claims in read_version(new).claims.values() for claim in claims if claim[1] == "backbone"]
    assert len(backbones) == 122
    assert not [claim for claims in read_version(old).claims.values() for claim in claims if claim[1] == "backbone"]
    changed = [(p["papers"], c["property"]) for p in changes["claims"]["per_paper"] for c in p.get("changed", [])]
    assert len(changed) == 18 and {prop for _, prop in changed} == {
        "https://w3id.org/recsys-kg/ontology#taxonomyPosition"
    }
    trawl = next(
        p
        for p in changes["claims"]["per_paper"]
        if p["papers"] == ["https://w3id.org/recsys-kg/id/paper/arxiv-2403.06642"]
    )
    assert {(a["property"].rsplit("#", 1)[1], a["value"]) for a in trawl["added"]} == {
        ("addressesTask", "https://w3id.org/recsys-kg/id/concept/task/article-recommendation"),
        ("deployedBy", "https://w3id.org/recsys-kg/id/org/wechat"),
        ("highlight", "Uses Qwen1.5-7B extract knowledge from articles."),
    }
    # and backwards: the same changes the other way round
    back = diff_files(new, old)["summary"]
    assert (back["papers removed"], back["claims removed"], back["claims changed"]) == (128, 1062, 18)


def test_the_command_prints_markdown_and_json(next_gen_versions, tmp_path):
    old, new = next_gen_versions
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0
    assert "| papers added | 128 |" in result.output and "### Papers added (128)" in result.output
    assert (
        "- id:paper/arxiv-2403.06642 (TRAWL: External Knowledge-Enhanced Recommendation with LLM Assistance)"
        in result.output
    )
    out = tmp_path / "changes.json"
    assert CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json", "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["papers added"] == 128
    missing = CliRunner().invoke(main, ["diff", str(tmp_path / "none.nq"), str(new)])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_conflicts_equal_the_source_conflicts_query(seed_build_dir):
    path = seed_build_dir / "recsys-kg.nq"
    version = read_version(path)
    mine = {(paper, name): values for paper in version.claims for name, values in conflicts(version, {paper}).items()}
    result = run(open_store(path), get_spec("source-conflicts"))
    rows: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in result.rows:
        cell = dict(zip(result.columns, row, strict=True))
        rows.setdefault((cell["paper"].value, cell["field"].value), set()).add(
            (cell["source"].value, cell["value"].value)
        )
    assert len(rows) > 20
    assert mine == rows


def test_a_contribution_adds_a_conflict_and_withdrawing_it_resolves_it(seed_build_dir, tmp_path):
    accepted = tmp_path / "contributions" / "accepted"
    accepted.mkdir(parents=True)
    (accepted / "tallrec.ttl").write_text(
        "# contributor: Test Person\n# date: 2026-12-07\n@base <https://w3id.org/recsys-kg/id/> .\n"
        "@prefix rkg: <https://w3id.org/recsys-kg/ontology#> .\n@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<paper/arxiv-2305.00447> a rkg:Paper ; dcterms:title "TALLRec: An Effective and Efficient Tuning Framework '
        'to Align Large Language Model with Recommendation" ; rkg:arxivId "2305.00447" ; rkg:year "2022"^^xsd:gYear ;'
        " rkg:taxonomyPosition <concept/llm4rec-zh/1.3> .\n",
        encoding="utf-8",
    )
    write_outputs(build_dataset(contributions_dir=accepted), tmp_path / "with")
    seed, contributed = seed_build_dir / "recsys-kg.nq", tmp_path / "with" / "recsys-kg.nq"
    changes = diff_files(seed, contributed)
    assert changes["summary"]["papers added"] == 0 and changes["summary"]["conflicts new"] == 1
    # the seed keys TALLRec by its DOI; the contribution's arXiv id is the better key
    assert changes["papers"]["re-keyed"] == [
        {
            "old": ["https://w3id.org/recsys-kg/id/paper/doi-10.1145_3604915.3608857"],
            "new": [TALLREC],
            "title": changes["papers"]["re-keyed"][0]["title"],
        }
    ]
    (conflict,) = changes["conflicts"]["new"]
    assert (conflict["papers"], conflict["field"]) == ([TALLREC], "year")
    assert {(v["source"], v["value"]) for v in conflict["values"]} == {
        ("contributions", "2022"),
        ("llm4rec-zh", "2023"),
        ("s2-wu2023", "2023"),
    }
    assert changes["claims"]["per_source"] == {"contributions": {"added": 5, "removed": 0, "changed": 0}}
    back = diff_files(contributed, seed)
    assert [(c["papers"], c["field"]) for c in back["conflicts"]["resolved"]] == [
        (["https://w3id.org/recsys-kg/id/paper/doi-10.1145_3604915.3608857"], "year")
    ]  # named as in the newer version


def test_the_line_filter_reads_what_parsing_everything_reads(seed_build_dir, tmp_path):
    """rdf/dataset.iter_subjects pre-filters N-Quads lines by subject; the TriG of the same build, parsed whole,
    gives the same quads, and a gzipped copy too."""
    import gzip

    from recsys_kg.rdf.dataset import iter_subjects

    prefixes = ("https://w3id.org/recsys-kg/id/paper/", "https://w3id.org/recsys-kg/id/usage/")
    from_lines = sorted(map(str, iter_subjects(seed_build_dir / "recsys-kg.nq", prefixes)))
    from_trig = sorted(map(str, iter_subjects(seed_build_dir / "recsys-kg.trig", prefixes)))
    zipped = tmp_path / "recsys-kg.nq.gz"
    zipped.write_bytes(gzip.compress((seed_build_dir / "recsys-kg.nq").read_bytes()))
    assert from_lines == from_trig == sorted(map(str, iter_subjects(zipped, prefixes)))
    assert len(from_lines) > 5000
