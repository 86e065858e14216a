"""`recsys-kg serve`: a local, read-only SPARQL endpoint (and query UI) over the built graph.

It runs the Oxigraph server (``oxigraph serve-read-only``) on the dataset's persistent store (rdf/graph_store.py:
the built graph is not loaded again; this process keeps it from being removed while the server reads it) or,
for a directory of per-graph files or where no store can be written, on a temporary copy loaded from the same
portable N-Quads `recsys-kg export` writes. It is bound to 127.0.0.1 only: the server has no authentication, so
it is never exposed beyond this machine. The published port is the gateway's (gateway.py: Host and Origin checked,
SERVICE refused, writes refused, a query timeout); the server itself listens on another loopback port. A copy and
the server go away when the command stops (Ctrl-C or SIGTERM); the server is stopped by its PID, and a copy left by
a killed run is removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from recsys_kg.publish.export import dataset_bytes, portable
from recsys_kg.publish.gateway import Gateway
from recsys_kg.rdf.dataset import graph_generation, open_store, read_dataset
from recsys_kg.rdf.graph_store import StoreUnavailable as GraphStoreUnavailable
from recsys_kg.stores.oxigraph import OxigraphServer, bulk_load
from recsys_kg.stores.process import LOOPBACK, StoreFailed, free_port

DEFAULT_TIMEOUT = 30.0  # seconds a query may run


@dataclass(frozen=True)
class Endpoint:
    """What the person running `serve` needs: the gateway's URLs and the server's PID."""

    base: str
    server_pid: int

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def store_url(self) -> str:
        return self.base + "/store"


class ServeError(Exception):
    """The endpoint could not be started; the message says why and what to do."""


def _port_taken(port: int, exc: OSError) -> ServeError:
    return ServeError(
        f"port {port} on {LOOPBACK} is not free ({exc.strerror}): pass another --port, or --port 0 for any free one"
    )


def _check_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError as exc:
            raise _port_taken(port, exc) from None


TEMP_PREFIX = "recsys-kg-serve-"  # + "<pid>-": whose copy it is, so the next run can tell a dead run's from a live one


def _remove_dead_copies() -> None:
    """Delete the temporary copies of serve runs that were killed (SIGKILL runs no finally block)."""
    for directory in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*-*"):
        pid = directory.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(directory, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _stop(_signum, _frame) -> None:
    sys.exit(0)  # unwinds through the finally blocks below, which stop the server and remove the copy


def _supervise(server: OxigraphServer, restart: threading.Event) -> None:
    """Until the server stops by itself (ServeError): restart it whenever the gateway asks. Restarting is the one
    sure way to stop a query past the timeout (Oxigraph's own timeout does not stop a long aggregate). It happens
    here, in the main thread, because the server dies with the thread that started it (PR_SET_PDEATHSIG)."""
    while True:
        if restart.wait(0.5):
            restart.clear()
            server.stop()
            server.start()
        elif server.process is None or server.process.poll() is not None:
            code = server.process.returncode if server.process else None
            raise ServeError(f"the Oxigraph server stopped by itself (exit code {code})")


def serve(
    dataset: Path,
    port: int = 7878,
    union_default_graph: bool = False,
    on_ready: Callable[[Endpoint, int], None] = lambda endpoint, quads: None,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Serve ``dataset`` until interrupted; ``on_ready`` is called once the endpoint answers."""
    if not timeout > 0:
        raise ServeError(f"--timeout must be a positive number of seconds, not {timeout}")
    try:
        location: Path | None = graph_generation(dataset) / "store"
        size = len(open_store(dataset))
    except GraphStoreUnavailable:
        location = None
        quads = portable(read_dataset(dataset))
        size = len(quads)
    if port:
        _check_port(port)
    # Both handled explicitly: a shell starts background jobs with SIGINT ignored, and Python then never raises
    # KeyboardInterrupt; the server itself runs in its own session, so only this process gets the signal.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    _remove_dead_copies()
    try:
        with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as tmp:
            if location is None:
                data = Path(tmp) / "recsys-kg.nq"
                data.write_bytes(dataset_bytes(quads, "nq"))
                location = Path(tmp) / "db"
                bulk_load(location, [data])
            server = OxigraphServer(
                location, read_only=True, union_default_graph=union_default_graph, port=free_port(), timeout=timeout
            )  # its own limit stops most queries
            server.start()
            restart = threading.Event()  # set by the gateway when a query ran past the timeout
            try:
                try:
                    gateway = Gateway(LOOPBACK, port, server.base, timeout, on_timeout=restart.set).start()
                except OSError as exc:
                    raise _port_taken(port, exc) from None
                try:
                    on_ready(Endpoint(gateway.origin, server.process.pid if server.process else 0), size)
                    _supervise(server, restart)
                finally:
                    gateway.stop()
            finally:
                server.stop()
    except StoreFailed as exc:
        raise ServeError(str(exc)) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
