"""`recsys-kg validate`: check the built graph, or contribution files in the context of the built graph.

Output: one line per result on stdout, ``SEVERITY rule-id file[:line] focus path: message`` (``-`` for a missing
file or path), then a summary on stderr; ``--format json`` prints one JSON document instead. Exit codes:
0 conforms (warnings and infos allowed), 1 violations (or warnings with ``--strict``), 2 a file cannot be read
or parsed (file, line and column are given), the built graph is missing, or the command line is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from recsys_kg import paths
from recsys_kg.cli.options import default_dataset, shapes_option

SEVERITY_CHOICES = ("info", "warning", "violation")


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--graph",
    "graph_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=default_dataset,
    show_default="build/recsys-kg.nq",
    help="The built dataset (.nq or .trig): what is validated without FILES, the context with FILES.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per result; json: one document for bots.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on violations.")
@click.option(
    "--min-severity",
    type=click.Choice(SEVERITY_CHOICES),
    default="info",
    show_default=True,
    help="Print only results at least this severe (exit codes are not affected).",
)
@shapes_option
@click.option(
    "--engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="sparql: the shapes compiled to SPARQL on Oxigraph (fast); pyshacl: the reference engine "
    "(all of SHACL, slow), for a shape using a feature the sparql engine does not implement.",
)
def validate(
    files: tuple[Path, ...],
    graph_path: Path,
    output_format: str,
    strict: bool,
    min_severity: str,
    shapes_dir: Path,
    engine: str,
) -> None:
    """Validate contribution FILES (Turtle .ttl, N-Triples .nt or JSON-LD .jsonld/.json) against the SHACL
    shapes in shapes/, in the context of the built graph, so duplicates and unknown strategies, concepts, models
    and venues are caught; without FILES, validate the whole built graph.

    \b
    Exit codes: 0 conforms, 1 violations (or warnings with --strict),
                2 unreadable or unparsable input, missing built graph, or usage error.
    """
    from recsys_kg.rdf.dataset import DatasetError
    from recsys_kg.shacl.model import UnsupportedShape
    from recsys_kg.shacl.report import SEVERITIES
    from recsys_kg.validate.contributions import validate_contribution_files
    from recsys_kg.validate.graph import validate_graph_file
    from recsys_kg.validate.input import ContributionError
    from recsys_kg.validate.shapes import NoShapesError

    paths.set_shapes_dir(shapes_dir)
    click.get_current_context().call_on_close(lambda: paths.set_shapes_dir(None))

    errors: list[ContributionError] = []
    try:
        if files:
            report, errors = validate_contribution_files(list(files), graph_path, engine)
        else:
            report = validate_graph_file(graph_path, engine)
    except (DatasetError, NoShapesError) as exc:
        _finish_with_error(str(exc), output_format)
        return
    except UnsupportedShape as exc:
        _finish_with_error(f"shapes/: {exc}", output_format)
        return
    shown_severities = SEVERITIES[: SEVERITIES.index(min_severity.capitalize()) + 1]
    shown = [r for r in report.results if r.severity in shown_severities or r.severity not in SEVERITIES]
    code = 2 if errors else (1 if report.fails(strict) else 0)
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "conforms": not report.fails() and not errors,
                    "exit_code": code,
                    "strict": strict,
                    "validated": [str(f) for f in files] or [str(graph_path)],
                    "counts": report.counts(),
                    "counts_by_rule": report.counts_by_rule(),
                    "errors": [e.as_json() for e in errors],
                    "results": [r.as_json() for r in shown],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for error in errors:
            click.echo(f"error: {error}", err=True)
        for result in shown:
            click.echo(result.text_line())
        counts = report.counts()
        summary = ", ".join(f"{n} {severity.lower()}{'s' if n != 1 else ''}" for severity, n in counts.items())
        what = f"{len(files)} file{'s' if len(files) != 1 else ''}" if files else str(graph_path)
        verdict = {0: "conforms", 1: "does not conform", 2: "could not be read"}[code]
        click.echo(f"{what}: {verdict} ({summary}{f', {len(errors)} unreadable' if errors else ''})", err=True)
    raise SystemExit(code)


def _finish_with_error(message: str, output_format: str) -> None:
    if output_format == "json":
        click.echo(
            json.dumps({"conforms": False, "exit_code": 2, "errors": [{"message": message}], "results": []}, indent=2)
        )
        raise SystemExit(2)
    from recsys_kg.cli.console import fail

    fail(message)
