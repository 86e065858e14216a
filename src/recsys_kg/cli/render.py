"""`recsys-kg render …`: regenerate a source list, the merged list or the static site from the built graph.

Subcommands are imported only when invoked (like the top-level group), each from a module of its own."""

from __future__ import annotations

import importlib

import click

# subcommand name -> "module:function" (each a click.Command)
SUBCOMMANDS = {
    "source": "recsys_kg.cli.render_source:source",
    "list": "recsys_kg.cli.render_site:merged_list",
    "site": "recsys_kg.cli.render_site:site",
}


class LazySubcommands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazySubcommands)
def render() -> None:
    """Regenerate lists and pages from the built graph alone."""
