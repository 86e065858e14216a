"""The Oxigraph server (the ``oxigraph`` binary of the PyPI package ``oxigraph``): bulk load, serve, stop.

Endpoints of a running server: ``/query`` (SPARQL 1.1 Protocol), ``/update``, ``/store`` (Graph Store Protocol,
no authentication: hence loopback only) and a query UI at ``/``. ``serve-read-only`` has no ``/update`` and a
read-only ``/store``. ``oxigraph load`` cannot run while a server holds the same database (lock file).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from recsys_kg.stores.process import LOOPBACK, StoreUnavailable, free_port, run, start, stop, wait_http

INSTALL_HINT = "pip install oxigraph   (the Oxigraph server; also in recsys-kg's [test] and [serve] extras)"


def binary() -> str:
    """The ``oxigraph`` program: beside this Python (a venv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise StoreUnavailable(f"the Oxigraph server is not installed; install it with: {INSTALL_HINT}")
    return found


def bulk_load(location: Path, files: list[Path], graph: str | None = None) -> None:
    """``oxigraph load``: each file atomically; quad formats keep their graphs, ``graph`` names a triple file's."""
    command = [binary(), "load", "--location", str(location)]
    if graph:
        command += ["--graph", graph]
    run(command + ["--file", *map(str, files)])


@dataclass
class OxigraphServer:
    """A server on 127.0.0.1 over ``location`` (a fresh temporary directory gives a fresh store)."""

    location: Path
    read_only: bool = False
    union_default_graph: bool = False
    port: int = 0
    timeout: float | None = None  # seconds a SPARQL query may run (the server's --timeout-s); None: no limit
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    def start(self, timeout: float = 30.0) -> OxigraphServer:
        self.port = self.port or free_port()
        command = [
            binary(),
            "serve-read-only" if self.read_only else "serve",
            "--location",
            str(self.location),
            "--bind",
            f"{LOOPBACK}:{self.port}",
        ]
        if self.union_default_graph:
            command.append("--union-default-graph")
        if self.timeout is not None:
            command += ["--timeout-s", str(max(1, round(self.timeout)))]
        self.location.mkdir(parents=True, exist_ok=True)
        log = self.location.parent / f"oxigraph-{self.port}.log"
        self.process = start(command, log)
        wait_http(self.process, self.query_url + "?query=ASK%7B%7D", log, timeout)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
