"""`recsys-kg build` and `recsys-kg candidates`."""

from __future__ import annotations

from pathlib import Path

import click

from recsys_kg import paths
from recsys_kg.cli.options import curation_option, out_option, shapes_option, sources_option


@click.command()
@sources_option
@curation_option
@shapes_option
@out_option
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
def build(sources_dir: Path, curation_dir: Path, shapes_dir: Path, out_dir: Path, quiet: bool) -> None:
    """Build the knowledge graph from the source lists: TriG + N-Quads dataset, ontology, build report."""
    from recsys_kg.build.pipeline import build_dataset, write_outputs
    from recsys_kg.cli.console import fail, progress_steps
    from recsys_kg.ingest.base import SourceError
    from recsys_kg.reason.infer import InconsistencyError, ReasoningError
    from recsys_kg.shacl.model import UnsupportedShape
    from recsys_kg.validate.shapes import NoShapesError

    try:
        with progress_steps(not quiet) as progress:
            paths.set_shapes_dir(shapes_dir)
            click.get_current_context().call_on_close(lambda: paths.set_shapes_dir(None))
            result = build_dataset(sources_dir, curation_dir, progress)
            if result.validation is not None and result.validation.fails():  # SHACL violations (shapes/)
                from recsys_kg.build.report import report_text

                click.echo(report_text(result.report), nl=False, err=True)
                violations = result.validation.of_severity("Violation")
                click.echo("\n".join(r.text_line() for r in violations), err=True)
                fail(
                    f"the built graph has {len(violations)} SHACL violation(s), listed above; nothing was written",
                    code=1,
                )
            progress("writing outputs")
            written = write_outputs(result, out_dir)
    except SourceError as exc:
        fail(str(exc))
    except InconsistencyError as exc:
        fail(str(exc), code=1)
    except ReasoningError as exc:
        fail(str(exc))
    except UnsupportedShape as exc:
        fail(f"shapes/: {exc}")
    except NoShapesError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write outputs to {out_dir}: {exc.strerror or exc}")
    if not quiet:
        from recsys_kg.build.report import report_text

        click.echo(report_text(result.report), nl=False)
        click.echo("Wrote: " + ", ".join(str(p) for p in written.values()))


@click.command()
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=lambda: paths.default_build_dir() / "report.json",
    show_default="build/report.json",
)
@click.option("--min-score", type=float, default=0.0, help="Only candidates scoring at least this (0-100).")
def candidates(report_path: Path, min_score: float) -> None:
    """List duplicate-paper candidates from the last build: pairs that look alike but were not merged."""
    import json

    from recsys_kg.cli.console import fail
    from recsys_kg.outputs import recover

    try:
        recover(report_path.parent, discard=False)  # a build killed while moving its outputs: finish it first
        report = json.loads(report_path.read_text(encoding="utf-8"))
        found = report["resolution"]["candidates"]
        rows = [c for c in found if c["score"] >= min_score]
    except (OSError, ValueError) as exc:
        fail(f"cannot read {report_path} (run `recsys-kg build` first): {exc}")
    except (KeyError, TypeError):
        fail(f"{report_path} is not a report written by `recsys-kg build` (no resolution.candidates)")
    for c in rows:
        click.echo(f"{c['score']:5.1f}  {c['left']}  {c['right']}  {'; '.join(c['reasons'])}")
        click.echo(f"       {' | '.join(c['left_titles'])}\n       {' | '.join(c['right_titles'])}")
    click.echo(
        f"{len(rows)} candidates. Confirm or reject each in data/curation/same-paper.yaml or different-papers.yaml."
    )
