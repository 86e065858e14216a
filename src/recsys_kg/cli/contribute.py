"""`recsys-kg contribute new` (draft a contribution file) and `recsys-kg vocab KIND` (what a contribution can refer
to: labels, IRIs, how many papers use each). Exit codes: 0 written and valid; 1 written but the check against the
built graph found violations; 2 a value that cannot be used, an existing file, or an unreadable dataset."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from recsys_kg.cli.options import dataset_option

_data_option = dataset_option("--data", "data_path", "The built dataset to read (and to check the draft against).")


@click.group("contribute")
def contribute() -> None:
    """Draft contributions (new papers) for the graph."""


@contribute.command("new")
@click.option("--title", required=True, help="The title as printed on the paper.")
@click.option("--arxiv", help="Its arXiv id, like 2305.19860 (no version).")
@click.option("--doi", help="Its DOI, like 10.1145/3589334.3645347 (when it has no arXiv id, or as well).")
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="LIST/SECTION",
    help="A taxonomy section, like llm4rec-zh/1.3 (repeatable; `recsys-kg vocab categories`).",
)
@click.option(
    "--backbone",
    "backbones",
    multiple=True,
    metavar="MODEL:STRATEGY",
    help='An LLM the paper uses and how it is tuned, like "LLaMA-2-7B:LoRA" (repeatable).',
)
@click.option("--venue", help='Where it appeared, like "WWW 2024" or arXiv (`recsys-kg vocab venues`).')
@click.option("--year", type=click.IntRange(1990, 2100), help="The year of first publication (else the venue's).")
@click.option("--link", "links", multiple=True, help="Where to read it (default: its arXiv or DOI page).")
@click.option("--contributor", help="Your name or handle, for the file's header.")
@click.option("--reference", help="The pull request or issue, for the file's header.")
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write (default: <paper key>.ttl in the current directory).",
)
@_data_option
def new(
    title: str,
    arxiv: str | None,
    doi: str | None,
    categories: tuple[str, ...],
    backbones: tuple[str, ...],
    venue: str | None,
    year: int | None,
    links: tuple[str, ...],
    contributor: str | None,
    reference: str | None,
    out_path: Path | None,
    data_path: Path,
) -> None:
    """Write a contribution file from these values and check it against the built graph."""
    from recsys_kg.cli.console import fail
    from recsys_kg.outputs import atomic_write
    from recsys_kg.tools.contribution_draft import Draft, DraftError, render

    draft = Draft(
        title=title,
        arxiv=arxiv,
        doi=doi,
        categories=list(categories),
        backbones=list(backbones),
        venue=venue,
        year=year,
        links=list(links),
        contributor=contributor,
        date=datetime.date.today().isoformat() if contributor else None,
        reference=reference,
    )
    try:
        text = render(draft)
    except DraftError as exc:
        fail(str(exc))
    path = out_path or Path(f"{draft.paper_key()}.ttl")
    if path.exists():
        fail(f"{path} exists; give another --out or remove it")
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    click.echo(f"Wrote {path}")
    if not data_path.exists():
        click.echo(
            f"Not checked: no built graph at {data_path} (run `recsys-kg build`, then `recsys-kg validate {path}`)."
        )
        return
    from recsys_kg.rdf.dataset import DatasetError
    from recsys_kg.validate.contributions import validate_contribution_files

    try:
        report, errors = validate_contribution_files([path], data_path)
    except DatasetError as exc:
        fail(str(exc))
    for line in [str(e) for e in errors] + [r.text_line() for r in report.results]:
        click.echo(line)
    if errors or not report.conforms:
        fail(f"{path} does not validate yet: fix what is listed above", code=1)
    click.echo(f"{path} validates against {data_path}.")


@click.command("vocab")
@click.argument("kind", type=click.Choice(["models", "venues", "strategies", "categories", "companies"]))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@_data_option
def vocab(kind: str, fmt: str, data_path: Path) -> None:
    """List what a contribution can refer to: label, IRI and number of papers of every model, venue, tuning
    strategy, taxonomy category or company of the built graph."""
    from recsys_kg.cli.console import fail
    from recsys_kg.query.output import render
    from recsys_kg.query.vocabulary import vocabulary
    from recsys_kg.rdf.dataset import DatasetError, open_store

    try:
        result = vocabulary(open_store(data_path), kind)
    except DatasetError as exc:
        fail(str(exc))
    if not result.rows:
        fail(f"{data_path} has no {kind}: is it a recsys-kg build?", code=1)
    click.echo(render(result, fmt), nl=False)
