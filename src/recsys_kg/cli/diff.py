"""`recsys-kg diff OLD NEW`: what changed between two built datasets or release dumps (publish/diff.py), as
markdown for a pull-request comment or JSON. Exit codes: 0 compared (whether or not anything changed); 2 a
dataset that cannot be read."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file (atomically) instead of printing it.",
)
def diff(old: Path, new: Path, fmt: str, out_path: Path | None) -> None:
    """What changed from OLD to NEW (built datasets or release dumps: .nq, .nq.gz, .trig, …): papers added,
    removed, re-keyed, merged or split; claims added, removed and changed per paper and per source; new and
    resolved conflicts between the lists."""
    from recsys_kg.cli.console import fail
    from recsys_kg.outputs import atomic_write
    from recsys_kg.publish.diff import diff_files, to_json, to_markdown
    from recsys_kg.rdf.dataset import DatasetError

    try:
        changes = diff_files(old, new)
    except DatasetError as exc:
        fail(str(exc))
    text = to_json(changes) if fmt == "json" else to_markdown(changes, old.name, new.name)
    if out_path is None:
        click.echo(text, nl=False)
        return
    try:
        atomic_write(out_path, text.encode("utf-8"))
    except OSError as exc:
        fail(f"cannot write {out_path}: {exc.strerror or exc}")
