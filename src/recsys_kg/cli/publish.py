"""`recsys-kg export`, `recsys-kg load` and `recsys-kg serve`: getting the graph into triple stores.

Exit codes: 0 done; 1 the data has quads no portable form can carry (export/load); 2 unreadable input, usage
error, or a store that cannot be reached, refuses the credentials or refuses the data.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from recsys_kg import paths
from recsys_kg.cli.options import default_dataset

dataset_option = click.option(
    "--dataset",
    type=click.Path(path_type=Path),
    default=default_dataset,
    show_default="build/recsys-kg.nq",
    help="The built dataset (.nq, .trig, .jsonld) or a directory written by `export --format ttl|nt`.",
)
graph_option = click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="GRAPH",
    help="Only this named graph (IRI, or its name under …/graph/, e.g. vocabulary); repeatable. Default: all.",
)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld"]),
    default="nq",
    show_default=True,
    help="nq, trig and jsonld write one file; ttl and nt a directory with one file "
    "per named graph and a <file>.graph beside each, holding the graph IRI.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (or directory for ttl/nt). Default: build/export/recsys-kg.<format> "
    "(build/export/recsys-kg-<format>/ for ttl/nt).",
)
@dataset_option
@graph_option
def export(fmt: str, out: Path | None, dataset: Path, graphs: tuple[str, ...]) -> None:
    """Write the graph in a format for triple stores, with canonical, portable literals and its VoID metadata."""
    from recsys_kg.cli.console import fail
    from recsys_kg.publish.export import ExportError, default_out
    from recsys_kg.publish.export import export as run_export
    from recsys_kg.rdf.dataset import DatasetError

    out = out or default_out(fmt, paths.default_build_dir())
    try:
        summary = run_export(dataset, fmt, out, graphs)
    except ExportError as exc:
        fail(str(exc), exc.code)
    except DatasetError as exc:
        fail(str(exc))
    click.echo(
        f"Wrote {summary.quads} quads in {summary.graphs} named graphs to {summary.path}"
        + (f" ({len(summary.files)} files)" if len(summary.files) > 1 else "")
    )


@click.command()
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Graph Store Protocol endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph), "
    "http://localhost:3030/ds/data (Fuseki), http://localhost:8890/sparql-graph-crud-auth (Virtuoso).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nt", "ttl", "nq", "trig", "jsonld"]),
    default="nt",
    show_default=True,
    help="nt/ttl: one request per named graph (every store); nq/trig/jsonld: the "
    "whole dataset in one request (stores that accept quads over GSP).",
)
@click.option(
    "--replace/--append",
    default=True,
    show_default=True,
    help="Replace each named graph of the dataset in the store, or add to what the store holds.",
)
@click.option("--user", default=None, help="User name for HTTP authentication.")
@click.option(
    "--password",
    default=None,
    envvar="RECSYS_KG_STORE_PASSWORD",
    help="Password (or set RECSYS_KG_STORE_PASSWORD; prompted for when --user is given without one).",
)
@click.option(
    "--auth",
    "scheme",
    type=click.Choice(["basic", "digest"]),
    default="basic",
    show_default=True,
    help="HTTP authentication scheme (Virtuoso needs digest).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    help="Seconds each request may take in all (connecting, sending, reading the answer).",
)
@click.option(
    "--verify/--no-verify",
    default=True,
    show_default=True,
    help="Count every graph's triples in the store afterwards (catches stores that ignore data).",
)
@click.option(
    "--query-endpoint",
    metavar="URL",
    default=None,
    help="The store's SPARQL query endpoint (read anonymously): the check counts every graph with one "
    "query there instead of reading each graph back. Found by itself for Oxigraph (/query).",
)
@click.option(
    "--bulk/--no-bulk",
    default=True,
    show_default=True,
    help="Oxigraph: ask it to load each request with its bulk loader (?no_transaction; 5x faster, but "
    "a request that fails may leave part of its graph). Other stores: no effect.",
)
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@dataset_option
@graph_option
def load(
    endpoint: str,
    fmt: str,
    replace: bool,
    user: str | None,
    password: str | None,
    scheme: str,
    timeout: float,
    verify: bool,
    query_endpoint: str | None,
    bulk: bool,
    quiet: bool,
    dataset: Path,
    graphs: tuple[str, ...],
) -> None:
    """Load the graph into a triple store through the SPARQL 1.1 Graph Store HTTP Protocol."""
    from recsys_kg.cli.console import fail
    from recsys_kg.publish.export import ExportError
    from recsys_kg.publish.load import Auth, LoadError
    from recsys_kg.publish.load import load as run_load
    from recsys_kg.rdf.dataset import DatasetError

    if password is not None and user is None:
        if click.get_current_context().get_parameter_source("password") == ParameterSource.COMMANDLINE:
            fail("--password needs --user")
        password = None  # RECSYS_KG_STORE_PASSWORD set for another store: no user given, no authentication
    auth = None
    if user is not None:
        if password is None:
            password = click.prompt(f"Password for {user}", hide_input=True, err=True)
        auth = Auth(user, password, scheme)
    with _progress(quiet) as progress:
        try:
            summary = run_load(
                dataset, endpoint, fmt, replace, auth, graphs, timeout, verify, progress, query_endpoint, bulk
            )
        except ExportError as exc:
            fail(str(exc), exc.code)
        except DatasetError as exc:
            fail(str(exc))
        except LoadError as exc:
            fail(str(exc))
    if not quiet:
        click.echo(
            f"Loaded {summary.triples} triples ({summary.bytes / 1e6:.1f} MB) in {summary.uploads} "
            f"request(s) into {summary.endpoint} in {summary.seconds:.1f} s"
            + ("; read back and counted: complete." if summary.verified else ".")
        )


def _progress(quiet: bool):
    """A progress bar over the requests on a terminal; one line per request otherwise; nothing with --quiet."""
    from contextlib import contextmanager

    from recsys_kg.cli.console import err

    @contextmanager
    def lines():
        yield lambda message, step, steps: click.echo(f"[{step}/{steps}] {message}", err=True)

    @contextmanager
    def bar():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err, transient=True
        ) as display:
            task = display.add_task("loading", total=None)

            def advance(message, step, steps):
                display.update(task, total=steps, completed=step, description=message)

            yield advance

    @contextmanager
    def silent():
        yield None

    return silent() if quiet else bar() if err.is_terminal else lines()


@click.command()
@click.option("--port", type=int, default=7878, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option(
    "--union-default-graph",
    is_flag=True,
    help="Let queries without GRAPH see the union of all graphs (the default graph is empty otherwise).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds a query may run before it is stopped (504).",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Also serve this site (`recsys-kg render site --out DIR`) on the same port, with /id/… IRIs "
    "content-negotiated, /graph/… and /query; the SPARQL UI is then /sparql.html.",
)
@dataset_option
def serve(port: int, union_default_graph: bool, timeout: float, site_dir: Path | None, dataset: Path) -> None:
    """Serve the graph as a read-only SPARQL endpoint with a query UI on 127.0.0.1 (Oxigraph server behind a
    gateway: SERVICE refused, Host and Origin checked, same-origin only, no writes, a query timeout)."""
    from recsys_kg.cli.console import fail
    from recsys_kg.publish.export import ExportError
    from recsys_kg.publish.serve import ServeError
    from recsys_kg.publish.serve import serve as run_serve
    from recsys_kg.rdf.dataset import DatasetError
    from recsys_kg.stores.process import StoreUnavailable

    def ready(endpoint, quads: int) -> None:
        click.echo(
            f"Serving {quads} quads from {dataset} (read-only) on {endpoint.base}/\n"
            f"SPARQL endpoint: {endpoint.query_url}\nGraph Store (read): {endpoint.store_url}\n"
            f"Queries stop after {timeout:g} s; SERVICE is disabled; same-origin only.\n"
            f"Server PID {endpoint.server_pid}. Press Ctrl-C to stop."
        )

    if site_dir is not None:
        ready = _site_ready(site_dir, dataset, port)
        port, union_default_graph = 0, True  # Oxigraph behind the site server, on a free port
    try:
        run_serve(dataset, port, union_default_graph, ready, timeout)
    except (ExportError, DatasetError, ServeError, StoreUnavailable) as exc:
        fail(str(exc), getattr(exc, "code", 2))


def _site_ready(site_dir: Path, dataset: Path, port: int):
    """The callback that starts the site server in front of Oxigraph once Oxigraph answers."""
    from recsys_kg.publish.serve import ServeError
    from recsys_kg.publish.site_server import start_site_server
    from recsys_kg.rdf.dataset import open_store

    def ready(server, quads: int) -> None:
        try:
            site = start_site_server(port, site_dir, open_store(dataset), server.query_url)
        except (OSError, FileNotFoundError) as exc:
            raise ServeError(f"cannot serve the site on 127.0.0.1:{port}: {exc}") from None
        click.echo(
            f"Serving {quads} quads from {dataset} and the site {site_dir} (read-only) on {site.base}/\n"
            f"IRIs: {site.base}/id/paper/arxiv-2305.19860 (HTML, or RDF with Accept: text/turtle)\n"
            f"SPARQL endpoint: {site.base}/query, UI: {site.base}/sparql.html\nPress Ctrl-C to stop.",
            nl=True,
        )

    return ready
