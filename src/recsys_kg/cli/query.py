"""`recsys-kg query` (the canned queries of queries/) and `recsys-kg sparql` (any query), on the built dataset.

Both load build/recsys-kg.nq into an in-memory Oxigraph store (about 0.1 s for the seed graph) and print a
table or a standard SPARQL result format. Exit codes: 0 success; 2 for an unknown query or parameter (the
message lists the valid ones), an invalid value or query, or a dataset that cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recsys_kg.cli.options import dataset_option, queries_option

_data_option = dataset_option("--data", "data_path", "The dataset to query (N-Quads or TriG), as `recsys-kg build` writes it.")


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    from recsys_kg.cli.console import fail

    params: dict[str, str] = {}
    for item in values:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            fail(f"--param expects KEY=VALUE, got {item!r}")
        if key.strip() in params:
            fail(f"--param {key.strip()} given twice")
        params[key.strip()] = value
    return params


@click.command("query")
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries and their parameters.")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value (repeatable); see --list for each query's parameters.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]), default="table",
              show_default=True, help="Output format (markdown: only with --list, the queries/README.md catalogue).")
@click.option("--text", "show_text", is_flag=True,
              help="Print the query with its parameters bound (standard SPARQL 1.1, for any store) instead of running it.")
@_data_option
@queries_option
def query(name: str | None, list_queries: bool, params: tuple[str, ...], fmt: str, show_text: bool, data_path: Path,
          queries_dir: Path) -> None:
    """Run the canned query NAME on the built graph, e.g. `recsys-kg query frozen-llm-industrial-by-company`."""
    from recsys_kg.cli.console import fail
    from recsys_kg.query.canned import QueryError, get_spec, run, standalone_text
    from recsys_kg.rdf.dataset import DatasetError, open_store

    try:
        if list_queries:
            from recsys_kg.query.catalogue import catalogue_json, catalogue_markdown, catalogue_table

            if fmt in ("csv", "tsv"):
                fail("--list prints table, markdown or json")
            listing = {"table": catalogue_table, "markdown": catalogue_markdown, "json": catalogue_json}[fmt]
            click.echo(listing(queries_dir), nl=False)
            return
        if not name:
            from recsys_kg.query.canned import query_names

            fail(f"give a query NAME or --list; valid queries: {', '.join(query_names(queries_dir)) or 'none'}")
        if fmt == "markdown":
            fail("--format markdown is only for --list; results print as table, csv, tsv or json")
        spec = get_spec(name, queries_dir)
        bound = _parse_params(params)
        if show_text:
            click.echo(standalone_text(spec, bound), nl=False)
            return
        standalone_text(spec, bound)  # validate the parameters before loading the data
        result = run(open_store(data_path), spec, bound)
    except (QueryError, DatasetError) as exc:
        fail(str(exc))
    from recsys_kg.query.output import render

    click.echo(render(result, fmt, _terminal_width()), nl=False)


def _terminal_width() -> int | None:
    """The terminal's width when printing to one (tables are narrowed to fit); None for a pipe or file."""
    import shutil

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _is_file(argument: str) -> bool:
    """Whether the argument names a file (a long query text is not a valid file name: OSError)."""
    try:
        return Path(argument).is_file()
    except OSError:
        return False


@click.command("sparql")
@click.argument("query_or_file")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
              help="Output format of SELECT results (CONSTRUCT and DESCRIBE print N-Triples, ASK prints true or false).")
@_data_option
def sparql(query_or_file: str, fmt: str, data_path: Path) -> None:
    """Run any SPARQL query (text, a .rq file, or - for stdin) on the built graph; project prefixes predeclared."""
    import pyoxigraph as ox

    from recsys_kg.cli.console import fail
    from recsys_kg.rdf.namespaces import PREFIXES
    from recsys_kg.query.canned import QueryError, QueryResult, is_text
    from recsys_kg.rdf.dataset import DatasetError, open_store
    from recsys_kg.query.output import render

    if query_or_file == "-":
        try:
            text = sys.stdin.buffer.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            fail(f"the query on stdin is not UTF-8 text (byte {exc.start})")
    elif query_or_file.endswith(".rq") or _is_file(query_or_file):
        try:
            text = Path(query_or_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {query_or_file}: {exc}")
    else:
        text = query_or_file
    if not is_text(text):  # a command-line byte that is not UTF-8 arrives as a lone surrogate (PEP 383)
        fail("the query is not valid UTF-8 text")
    try:
        store = open_store(data_path)
        answer = store.query(text, prefixes={p: str(ns) for p, ns in PREFIXES.items()})
    except (QueryError, DatasetError) as exc:
        fail(str(exc))
    except SyntaxError as exc:
        fail(f"invalid SPARQL: {exc}")
    if isinstance(answer, ox.QueryBoolean):
        click.echo("true" if bool(answer) else "false")
    elif isinstance(answer, ox.QuerySolutions):
        columns = tuple(v.value for v in answer.variables)
        click.echo(render(QueryResult(columns, [tuple(s) for s in answer]), fmt, _terminal_width()), nl=False)
    else:
        triples = sorted(answer, key=str)
        click.echo(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), nl=False)
