"""Options several commands share, defined once. Defaults are computed when a command runs (not at import), from
the home paths.py resolves, so the group's ``--home`` and ``$RECSYS_KG_HOME`` apply to every command."""

from __future__ import annotations

from pathlib import Path

import click

from recsys_kg import paths

DATASET_FILE = "recsys-kg.nq"  # the built dataset commands read by default (build/pipeline.py writes it)


def default_dataset() -> Path:
    return paths.default_build_dir() / DATASET_FILE


def _directory(name: str, dest: str, default, shown: str, text: str):
    return click.option(
        name, dest, type=click.Path(path_type=Path, file_okay=False), default=default, show_default=shown, help=text
    )


sources_option = _directory(
    "--sources",
    "sources_dir",
    paths.sources_dir,
    "data/sources of the home",
    "Directory with manifest.yaml and the source lists.",
)
curation_option = _directory(
    "--curation",
    "curation_dir",
    paths.curation_dir,
    "data/curation of the home",
    "Directory with curated same-paper / different-papers decisions.",
)
queries_option = _directory(
    "--queries", "queries_dir", paths.queries_dir, "queries/ of the home", "The directory of canned .rq files."
)
shapes_option = _directory(
    "--shapes", "shapes_dir", paths.shapes_dir, "shapes/ of the home", "The directory of SHACL shapes (*.ttl)."
)
out_option = _directory(
    "--out",
    "out_dir",
    paths.default_build_dir,
    "build/ of the checkout, else ./build",
    "Where to write the dataset and the report.",
)


def dataset_option(name: str, dest: str, text: str, dir_okay: bool = False):
    return click.option(
        name,
        dest,
        type=click.Path(path_type=Path, dir_okay=dir_okay),
        default=default_dataset,
        show_default="build/recsys-kg.nq",
        help=text,
    )
