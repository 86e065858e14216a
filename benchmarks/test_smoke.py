"""CI smoke run of the benchmark suite: 1x and 10x of the seed lists, reduced (benchmarks/run.py --quick).

It checks that every stage the suite measures still runs end to end on synthetic lists ten times the seed, that
the graph grows with the lists, and that the JSON and markdown results are written; it asserts no timings (this
is not a timed test; the full run's numbers are in docs/performance.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402  (benchmarks/ is not a package)


def test_smoke_run_1x_and_10x(tmp_path: Path):
    result = run.main(
        [
            "--scales",
            "1,10",
            "--name",
            "smoke",
            "--budget",
            "3",
            "--quick",
            "--work",
            str(tmp_path / "work"),
            "--results",
            str(tmp_path / "results"),
        ]
    )
    rows = result["rows"]
    failed = [(r["scale"], r["stage"], r["ours"]) for r in rows if "error" in r["ours"]]
    assert not failed, failed
    sizes = {r["scale"]: r["counts"] for r in rows if r.get("counts")}
    assert 9 * sizes[1]["papers"] < sizes[10]["papers"] <= 10 * sizes[1]["papers"]
    assert 8 * sizes[1]["quads"] < sizes[10]["quads"] < 11 * sizes[1]["quads"]
    stages = {r["stage"] for r in rows if r["scale"] == 10}
    assert {"build: read_source", "build: resolve", "build: map", "parse N-Quads"} <= stages
    assert any(s.startswith("query ") for s in stages) == bool(run.query_names())
    saved = json.loads((tmp_path / "results" / "smoke.json").read_text(encoding="utf-8"))
    assert saved["rows"] == rows
    table = (tmp_path / "results" / "smoke.md").read_text(encoding="utf-8")
    assert "| 10x | build: map |" in table and "## Targets" in table
