"""`recsys-kg render …`: regenerate a source list, the merged list or the static site from the built graph."""

from __future__ import annotations

import click

from recsys_kg.cli.lazy import LazyGroup

# subcommand name -> "module:function" (each a click.Command)
SUBCOMMANDS = {
    "source": "recsys_kg.cli.render_source:source",
    "list": "recsys_kg.cli.render_site:merged_list",
    "site": "recsys_kg.cli.render_site:site",
}


@click.group(cls=LazyGroup, commands=SUBCOMMANDS)
def render() -> None:
    """Regenerate lists and pages from the built graph alone."""
