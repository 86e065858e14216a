"""The duplicate-title search the build uses at scale (candidates._blocked_pairs: blocks on each title's rarest
words) finds exactly the pairs of the exhaustive search (every pair of titles scored) on the real title keys of
the seed lists and of their 10x synthetic copy, as the resolver hands them over."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys_kg import paths
from recsys_kg.ingest import load_manifest, read_source
from recsys_kg.resolve import papers as resolve_papers
from recsys_kg.resolve.candidates import PaperFeatures, similar_titles
from recsys_kg.tools.synthetic import synthesize


def title_keys(sources: Path, curation: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """(paper index, normalized title) of every resolved paper, captured where resolve() looks for candidates."""
    seen: list[PaperFeatures] = []
    original = resolve_papers.find_candidates

    def capture(features, apart):
        seen.extend(features)
        return original(features, apart)

    monkeypatch.setattr(resolve_papers, "find_candidates", capture)
    entries, anchors = [], {}
    for spec in load_manifest(sources):
        entries += read_source(spec, sources)[0]
        if spec.describes_paper:
            anchors[spec.id] = spec.describes_paper
    resolve_papers.resolve(entries, anchors, curation)
    return [(i, key) for i, paper in enumerate(seen) for key in paper.title_keys]


@pytest.mark.parametrize("scale", [1, 10])
def test_blocked_search_finds_the_pairs_of_the_exhaustive_search(scale, tmp_path, monkeypatch):
    if scale == 1:
        sources, curation = paths.sources_dir(), paths.curation_dir()
    else:
        made = synthesize(tmp_path, scale, paths.sources_dir(), paths.curation_dir())
        sources, curation = made.sources_dir, made.curation_dir
    titles = title_keys(sources, curation, monkeypatch)
    assert len(titles) > 300 * scale
    exhaustive = similar_titles(titles, exhaustive_below=len(titles) + 1)
    assert exhaustive  # there are similar titles to find (a check with nothing to check would pass vacuously)
    assert similar_titles(titles, exhaustive_below=0) == exhaustive
