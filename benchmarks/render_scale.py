"""Render the merged list and the site at several synthetic scales; wall time and peak memory of each command.

    .venv/bin/recsys-kg synthesize --scale 10 --out /tmp/syn10 --build       # and 100
    .venv/bin/python benchmarks/render_scale.py seed=build /tmp/syn10 /tmp/syn100

An argument is a directory written by `recsys-kg synthesize --build` (OUT/build/recsys-kg.nq, OUT/sources), or
``seed=BUILD_DIR`` for the seed build with the checkout's sources. Each command runs as a user runs it, in a
process of its own (peak RSS from wait4); beside them, in the same run, the reference floor: reading the same
N-Quads file with pyoxigraph and nothing else, so the ratio render / read survives a noisy machine. Targets (issue
14): site at most 5 s on the seed; at 100x at most 120 s and 2 GB; growth from 10x to 100x at most 12x. Writes
benchmarks/results/render.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
READ = "import sys, pyoxigraph as ox; print(sum(1 for _ in ox.parse(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)))"


def run(command: list[str]) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS in MB, stdout, CPU seconds) of one process; a failure stops the benchmark with its
    output. CPU time (user + system) is reported beside wall time: on a shared machine it is the steadier one."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{out}{err}")
    return seconds, usage.ru_maxrss / 1024, out, usage.ru_utime + usage.ru_stime


def measure(label: str, nq: Path, sources: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        read = run([sys.executable, "-c", READ, str(nq)])
        listed = run([str(BIN / "recsys-kg"), "render", "list", "--data", str(nq), "--out", f"{tmp}/README.md"])
        site = run(
            [
                str(BIN / "recsys-kg"),
                "render",
                "site",
                "--data",
                str(nq),
                "--sources",
                str(sources),
                "--out",
                f"{tmp}/site",
            ]
        )
        files = sum(1 for p in Path(tmp, "site").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in Path(tmp, "site").rglob("*") if p.is_file())
    return {
        "scale": label,
        "quads": int(read[2]),
        "read": read,
        "list": listed,
        "site": site,
        "files": files,
        "mb": size / 1e6,
    }


def main(arguments: list[str]) -> None:
    rows = []
    for argument in arguments:
        if argument.startswith("seed="):
            rows.append(measure("seed", Path(argument[5:]) / "recsys-kg.nq", ROOT / "data" / "sources"))
        else:
            rows.append(
                measure(Path(argument).name, Path(argument) / "build" / "recsys-kg.nq", Path(argument) / "sources")
            )
        r = rows[-1]
        print(
            f"{r['scale']}: {r['quads']} quads; read {r['read'][0]:.2f} s; list {r['list'][0]:.2f} s "
            f"{r['list'][1]:.0f} MB; site {r['site'][0]:.2f} s (CPU {r['site'][3]:.2f} s) {r['site'][1]:.0f} MB "
            f"({r['files']} files, {r['mb']:.0f} MB)",
            flush=True,
        )
    lines = [
        "| scale | quads | read N-Quads (reference) | render list | render site | site / read (CPU) | "
        "site files (MB) |",
        "|---|---|---|---|---|---|---|",
    ]

    def cell(m: tuple) -> str:
        return f"{m[0]:.2f} s (CPU {m[3]:.2f} s), {m[1]:.0f} MB"

    for r in rows:
        lines.append(
            f"| {r['scale']} | {r['quads']:,} | {cell(r['read'])} | {cell(r['list'])} | {cell(r['site'])} | "
            f"{r['site'][3] / r['read'][3]:.1f}x | {r['files']:,} ({r['mb']:.0f}) |"
        )
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        lines.append(
            f"\nGrowth {a['scale']} -> {b['scale']}: quads {b['quads'] / a['quads']:.1f}x, list "
            f"{b['list'][0] / a['list'][0]:.1f}x (CPU {b['list'][3] / a['list'][3]:.1f}x), site "
            f"{b['site'][0] / a['site'][0]:.1f}x (CPU {b['site'][3] / a['site'][3]:.1f}x)."
        )
    out = ROOT / "benchmarks" / "results" / "render.md"
    out.write_text("# render list / render site (benchmarks/render_scale.py)\n\n" + "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:] or [f"seed={ROOT / 'build'}"])
