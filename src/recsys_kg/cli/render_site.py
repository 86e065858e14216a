"""`recsys-kg render list` and `recsys-kg render site`: the merged list and the static site, from the graph alone.

Exit codes: 0 written; 2 unreadable dataset, a missing source file or an unknown option value.
"""

from __future__ import annotations

from pathlib import Path

import click

from recsys_kg import paths
from recsys_kg.cli.options import dataset_option, queries_option, sources_option

_data = dataset_option("--data", "data_path", "The built dataset (.nq, .trig, .jsonld) to render.")


def _catalogue(data_path: Path):
    from recsys_kg.cli.console import fail
    from recsys_kg.rdf.dataset import DatasetError
    from recsys_kg.render.catalogue import CatalogueError, read_catalogue

    try:
        return read_catalogue(data_path)
    except (DatasetError, CatalogueError) as exc:
        fail(str(exc))


@click.command("list")
@click.option(
    "--group-by",
    default="none",
    show_default=True,
    metavar="taxonomy:SOURCE|year|tuning|venue",
    help="Headings: a source's taxonomy (e.g. taxonomy:llm4rec-zh), year, top tuning strategy or venue.",
)
@click.option(
    "--sort",
    type=click.Choice(["date", "venue"]),
    default="date",
    show_default=True,
    help="Order within each group: newest first, or by venue then newest.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the markdown here (atomically); default: standard output.",
)
@click.option(
    "--page-base",
    default="https://w3id.org/recsys-kg/id/paper/",
    show_default=True,
    help="Where a disagreement marker links: this + the paper's id (the IRI, resolved by w3id.org or "
    "`recsys-kg serve`; or e.g. site/id/paper/ for a site next to the list).",
)
@_data
def merged_list(group_by: str, sort: str, out_file: Path | None, page_base: str, data_path: Path) -> None:
    """Write one markdown README with every paper of the graph exactly once."""
    from recsys_kg.cli.console import fail
    from recsys_kg.outputs import atomic_write
    from recsys_kg.render.merged_list import GroupingError, render_list

    catalogue = _catalogue(data_path)
    try:
        text = render_list(catalogue, group_by, sort, page_base)
    except GroupingError as exc:
        fail(str(exc))
    if out_file is None:
        click.echo(text, nl=False)
    else:
        try:
            atomic_write(out_file, text.encode("utf-8"))
        except OSError as exc:
            fail(f"cannot write {out_file}: {exc.strerror or exc}")
        click.echo(f"Wrote {len(catalogue.papers)} papers to {out_file}", err=True)


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The site's directory (replaced as a whole once the new site is written).",
)
@click.option(
    "--shapes",
    "shapes_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=paths.shapes_dir,
    show_default="shapes/ of the home",
    help="The shapes directory whose README.md lists the SHACL rules.",
)
@sources_option
@queries_option
@_data
def site(out_dir: Path, shapes_dir: Path, sources_dir: Path, queries_dir: Path, data_path: Path) -> None:
    """Write the static site: paper, company, venue, strategy, backbone, concept and list pages, search, pictures."""
    from recsys_kg.cli.console import fail
    from recsys_kg.query.canned import QueryError
    from recsys_kg.render.site import SiteError, render_site

    catalogue = _catalogue(data_path)
    try:
        made = render_site(catalogue, out_dir, sources_dir, queries_dir, shapes_dir / "README.md")
    except (SiteError, QueryError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the site to {out_dir}: {exc.strerror or exc}")
    click.echo(
        f"Wrote {made.pages} files ({made.papers} paper pages, {made.charts} pictures) to {made.out}; "
        f"open {made.out / 'index.html'}"
    )
