"""`recsys-kg synthesize`: source lists of the seed lists' shape at k times their size (see synthetic.py)."""

from __future__ import annotations

from pathlib import Path

import click

from recsys_kg.cli.options import curation_option, sources_option


@click.command()
@click.option(
    "--scale",
    type=click.IntRange(min=1),
    required=True,
    help="How many copies of each entry (1 = the seed; at most 1000).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Writes OUT/sources (manifest + lists) and OUT/curation; with --build also OUT/build.",
)
@sources_option
@curation_option
@click.option("--build", "build_rdf", is_flag=True, help="Also build the synthetic lists into RDF (OUT/build).")
def synthesize(scale: int, out_dir: Path, sources_dir: Path, curation_dir: Path, build_rdf: bool) -> None:
    """Write synthetic source lists (and curation) shaped like the seed lists, SCALE times as large."""
    from recsys_kg.cli.console import fail
    from recsys_kg.ingest.base import SourceError
    from recsys_kg.resolve.curated import CurationError
    from recsys_kg.tools.synthetic import ScaleError
    from recsys_kg.tools.synthetic import synthesize as run

    try:
        made = run(out_dir, scale, sources_dir, curation_dir)
        click.echo(f"Wrote {len(made.files)} files under {out_dir} ({scale}x the lists in {sources_dir})")
        if build_rdf:
            from recsys_kg.build.pipeline import build_dataset, write_outputs

            result = build_dataset(made.sources_dir, made.curation_dir)
            paths = write_outputs(result, out_dir / "build")
            counts = result.report["counts"]
            click.echo(
                f"Built {counts['quads']} quads, {counts['Paper']} papers: " + ", ".join(map(str, paths.values()))
            )
    except (SourceError, CurationError, ScaleError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write to {out_dir}: {exc.strerror or exc}")
