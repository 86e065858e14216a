"""`recsys-kg sources update SOURCE-ID FILE` (build/source_update.py). Exit codes: 0 replaced (or, with
--dry-run, compared); 1 the new version gives a graph with SHACL violations (nothing replaced); 2 an unknown
source, an unreadable file or a bad option value."""

from __future__ import annotations

from pathlib import Path

import click

from recsys_kg.cli.options import curation_option, sources_option


@click.group("sources")
def sources() -> None:
    """Manage the source lists of data/sources/ (their versions and pedigree)."""


@sources.command("update")
@click.argument("source_id")
@click.argument("new_file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--commit", help="The upstream commit the new version was taken from.")
@click.option("--retrieved", help="The date it was retrieved, YYYY-MM-DD (default: today, unless --commit).")
@click.option("--upstream", help="Its upstream URL, if it changed or was not recorded.")
@click.option("--dry-run", is_flag=True, help="Only show what would change; replace nothing.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@sources_option
@curation_option
def update(
    source_id: str,
    new_file: Path,
    commit: str | None,
    retrieved: str | None,
    upstream: str | None,
    dry_run: bool,
    fmt: str,
    sources_dir: Path,
    curation_dir: Path,
) -> None:
    """Replace source SOURCE_ID with NEW_FILE (a newer version of the list), showing what changes in the graph."""
    import datetime

    from recsys_kg.build.source_update import update_source
    from recsys_kg.cli.console import fail
    from recsys_kg.ingest.base import SourceError
    from recsys_kg.publish.diff import to_json, to_markdown

    if retrieved is not None:
        try:
            datetime.date.fromisoformat(retrieved)
        except ValueError:
            fail(f"--retrieved {retrieved!r} is not a date like 2026-12-07")
    try:
        result = update_source(
            sources_dir,
            curation_dir,
            source_id,
            new_file,
            commit=commit,
            retrieved=retrieved,
            upstream=upstream,
            dry_run=dry_run,
        )
    except SourceError as exc:
        fail(str(exc))
    except ValueError as exc:  # a pedigree value the manifest cannot take
        fail(str(exc))
    click.echo(
        to_json(result.changes) if fmt == "json" else to_markdown(result.changes, "current", new_file.name), nl=False
    )
    if result.violations:
        click.echo("\n".join(result.violations), err=True)
        fail(
            f"the new version of {source_id} gives a graph with {len(result.violations)} SHACL violation(s); "
            "nothing was replaced",
            code=1,
        )
    click.echo(
        f"{'Would replace' if dry_run else 'Replaced'} {source_id} with {new_file}"
        + ("" if dry_run else "; manifest.yaml records its sha256 and version"),
        err=True,
    )
