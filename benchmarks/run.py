"""Run every stage of the pipeline at each scale, beside its reference, and write a JSON file and a markdown table.

    .venv/bin/python benchmarks/run.py                      # 1x, 10x, 100x -> benchmarks/results/full.{json,md}
    .venv/bin/python benchmarks/run.py --scales 1,10 --name smoke --budget 10
    .venv/bin/python benchmarks/run.py --scales 1000 --name x1000 --lean   # build and query 1000x the seed

For each scale: synthetic lists of that many times the seed lists (recsys_kg.tools.synthetic), `recsys-kg build` end to
end, the build's phases, then on the built dataset each stage beside its reference library in the same run:
parsing and serializing (pyoxigraph / rdflib), reasoning (the build's engine / owlrl), validation (the project's
validator / plain pySHACL), export and load, one contribution validated against the graph, each canned query warm
(Oxigraph / rdflib SPARQL) and `recsys-kg query` from a cold start, both on the graph's persistent store. Every stage runs in a process of its own
(stages.py): wall time is the stage's own work, peak RSS is that process's. Ratios of ours to the reference in the
same run survive a noisy machine better than absolute times.

References are bounded: one predicted (from the previous scale, growing with the quads) to take longer than
``--budget`` seconds is skipped, and one that runs past three times the budget is stopped; the table says which.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from tables import COMPANY_QUERY, markdown, targets  # noqa: E402  (benchmarks/ is not a package)

RESULTS = HERE / "results"
CONTRIBUTION = """@prefix rkg: <https://w3id.org/recsys-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/recsys-kg/id/paper/arxiv-2501.99998> a rkg:Paper ;
    dcterms:title "A Benchmark Contribution: One Paper Added to the Graph" ;
    rkg:arxivId "2501.99998" ;
    rkg:year "2025"^^xsd:gYear ;
    rkg:hasBackboneUsage <https://w3id.org/recsys-kg/id/usage/contribution/L1/1> .
<https://w3id.org/recsys-kg/id/usage/contribution/L1/1> a rkg:BackboneUsage ;
    rkg:usesModel <https://w3id.org/recsys-kg/id/model/gpt-4> ;
    rkg:tuningStrategy <https://w3id.org/recsys-kg/id/tuning/frozen> .
