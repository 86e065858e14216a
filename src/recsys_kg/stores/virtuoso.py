"""A private Virtuoso Open Source 7 instance (Debian ``virtuoso-opensource-7-bin``) on 127.0.0.1.

The ini is written here, not taken from the system package: both listeners are bound to loopback on free ports,
the database lives in a temporary directory, and the ``[SPARQL]`` limits are lifted (the defaults of 10000 rows
and 60 s silently truncate results). A new database has the account dba/dba.

Endpoints: ``/sparql`` (anonymous, read-only), ``/sparql-auth`` (updates, HTTP digest), ``/sparql-graph-crud``
(anonymous Graph Store reads) and ``/sparql-graph-crud-auth`` (Graph Store writes, HTTP digest; one graph per
request and only triple formats: N-Quads, TriG and JSON-LD are refused). ``isql-vt`` exits 0 even when a
statement failed, so :func:`Virtuoso.isql` looks for ``*** Error`` in its output.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from recsys_kg.stores.process import LOOPBACK, StoreFailed, StoreUnavailable, free_port, run, start, stop, wait_http

INSTALL_HINT = (
    "sudo apt-get install --no-install-recommends virtuoso-opensource-7-bin"
    "   (or, as root: bash scripts/install-stores.sh)"
)

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = {host}:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}{dirs}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 1G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
[HTTPServer]
ServerPort = {host}:{http}
ServerRoot = {d}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""


def binaries() -> tuple[str, str]:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not (server and isql):
        raise StoreUnavailable(f"Virtuoso is not installed; install it with: {INSTALL_HINT}")
    return server, isql


@dataclass
class Virtuoso:
    """A fresh Virtuoso database in ``directory``; ``allowed`` are extra directories the bulk loader may read."""

    directory: Path
    allowed: tuple[Path, ...] = ()
    user: str = "dba"
    password: str = "dba"
    sql_port: int = 0
    http_port: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}"

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def gsp_url(self) -> str:
        """The writable Graph Store endpoint (digest authentication)."""
        return self.base + "/sparql-graph-crud-auth"

    @property
    def gsp_read_url(self) -> str:
        return self.base + "/sparql-graph-crud"

    def start(self, timeout: float = 90.0) -> Virtuoso:
        server, _ = binaries()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.sql_port = self.sql_port or free_port()
        self.http_port = self.http_port or free_port()
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            INI.format(
                d=self.directory,
                host=LOOPBACK,
                sql=self.sql_port,
                http=self.http_port,
                dirs="".join(f", {p}" for p in self.allowed),
            ),
            encoding="utf-8",
        )
        log = self.directory / "stdout.log"
        self.process = start([server, "+configfile", str(ini), "+foreground"], log, cwd=self.directory)
        wait_http(self.process, self.query_url + "?query=ASK%7B%7D", log, timeout)
        return self

    def isql(self, statements: str) -> str:
        """Run SQL through ``isql-vt``; an ``*** Error`` in the output raises :class:`StoreFailed`."""
        _, isql = binaries()
        out = run([isql, f"{LOOPBACK}:{self.sql_port}", self.user, self.password, f"exec={statements}"])
        text = out.stdout.decode("utf-8", "replace") + out.stderr.decode("utf-8", "replace")
        if "*** Error" in text:
            raise StoreFailed(f"Virtuoso SQL failed: {statements}\n{text[-2000:]}")
        return text

    def bulk_load(self, directory: Path, pattern: str, default_graph: str) -> None:
        """The native bulk loader (``ld_dir`` + ``rdf_loader_run``); ``default_graph`` receives a quad file's
        default-graph triples and every triple file's triples without a ``<file>.graph`` beside it."""
        if any("'" in part for part in (str(directory), pattern, default_graph)):
            raise StoreFailed(f"cannot bulk-load from {directory}: a quote in the path, pattern or graph name")
        self.isql(f"ld_dir('{directory}', '{pattern}', '{default_graph}'); rdf_loader_run(); checkpoint;")
        errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        if "0 Rows" not in errors:
            raise StoreFailed(f"Virtuoso bulk load reported errors:\n{errors[-2000:]}")

    def clear(self, graphs: list[str]) -> None:
        """Drop these graphs and forget what the bulk loader loaded (so the same files can load again)."""
        for graph in graphs:
            if not graph.isascii() or any(c in graph for c in "<>\"{}|^`\\ ';"):
                raise StoreFailed(f"not clearing {graph!r}: not a plain IRI")
        self.isql("".join(f"SPARQL CLEAR GRAPH <{g}>; " for g in graphs) + "DELETE FROM DB.DBA.load_list;")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
