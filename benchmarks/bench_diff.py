"""Benchmark of `recsys-kg diff` on two builds of synthetic lists that differ by 1 % of their entries.

Target (issue 16): at 100x the seed, diff <= 60 s and <= 2 GB. The two versions: `recsys-kg synthesize --scale K`
lists, and the same lists with every 100th table row or list item changed (every other one of those deleted,
the rest with their title edited), each built by the normal build. The diff runs in a child process so its peak
memory (VmHWM) is its own. In the normal suite this runs once at 1x (a smoke test of the same code);
the 100x figure (docs/release.md) comes from

    RECSYS_KG_DIFF_SCALE=100 .venv/bin/python -m pytest -q -s benchmarks/bench_diff.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recsys_kg import paths
from recsys_kg.build.pipeline import build_dataset, write_outputs
from recsys_kg.ingest.pedigree import record_checksums
from recsys_kg.tools.synthetic import synthesize

SCALE = int(os.environ.get("RECSYS_KG_DIFF_SCALE", "1"))
TARGET_SECONDS, TARGET_BYTES = 60.0, 2 << 30
_ITEM = re.compile(r"^\s*(\d+\.|[-*])\s+\S")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}")
# Peak memory from VmHWM: a new process image starts its own (ru_maxrss would carry over the forking parent's).
_CHILD = """
import json, re, sys, time
from pathlib import Path
start = time.perf_counter()
from recsys_kg.publish.diff import diff_files
changes = diff_files(Path(sys.argv[1]), Path(sys.argv[2]))
seconds = time.perf_counter() - start
peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) * 1024
print(json.dumps({"seconds": seconds, "max_rss_bytes": peak, "summary": changes["summary"]}))
"""


def perturb(sources: Path, every: int = 100) -> int:
    """Change every ``every``-th table row or list item of each markdown list: delete every other one of those,
    edit the title (the first link text) of the rest. Returns how many entries were changed."""
    changed = 0
    for path in sorted(sources.glob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        rows = [
            i
            for i, line in enumerate(lines)
            if (
                line.lstrip().startswith("|")
                and not _DELIMITER.match(line)
                and i + 1 < len(lines)
                and not _DELIMITER.match(lines[i + 1])
            )
            or _ITEM.match(line)
        ]
        chosen = rows[every - 1 :: every]
        for n, i in enumerate(chosen):
            if n % 2 == 0:
                lines[i] = None  # type: ignore[call-overload]
            elif "](" in lines[i]:
                lines[i] = lines[i].replace("](", " (revised)](", 1)
        changed += len(chosen)
        path.write_text("\n".join(line for line in lines if line is not None), encoding="utf-8")
    record_checksums(sources)
    return changed


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory) -> tuple[Path, Path, int]:
    root = tmp_path_factory.mktemp(f"diff-{SCALE}x")
    made = synthesize(root / "v1", SCALE, paths.sources_dir(), paths.curation_dir())
    none = root / "no-contributions"
    write_outputs(build_dataset(made.sources_dir, made.curation_dir, contributions_dir=none), root / "v1" / "build")
    shutil.copytree(root / "v1" / "sources", root / "v2" / "sources")
    changed = perturb(root / "v2" / "sources")
    write_outputs(
        build_dataset(root / "v2" / "sources", made.curation_dir, contributions_dir=none), root / "v2" / "build"
    )
    return root / "v1" / "build" / "recsys-kg.nq", root / "v2" / "build" / "recsys-kg.nq", changed


def test_diff_of_two_builds_one_percent_apart(two_versions):
    old, new, changed = two_versions
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(old), str(new)], capture_output=True, text=True, check=True
    )
    measured = json.loads(child.stdout)
    summary = measured["summary"]
    print(
        f"\ndiff at {SCALE}x ({changed} entries changed): {measured['seconds']:.1f} s, "
        f"{measured['max_rss_bytes'] / 2**20:.0f} MiB; {summary}"
    )
    assert changed > 0
    assert summary["papers removed"] + summary["claims removed"] + summary["claims changed"] > 0
    if SCALE >= 100:
        assert measured["seconds"] <= TARGET_SECONDS
        assert measured["max_rss_bytes"] <= TARGET_BYTES
