"""`recsys-kg build` and `recsys-kg candidates`."""

from __future__ import annotations

from pathlib import Path

import click

from .paths import CURATION_DIR, DEFAULT_BUILD_DIR, SOURCES_DIR


@click.command()
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path, file_okay=False), default=SOURCES_DIR,
              show_default=True, help="Directory with manifest.yaml and the source lists.")
@click.option("--curation", "curation_dir", type=click.Path(path_type=Path, file_okay=False), default=CURATION_DIR,
              show_default=True, help="Directory with curated same-paper / different-papers decisions.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_BUILD_DIR,
              show_default=True, help="Where to write the dataset and the report.")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def build(sources_dir: Path, curation_dir: Path, out_dir: Path, quiet: bool) -> None:
    """Build the knowledge graph from the source lists: TriG + N-Quads dataset, ontology, build report."""
    from .build import build_dataset, write_outputs
    from .console import fail, progress_steps
    from .ingest.base import SourceError
    from .reason import InconsistencyError, ReasoningError
    from .shacl_model import UnsupportedShape

    try:
        with progress_steps(not quiet) as progress:
            result = build_dataset(sources_dir, curation_dir, progress)
            if result.validation is not None and not result.validation.conforms:  # SHACL violations (shapes/)
                from .report import report_text

                click.echo(report_text(result.report), nl=False, err=True)
                violations = result.validation.of_severity("Violation")
                click.echo("\n".join(r.text_line() for r in violations), err=True)
                fail(f"the built graph has {len(violations)} SHACL violation(s), listed above; nothing was written", code=1)
            progress("writing outputs")
            paths = write_outputs(result, out_dir)
    except SourceError as exc:
        fail(str(exc))
    except InconsistencyError as exc:
        fail(str(exc), code=1)
    except ReasoningError as exc:
        fail(str(exc))
    except UnsupportedShape as exc:
        fail(f"shapes/: {exc}")
    except OSError as exc:
        fail(f"cannot write outputs to {out_dir}: {exc.strerror or exc}")
    if not quiet:
        from .report import report_text

        click.echo(report_text(result.report), nl=False)
        click.echo("Wrote: " + ", ".join(str(p) for p in paths.values()))


@click.command()
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              default=DEFAULT_BUILD_DIR / "report.json", show_default=True)
@click.option("--min-score", type=float, default=0.0, help="Only candidates scoring at least this (0-100).")
def candidates(report_path: Path, min_score: float) -> None:
    """List duplicate-paper candidates from the last build: pairs that look alike but were not merged."""
    import json

    from .console import fail

    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"cannot read {report_path} (run `recsys-kg build` first): {exc}")
    rows = [c for c in report["resolution"]["candidates"] if c["score"] >= min_score]
    for c in rows:
        click.echo(f"{c['score']:5.1f}  {c['left']}  {c['right']}  {'; '.join(c['reasons'])}")
        click.echo(f"       {' | '.join(c['left_titles'])}\n       {' | '.join(c['right_titles'])}")
    click.echo(f"{len(rows)} candidates. Confirm or reject each in data/curation/same-paper.yaml or different-papers.yaml.")
