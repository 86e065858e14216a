"""The `recsys-kg` command line: a thin click group whose commands each call one library function.

Commands are imported only when invoked, so `recsys-kg query ...` does not pay for importing the reasoner or
the validator. Exit codes (all commands): 0 success, 1 the data does not conform / the check failed,
2 unreadable input, usage error, or an external failure (a store that cannot be reached).
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from recsys_kg import paths
from recsys_kg.cli.lazy import LazyGroup

# command name -> "module:function" (each a click.Command defined in its own module)
COMMANDS = {
    "build": "recsys_kg.cli.build:build",
    "candidates": "recsys_kg.cli.build:candidates",
    "query": "recsys_kg.cli.query:query",
    "sparql": "recsys_kg.cli.query:sparql",
    "export": "recsys_kg.cli.publish:export",
    "load": "recsys_kg.cli.publish:load",
    "serve": "recsys_kg.cli.publish:serve",
    "synthesize": "recsys_kg.cli.synthesize:synthesize",
    "render": "recsys_kg.cli.render:render",
    "validate": "recsys_kg.cli.validate:validate",
    "contribute": "recsys_kg.cli.contribute:contribute",
    "vocab": "recsys_kg.cli.contribute:vocab",
    "diff": "recsys_kg.cli.diff:diff",
    "release": "recsys_kg.cli.release:release",
    "sources": "recsys_kg.cli.sources:sources",
}


@click.group(cls=LazyGroup, commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="recsys-kg")
@click.option(
    "--home",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    envvar=paths.HOME_ENV,
    help="A checkout (or a fork of the lists) whose ontology/, shapes/, queries/ and data/ to use instead "
    "of the installed copies.  [env: RECSYS_KG_HOME]",
)
def main(home: Path | None) -> None:
    """Build, check, query and export the recsys-kg knowledge graph of LLM-based recommender-system papers."""
    # rdflib logs a WARNING with a traceback for every literal it cannot convert (a 5,000-digit rkg:year); such
    # values are reported by the shapes as violations with a rule id, so the traceback is only noise.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    if home is not None:
        paths.set_home(home)
        click.get_current_context().call_on_close(lambda: paths.set_home(None))


if __name__ == "__main__":
    main()
