"""The synthetic-data generator (recsys_kg.tools.synthetic): copies resolve exactly like their originals, the output is
deterministic, a small scale builds, and bad arguments are refused with exit code 2."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from recsys_kg import paths
from recsys_kg.build.pipeline import build_dataset
from recsys_kg.cli.main import main
from recsys_kg.ingest import load_manifest, read_source
from recsys_kg.ingest import records as R
from recsys_kg.resolve.papers import resolve
from recsys_kg.tools.synthetic import Copy, ScaleError, load_seed, synthesize


def _digests(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _entries(sources: Path):
    return [e for spec in load_manifest(sources) for e in read_source(spec, sources)[0]]


def _resolution(sources: Path, curation: Path):
    anchors = {s.id: s.describes_paper for s in load_manifest(sources) if s.describes_paper}
    return resolve(_entries(sources), anchors, curation)


def _kept_once(entry) -> bool:
    """Entries that are not copied: a list's row about itself and the Semantic Scholar page's own record."""
    return R.SELF in entry.fields or entry.kind == R.BIBLIOGRAPHIC_RECORD


@pytest.fixture(scope="module")
def doubled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic-2x")
    synthesize(out, 2, paths.sources_dir(), paths.curation_dir())
    return out


def test_scale_1_is_the_seed_byte_for_byte(tmp_path: Path):
    made = synthesize(tmp_path, 1, paths.sources_dir(), paths.curation_dir())
    for spec in load_manifest(paths.sources_dir()):
        assert (made.sources_dir / spec.file).read_bytes() == (paths.sources_dir() / spec.file).read_bytes()
    assert (made.sources_dir / "manifest.yaml").read_bytes() == (paths.sources_dir() / "manifest.yaml").read_bytes()


def test_same_scale_same_bytes(doubled: Path, tmp_path: Path):
    synthesize(tmp_path, 2, paths.sources_dir(), paths.curation_dir())
    assert _digests(tmp_path) == _digests(doubled)


def test_every_copy_resolves_like_its_original(doubled: Path):
    """Papers: each seed paper once per copy, except those only the uncopied entries (or a manifest anchor) name.
    Merges across lists and curated decisions double too, and no decision goes stale."""
    seed = _resolution(paths.sources_dir(), paths.curation_dir())
    kept_once = {(e.source, e.line) for e in _entries(paths.sources_dir()) if _kept_once(e)}
    single = [p for p in seed.papers if set(p.entries) <= kept_once]
    copy = _resolution(doubled / "sources", doubled / "curation")
    assert len(copy.papers) == 2 * len(seed.papers) - len(single)
    assert len(copy.merges) == 2 * len(seed.merges)
    assert not copy.stale_decisions and not seed.stale_decisions
    shared_seed = sum(c["resolved_to_papers_in_other_lists"] for c in seed.cross_list.values())
    shared_copy = sum(c["resolved_to_papers_in_other_lists"] for c in copy.cross_list.values())
    # entries of a copy whose original shared its paper only with an uncopied entry are no longer shared
    assert 2 * shared_seed - len(kept_once) <= shared_copy <= 2 * shared_seed


def test_a_small_scale_builds(doubled: Path, seed_build):
    build = build_dataset(doubled / "sources", doubled / "curation")
    seed_entries = [e for s in seed_build.sources for e in s.entries]
    entries = [e for s in build.sources for e in s.entries]
    assert len(entries) == 2 * len(seed_entries) - sum(map(_kept_once, seed_entries))
    for seed_source, source in zip(seed_build.sources, build.sources, strict=False):  # rejected rows are not copied
        assert [(r.reason, r.raw) for r in source.rejections] == [(r.reason, r.raw) for r in seed_source.rejections]
    counts, seed_counts = build.report["counts"], seed_build.report["counts"]
    for name in ("LanguageModel", "ModelFamily", "Venue", "Company", "TaxonomyConcept", "FacetValue"):
        assert counts[name] == seed_counts[name], name  # the vocabulary and the taxonomies do not grow
    for name in ("BackboneUsage", "Method"):
        assert counts[name] == 2 * seed_counts[name], name
    # the page's own record (its authors) is not copied; GitHub repositories are renamed per copy, a repository
    # elsewhere (anonymous.4open.science) is kept as linked
    for name in ("Authorship", "CodeRepository"):
        assert seed_counts[name] < counts[name] < 2 * seed_counts[name], name
    assert 1.8 < counts["quads"] / seed_counts["quads"] < 2.1


def test_copies_rename_titles_and_identifiers_consistently():
    seed = load_seed(paths.sources_dir(), paths.curation_dir())
    copy = Copy(seed, 7)
    assert copy.words("LLMRec: Large Language Models").lower() == copy.words("LLMREC: large language MODELS").lower()
    assert copy.words("ChatGPT") == "ChatGPT" and copy.words("A Survey") == "A Survey"
    assert copy.words("P5") != "P5"  # a name with nothing to replace still differs per copy
    assert copy.url("https://arxiv.org/abs/2305.19860v2") == f"https://arxiv.org/abs/{copy.arxiv('2305.19860')}v2"
    assert copy.ref("arxiv:2305.19860") == f"arxiv:{copy.arxiv('2305.19860')}"
    assert (
        copy.url("https://dl.acm.org/doi/pdf/10.1145/3616855.3635845")
        == "https://dl.acm.org/doi/pdf/10.1145/3616855.3635845-c007"
    )
    assert copy.url("https://github.com/Jyonn/ONCE.git") == "https://github.com/Jyonn/ONCE-c007.git"
    assert Copy(seed, 8).arxiv("2305.19860") != copy.arxiv("2305.19860")


def test_scale_limits_are_errors(tmp_path: Path):
    with pytest.raises(ScaleError):
        synthesize(tmp_path, 0, paths.sources_dir(), paths.curation_dir())
    result = CliRunner().invoke(main, ["synthesize", "--scale", "0", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--scale" in result.output


def test_unreadable_seed_is_exit_2_with_the_file(tmp_path: Path):
    (tmp_path / "seed").mkdir()
    (tmp_path / "seed" / "manifest.yaml").write_text("sources:\n  - id: x\n    file: missing.md\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["synthesize", "--scale", "2", "--out", str(tmp_path / "out"), "--sources", str(tmp_path / "seed")]
    )
    assert result.exit_code == 2
    assert "manifest.yaml" in result.output and "Traceback" not in result.output
