"""Each store started and loaded the way a user would: Oxigraph and Virtuoso through `recsys-kg load` (Graph Store
Protocol; digest authentication for Virtuoso), Jena with its native bulk loader ``tdb2.tdbloader`` (the Debian
package has no server, hence no writable Graph Store endpoint). Also the exports they load, made once per
test session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main
from recsys_kg.publish.export import export
from recsys_kg.rdf.dataset import GRAPH_SIDECAR, TRIPLE_FORMATS
from recsys_kg.stores import jena
from recsys_kg.stores.oxigraph import OxigraphServer
from recsys_kg.stores.virtuoso import Virtuoso

from .canned import Answer

_EXPORTS: dict[tuple[Path, str], Path] = {}


def exported(tmp_path_factory: pytest.TempPathFactory, dataset: Path, fmt: str) -> Path:
    """The dataset exported in ``fmt`` (a file, or a directory for ttl/nt), made once per test session."""
    key = (dataset, fmt)
    if key not in _EXPORTS:
        out = tmp_path_factory.mktemp(f"export-{fmt}")
        _EXPORTS[key] = export(dataset, fmt, out / (fmt if fmt in TRIPLE_FORMATS else f"recsys-kg.{fmt}")).path
    return _EXPORTS[key]


def graph_files(directory: Path) -> list[tuple[Path, ox.NamedNode]]:
    """The files of a per-graph export with the graph each belongs to (from its ``.graph`` file)."""
    return [
        (file, ox.NamedNode(file.with_name(file.name + GRAPH_SIDECAR).read_text().strip()))
        for file in sorted(directory.iterdir())
        if file.suffix in (".ttl", ".nt")
    ]


def cli_load(*args: str) -> None:
    result = CliRunner().invoke(main, ["load", "--quiet", *args])
    assert result.exit_code == 0, f"recsys-kg load {' '.join(args)} failed:\n{result.output}"


def oxigraph_loaded(work: Path, dataset: Path) -> OxigraphServer:
    server = OxigraphServer(work / "oxigraph-db").start()
    try:
        cli_load("--endpoint", server.store_url, "--dataset", str(dataset), "--format", "nq")
    except BaseException:
        server.stop()
        raise
    return server


def virtuoso_load(virtuoso: Virtuoso, dataset: Path) -> None:
    cli_load(
        "--endpoint",
        virtuoso.gsp_url,
        "--dataset",
        str(dataset),
        "--user",
        virtuoso.user,
        "--password",
        virtuoso.password,
        "--auth",
        "digest",
    )


def parse_json_results(data: bytes) -> Answer:
    results = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    columns = tuple(v.value for v in results.variables)
    return columns, [tuple(solution[c] for c in columns) for solution in results]


@dataclass
class JenaRun:
    answers: dict[str, Answer]  # query name -> answer
    parsed: list[bytes]  # riot's N-Quads for each file given, in order


def jena_run(work: Path, nquads: Path, queries: Mapping[str, str], parse: Sequence[tuple[Path, str | None]]) -> JenaRun:
    """In one JVM (recsys_kg.stores.jena.run_many): ``tdb2.tdbloader`` of the exported N-Quads into a fresh
    TDB2 database, every query through ``tdb2.tdbquery``, and ``riotcmd.riot`` of every (file, syntax)."""
    names = sorted(queries)
    files = []
    for index, name in enumerate(names):
        files.append(work / f"query-{index}.rq")
        files[-1].write_text(queries[name], encoding="utf-8")
    location = work / "tdb2"
    results = [work / f"query-{index}.json" for index in range(len(names))]
    riot_out = [work / f"riot-{index}-{file.name}.nq" for index, (file, _) in enumerate(parse)]
    jena.run_many(
        work,
        [(work / "tdbloader.log", "tdb2.tdbloader", ["--loc", location, nquads])]
        + [
            (out, "tdb2.tdbquery", ["--loc", location, "--results=json", "--query", file])
            for out, file in zip(results, files, strict=False)
        ]
        + [
            (out, "riotcmd.riot", [*([f"--syntax={syntax}"] if syntax else []), "--output=nquads", file])
            for out, (file, syntax) in zip(riot_out, parse, strict=False)
        ],
    )
    return JenaRun(
        {name: parse_json_results(out.read_bytes()) for name, out in zip(names, results, strict=False)},
        [out.read_bytes() for out in riot_out],
    )
