"""`recsys-kg render source SOURCE-ID`: a source list regenerated from the built graph alone (render/source.py).

Exit codes: 0 written; 2 for a dataset that cannot be read or a source it does not hold (the message lists the
sources it holds). With ``--out`` the file is written atomically; without it the list goes to standard output.
"""

from __future__ import annotations

from pathlib import Path

import click

from recsys_kg.cli.options import dataset_option


@click.command("source")
@click.argument("source_id", metavar="SOURCE-ID")
@dataset_option("--data", "data_path", "The built dataset (N-Quads or TriG), as `recsys-kg build` writes it.")
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the list to this file (atomically) instead of standard output.",
)
def source(source_id: str, data_path: Path, out_path: Path | None) -> None:
    """Regenerate the source list SOURCE-ID (e.g. llm4rec-zh) from the graph: headings, rows, items, cells."""
    from recsys_kg.cli.console import fail
    from recsys_kg.outputs import atomic_write
    from recsys_kg.rdf.dataset import DatasetError, open_store
    from recsys_kg.render.source import RenderError, render_source

    try:
        text = render_source(open_store(data_path), source_id)
    except (DatasetError, RenderError) as exc:
        fail(str(exc))
        return
    if out_path is None:
        click.echo(text, nl=False)
    else:
        try:
            atomic_write(out_path, text.encode("utf-8"))
        except OSError as exc:
            fail(f"cannot write {out_path}: {exc.strerror or exc}")
