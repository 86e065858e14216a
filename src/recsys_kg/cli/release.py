"""`recsys-kg release --version X.Y.Z --out dist/`: the files of a data release (publish/release.py); its metadata
is checked against the release-metadata shape before anything is written. Exit codes: 0 written; 1 the metadata does not
conform to shapes/release/; 2 a bad version or date, no dataset, no previous release given, unwritable output."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import click

from recsys_kg import paths
from recsys_kg.cli.options import dataset_option


@click.command("release")
@click.option("--version", "version", required=True, help="The release's version, X.Y.Z.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The directory to write the release files into (dist/).",
)
@dataset_option("--data", "data_path", "The built dataset to release.")
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The previous release's .nq.gz (or a built dataset): the data changelog is the diff from it.",
)
@click.option("--first", is_flag=True, help="This is the first release: there is no previous one to compare with.")
@click.option("--date", "date", help="The release date, YYYY-MM-DD (default: $SOURCE_DATE_EPOCH's date, else today).")
@click.option(
    "--base-url",
    default="https://w3id.org/recsys-kg/release/{version}/",
    show_default=True,
    help="Where the files will be downloadable ({version} is replaced).",
)
@click.option("--endpoint", help="A SPARQL endpoint that serves this release (void:sparqlEndpoint).")
def release(
    version: str,
    out_dir: Path,
    data_path: Path,
    previous: Path | None,
    first: bool,
    date: str | None,
    base_url: str,
    endpoint: str | None,
) -> None:
    """Write a release: the dataset as .nq.gz and per-graph .ttl.gz, VoID + DCAT metadata, the data changelog
    (`recsys-kg diff` from the previous release), the data licence statement and SHA256SUMS."""
    from recsys_kg.cli.console import fail
    from recsys_kg.ingest.base import SourceError, load_manifest
    from recsys_kg.publish.release import ReleaseError, ReleaseMetadataError, ReleaseSpec, make_release
    from recsys_kg.publish.release_check import NoReleaseShapesError

    if previous is None and not first:
        fail("give --previous (the last release's .nq.gz) for the data changelog, or --first for the first release")
    if previous is not None and first:
        fail("--first and --previous exclude each other")
    try:
        specs = load_manifest(paths.sources_dir())
        licence_text = (paths.home() / "DATA-LICENSE.md").read_text(encoding="utf-8")
    except SourceError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read the data licence statement DATA-LICENSE.md of {paths.home()}: {exc.strerror or exc}")
    spec = ReleaseSpec(
        version=version,
        date=date or _default_date(),
        base_url=base_url.replace("{version}", version),
        endpoint=endpoint,
        licences=tuple((s.id, s.license, s.rights or "") for s in specs),
    )
    try:
        written = make_release(data_path, out_dir, spec, previous, licence_text)
    except (ReleaseError, NoReleaseShapesError) as exc:
        fail(str(exc))
    except ReleaseMetadataError as exc:
        click.echo("\n".join(exc.lines), err=True)
        fail("the release metadata does not conform to shapes/release/ (listed above); nothing was written", code=1)
    except OSError as exc:
        fail(f"cannot write {out_dir}: {exc.strerror or exc}")
    for path in written.values():
        click.echo(str(path))


def _default_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date().isoformat()
    return datetime.date.today().isoformat()