"""


def measure(command: list[str], timeout: float, env: dict | None = None) -> dict:
    """Run a process to completion: wall seconds, its peak RSS (MB), and the RESULT line it printed, if any."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT, env={**os.environ, **(env or {})}
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        text, error = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    # CPU seconds (user + system, all threads) beside the wall time: on a shared machine the wall time of a stage
    # grows with everyone else's load, its CPU time much less
    measured = {
        "wall": round(wall, 3),
        "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }
    if process.returncode != 0:
        killed = process.returncode < 0 and wall >= timeout
        last = error.strip().splitlines()[-1] if error.strip() else ""
        measured["error"] = (
            f"stopped after {timeout:.0f} s" if killed else f"failed (exit {process.returncode}): {last}"
        )
        return measured
    for line in text.splitlines():
        if line.startswith("RESULT "):
            measured.update(json.loads(line[len("RESULT ") :]))
    measured.setdefault("seconds", measured["wall"])
    return measured


def stage(stage_name: str, timeout: float, **args) -> dict:
    return measure([sys.executable, str(HERE / "stages.py"), stage_name, json.dumps(args)], timeout)


def cli(*args: str, timeout: float) -> dict:
    return measure([sys.executable, "-m", "recsys_kg.cli.main", *args], timeout)


class Runner:
    def __init__(self, work: Path, budget: float, quick: bool, lean: bool = False):
        self.work, self.budget, self.quick, self.lean = work, budget, quick, quick and lean
        self.rows: list[dict] = []
        self.previous: dict[str, tuple[float, int]] = {}  # reference stage -> (seconds, quads) at the last scale
        self.quads = 0

    def reference(self, key: str, stage_name: str, **args) -> dict:
        """A reference stage, unless it is predicted to exceed the budget (its whole process at the previous scale,
        grown linearly with the quads: an rdflib query's process is mostly rdflib parsing the dataset)."""
        if key in self.previous:
            seconds, quads = self.previous[key]
            predicted = seconds * self.quads / max(quads, 1)
            if predicted > self.budget:
                return {"skipped": f"predicted {predicted:.0f} s (> {self.budget:.0f} s budget)"}
        measured = stage(stage_name, 3 * self.budget, **args)
        if "error" in measured and measured["error"].startswith("stopped"):
            self.previous[key] = (3 * self.budget, self.quads)
        elif "seconds" in measured and "error" not in measured:  # the whole process: most of it is parsing the input
            self.previous[key] = (max(measured["seconds"], measured.get("wall", 0)), self.quads)
        return measured

    def add(self, scale: int, name: str, ours: dict, reference: dict | None = None, label: str = "") -> None:
        row = {"scale": scale, "stage": name, "ours": ours, "reference": reference, "reference_name": label}
        if (
            reference
            and "seconds" in reference
            and "seconds" in ours
            and ours["seconds"] > 0
            and "error" not in reference
        ):
            row["ratio"] = round(reference["seconds"] / ours["seconds"], 1)
        self.rows.append(row)
        shown = ours.get("error") or ours.get("unavailable") or f"{ours.get('seconds', 0):.3f} s"
        print(f"  {scale:>4}x  {name:38} {shown}", flush=True)

    def scale(self, scale: int) -> None:
        base = self.work / f"x{scale}"
        self.add(scale, "synthesize lists", stage("synthesize", 1800, scale=scale, out=str(base)))
        sources, curation, built = base / "sources", base / "curation", base / "build"
        # One build per scale: its process's wall time (interpreter start, imports, build, writing) is the end-to-end
        # figure, the same work as `recsys-kg build --quiet`; inside, each phase is timed where build_dataset calls it.
        phases = stage("build-phases", 3600, sources=str(sources), curation=str(curation), out=str(built))
        counted = ("quads", "papers", "entries", "candidates", "outputs_mb", "store_mb")
        end_to_end = {k: v for k, v in phases.items() if k != "phases" and k not in counted}
        self.add(scale, "recsys-kg build (end to end)", {**end_to_end, "seconds": phases["wall"]})
        self.rows[-1]["counts"] = {k: phases.get(k) for k in counted}
        self.quads = phases.get("quads", self.quads)
        measured = phases.get("phases", {})
        for phase, value in measured.items():
            self.add(scale, f"build: {phase}", value)
        nq = str(built / "recsys-kg.nq")
        if not Path(nq).exists():
            return
        if not self.lean:
            self.parse_and_serialize(scale, nq)
        if not self.quick:
            self.references_and_commands(scale, base, nq, measured)
        self.queries(scale, nq)

    def parse_and_serialize(self, scale: int, nq: str) -> None:
        self.add(
            scale, "parse N-Quads", stage("parse", 600, nq=nq), self.reference("parse", "parse-rdflib", nq=nq), "rdflib"
        )
        self.add(
            scale,
            "serialize TriG",
            stage("serialize", 600, nq=nq),
            self.reference("serialize", "serialize-rdflib", nq=nq),
            "rdflib",
        )

    def references_and_commands(self, scale: int, base: Path, nq: str, measured: dict) -> None:
        """Ours: the build's own phases (same function, same graph); beside them the references. Then contribution
        validation, export and load."""
        for name, phase, reference, label in (
            ("reason", "infer_in_store", "reason-owlrl", "owlrl"),
            ("validate whole graph", "validate_store", "validate-pyshacl", "pySHACL"),
        ):
            ours = measured.get(phase, {"unavailable": f"the build has no {phase} step"})
            self.add(scale, name, ours, self.reference(name, reference, nq=nq), label)
        contribution = base / "contribution.ttl"
        contribution.write_text(CONTRIBUTION, encoding="utf-8")
        # The first validation against a graph makes the context (a checkpoint of the persistent store); every
        # later one opens it.
        self.add(
            scale,
            "validate one contribution: first (makes the context cache)",
            stage("contribution", 1800, nq=nq, file=str(contribution)),
        )
        self.add(
            scale,
            "validate one contribution",
            stage("contribution", 1800, nq=nq, file=str(contribution)),
            self.reference("contribution", "contribution-pyshacl", nq=nq, file=str(contribution)),
            "pySHACL",
        )
        command = cli("validate", "--graph", nq, str(contribution), timeout=600)
        if command.get("error", "").startswith("failed (exit 1)"):  # it has no category (CONTRIB-003): an answer
            del command["error"]
        self.add(scale, "validate one contribution: command", {**command, "seconds": command["wall"]})
        for fmt in ("nt", "jsonld"):
            self.add(
                scale,
                f"export {fmt}",
                stage("export", 1800, nq=nq, fmt=fmt, out=str(base / f"export.{fmt}")),
                self.reference(f"export-{fmt}", "export-rdflib", nq=nq, fmt=fmt),
                "rdflib",
            )
        self.add(
            scale,
            "load into Oxigraph (GSP)",
            stage("load", 1800, nq=nq, work=str(base)),
            stage("load-native", 1800, nq=nq, work=str(base)),
            "oxigraph load",
        )

    def queries(self, scale: int, nq: str) -> None:
        """Each canned query warm on the persistent store (beside rdflib unless quick), then `recsys-kg query` from a
        cold start (a new process opening the persistent store): every query, or only the company query when
        quick."""
        names, references = query_names(), {}
        warm = stage("queries", 1800, nq=nq)
        for name in names:
            ours = warm.get("queries", {}).get(name, {k: v for k, v in warm.items() if k in ("error", "unavailable")})
            if not self.quick:
                references[name] = self.reference(f"query-{name}", "query-rdflib", nq=nq, name=name)
            self.add(
                scale, f"query {name}", {**ours, "peak_rss_mb": warm.get("peak_rss_mb")}, references.get(name), "rdflib"
            )
        self.add(scale, "search papers (KG.search, p50 of 20)", stage("search", 1800, nq=nq))
        cold = [n for n in (COMPANY_QUERY, *names) if n in names]
        for name in dict.fromkeys(cold[:1] if self.quick else cold):
            # interpreter start, imports, opening the store, one query: what a user waits for; beside it the
            # whole process of the rdflib reference above (parse the dataset, run the query once)
            ours = cli("query", name, "--data", nq, "--format", "csv", timeout=600)
            reference = references.get(name)
            if reference and "wall" in reference and "error" not in reference and "skipped" not in reference:
                reference = {**reference, "seconds": reference["wall"]}
            self.add(
                scale,
                f"query cold start: {name}",
                {**ours, "seconds": ours["wall"]},
                reference,
                "rdflib (whole process)",
            )


def query_names() -> list[str]:
    try:
        from recsys_kg.query.canned import query_names as names
    except ImportError:
        return []
    return names()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated multiples of the seed lists")
    parser.add_argument("--name", default="full", help="results file name: benchmarks/results/NAME.json and .md")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds a reference may take at one scale")
    parser.add_argument("--work", type=Path, help="working directory (default: a temporary one, removed after)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI smoke: leave out the references, export, load, contribution validation and all cold starts but one",
    )
    parser.add_argument(
        "--lean",
        action="store_true",
        help="the largest scales: only synthesize, build, the queries warm and the company query cold "
        "(no parsing or serializing into memory)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write NAME.json and NAME.md")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="recsys-kg-bench-") as temporary:
        runner = Runner(args.work or Path(temporary), args.budget, args.quick or args.lean, args.lean)
        for scale in scales:
            print(f"scale {scale}x", flush=True)
            runner.scale(scale)
            result = write_results(args, scales, runner.rows)  # after each scale: a long run keeps what it measured
    print(f"wrote {args.results / (args.name + '.json')} and .md")
    return result


def write_results(args: argparse.Namespace, scales: list[int], rows: list[dict]) -> dict:
    result = {
        "name": args.name,
        "scales": scales,
        "budget_seconds": args.budget,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        },
        "rows": rows,
        "targets": targets(rows),
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{args.name}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (args.results / f"{args.name}.md").write_text(markdown(result), encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
