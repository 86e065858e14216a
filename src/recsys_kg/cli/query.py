"""`recsys-kg query` (the canned queries of queries/) and `recsys-kg sparql` (any query), on the built dataset.

Both load build/recsys-kg.nq into an in-memory Oxigraph store (about 0.1 s for the seed graph) and print a
table or a standard SPARQL result format. A parameter naming a thing also takes its label or alias
(``company=Alibaba``; resolved against the graph by `query.lookup`, then bound as an RDF term). Exit codes: 0
success; 2 for an unknown query, parameter or value (the message lists the closest valid ones), an invalid
query, or a dataset that cannot be read.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from recsys_kg.cli.options import default_dataset, queries_option

# --graph as `validate` spells it; --data kept for the scripts that already use it.
_data_option = click.option(
    "--graph",
    "--data",
    "data_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=default_dataset,
    show_default="build/recsys-kg.nq",
    help="The dataset to query (N-Quads or TriG), as `recsys-kg build` writes it.",
)
RESULT_FORMATS = ["table", "csv", "tsv", "json", "xml", "markdown", "bibtex"]


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    from recsys_kg.cli.console import fail
    from recsys_kg.query.canned import is_text, shown_value

    params: dict[str, str] = {}
    for item in values:
        if not is_text(item):  # a command-line byte that is not UTF-8 arrives as a lone surrogate (PEP 383)
            fail(f"--param {shown_value(item)}: the value is not valid UTF-8 text")
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
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter value (repeatable); see --list for each query's parameters. A parameter naming a "
    "thing takes an IRI or its name (company=Alibaba, strategy=LoRA, venue=RecSys).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="Output format (bibtex: the papers in the result; with --list: table, markdown or json).",
)
@click.option(
    "--text",
    "show_text",
    is_flag=True,
    help="Print the query with its parameters bound (standard SPARQL 1.1, for any store) instead of running it.",
)
@_data_option
@queries_option
def query(
    name: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    fmt: str,
    show_text: bool,
    data_path: Path,
    queries_dir: Path,
) -> None:
    """Run the canned query NAME on the built graph, e.g. `recsys-kg query frozen-llm-industrial-by-company`."""
    from recsys_kg.cli.console import fail
    from recsys_kg.query.canned import QueryError, bound_text, check_names, get_spec, run, standalone_text
    from recsys_kg.rdf.dataset import DatasetError, open_store

    try:
        if list_queries:
            from recsys_kg.query.catalogue import catalogue_json, catalogue_markdown, catalogue_table

            if fmt not in ("table", "markdown", "json"):
                fail("--list prints table, markdown or json")
            listing = {"table": catalogue_table, "markdown": catalogue_markdown, "json": catalogue_json}[fmt]
            click.echo(listing(queries_dir), nl=False)
            return
        if not name:
            from recsys_kg.query.canned import query_names

            fail(f"give a query NAME or --list; valid queries: {', '.join(query_names(queries_dir)) or 'none'}")
        spec = get_spec(name, queries_dir)
        bound = _parse_params(params)
        check_names(spec, bound)
        from recsys_kg.query.lookup import Lookup, check_written_iris, needs_graph

        named = {p.name for p in spec.parameters if p.rdf_class is not None}
        standalone_text(spec, {k: v for k, v in bound.items() if k not in named})  # check values before loading
        check_written_iris(spec, bound)
        if show_text and not needs_graph(spec, bound):
            click.echo(standalone_text(spec, bound), nl=False)
            return

        store = open_store(data_path)
        terms = Lookup(store).terms(spec, bound)
        if show_text:
            click.echo(bound_text(spec, terms), nl=False)
            return
        result = run(store, spec, terms=terms)
    except (QueryError, DatasetError) as exc:
        fail(str(exc))
    click.echo(_render(result, fmt, store), nl=False)


def _render(result, fmt: str, store) -> str:  # noqa: ANN001 (QueryResult, ox.Store: imported lazily)
    if fmt == "bibtex":
        from recsys_kg.query.bibtex import to_bibtex

        return to_bibtex(store, result)
    from recsys_kg.query.output import render

    return render(result, fmt, _terminal_width())


def _terminal_width() -> int | None:
    """The width to fit tables to: the terminal's when printing to one, else $COLUMNS if set (a pager, a
    notebook); None (no narrowing) for a pipe or file."""
    import shutil

    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def _is_file(argument: str) -> bool:
    """Whether the argument names a file (a long query text is not a valid file name: OSError)."""
    try:
        return Path(argument).is_file()
    except OSError:
        return False


EMPTY_DEFAULT_GRAPH = (
    "the default graph is empty: every statement is in a named graph, so match with GRAPH ?g { … } or pass --union"
)


def _names_a_graph(text: str) -> bool:
    """Whether the query's code (outside strings and comments) uses GRAPH, FROM or a dataset of its own."""
    import re

    from recsys_kg.query.canned import code_spans

    return any(re.search(r"(?i)\b(GRAPH|FROM)\b", code) for _, code in code_spans(text))


@click.command("sparql")
@click.argument("query_or_file")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="Output format of SELECT results (CONSTRUCT and DESCRIBE print N-Triples, ASK prints true or false).",
)
@click.option(
    "--union",
    is_flag=True,
    help="Match patterns outside GRAPH against the union of all named graphs (without it the default "
    "graph is empty: every statement is in a named graph).",
)
@_data_option
def sparql(query_or_file: str, fmt: str, union: bool, data_path: Path) -> None:
    """Run any SPARQL query (text, a .rq file, or - for stdin) on the built graph; project prefixes predeclared.

    Every statement is in a named graph, so the default graph is empty: write GRAPH ?g { … } or pass --union."""
    import pyoxigraph as ox

    from recsys_kg.cli.console import fail
    from recsys_kg.query.canned import QueryError, QueryResult, is_text
    from recsys_kg.rdf.dataset import DatasetError, open_store
    from recsys_kg.rdf.namespaces import PREFIXES

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
        answer = store.query(
            text, prefixes={p: str(ns) for p, ns in PREFIXES.items()}, use_default_graph_as_union=union
        )
    except (QueryError, DatasetError) as exc:
        fail(str(exc))
    except SyntaxError as exc:
        fail(f"invalid SPARQL: {exc}")
    if isinstance(answer, ox.QueryBoolean):
        click.echo("true" if bool(answer) else "false")
    elif isinstance(answer, ox.QuerySolutions):
        columns = tuple(v.value for v in answer.variables)
        result = QueryResult(columns, [tuple(s) for s in answer])
        output = _render(result, fmt, store)
        if not result.rows and not union and not _names_a_graph(text):
            if fmt == "table":
                output = output.replace("(0 rows)", f"(0 rows; {EMPTY_DEFAULT_GRAPH})")
            else:
                click.echo(f"note: 0 rows; {EMPTY_DEFAULT_GRAPH}", err=True)
        click.echo(output, nl=False)
    else:
        triples = sorted(answer, key=str)
        if not triples and not union and not _names_a_graph(text):
            click.echo(f"note: nothing constructed; {EMPTY_DEFAULT_GRAPH}", err=True)
        click.echo((ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8"), nl=False)
