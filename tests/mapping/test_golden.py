"""Golden tests of each reader with the mapping: small inputs cut from the real lists, expected quads compared
as sets (see tests/golden/README.md). `pytest --update-golden` regenerates the expected files."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from recsys_kg.build.pipeline import build_dataset
from recsys_kg.rdf.serialize import serialize

GOLDEN = Path(__file__).parents[1] / "golden"
CASES = sorted(p.parent for p in GOLDEN.glob("*/*/input.md"))
KEPT_GRAPHS = ("https://w3id.org/recsys-kg/graph/source/golden", "https://w3id.org/recsys-kg/graph/vocabulary")


def actual_quads(case: Path, tmp_path: Path) -> list[ox.Quad]:
    (tmp_path / "curation").mkdir()
    build = build_dataset(case, tmp_path / "curation")
    return [
        q for q in build.quads.sorted() if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in KEPT_GRAPHS
    ]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_golden(case: Path, tmp_path: Path, update_golden: bool):
    quads = actual_quads(case, tmp_path)
    expected_file = case / "expected.trig"
    expected = set(ox.parse(path=str(expected_file), format=ox.RdfFormat.TRIG)) if expected_file.exists() else set()
    actual = set(quads)
    missing = sorted(str(q) for q in expected - actual)
    extra = sorted(str(q) for q in actual - expected)
    if update_golden and (missing or extra):
        # Update mode rewrites the file and still fails, saying what changed: a run that rewrote a golden file
        # never counts as a pass (run again without --update-golden to check the new files).
        expected_file.write_bytes(serialize(quads, ox.RdfFormat.TRIG))
        pytest.fail(
            f"rewrote {expected_file.relative_to(GOLDEN)}: {len(missing)} quads removed, {len(extra)} added\n"
            + "\n".join(["removed:"] + missing[:40] + ["added:"] + extra[:40])
        )
    assert actual, f"{case.relative_to(GOLDEN)}: the build made no quads in the kept graphs"
    assert not missing and not extra, (
        f"golden mismatch for {case.relative_to(GOLDEN)} (regenerate with --update-golden if intended)\n"
        + "\n".join(["missing:"] + missing[:40] + ["unexpected:"] + extra[:40])
    )
