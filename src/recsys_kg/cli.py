"""The `recsys-kg` command line: a thin click group whose commands each call one library function.

Commands are imported only when invoked, so `recsys-kg query ...` does not pay for importing the reasoner or
the validator. Exit codes (all commands): 0 success, 1 the data does not conform / the check failed,
2 unreadable input, usage error, or an external failure (a store that cannot be reached).
"""

from __future__ import annotations

import importlib

import click

# command name -> "module:function" (each a click.Command defined in its own module)
COMMANDS = {
    "build": "recsys_kg.cli_build:build",
    "candidates": "recsys_kg.cli_build:candidates",
    "query": "recsys_kg.cli_query:query",
    "sparql": "recsys_kg.cli_query:sparql",
    "export": "recsys_kg.cli_export:export",
    "load": "recsys_kg.cli_export:load",
    "serve": "recsys_kg.cli_export:serve",
    "synthesize": "recsys_kg.cli_synthetic:synthesize",
    "validate": "recsys_kg.cli_validate:validate",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="recsys-kg")
def main() -> None:
    """Build, check, query and export the recsys-kg knowledge graph of LLM-based recommender-system papers."""


if __name__ == "__main__":
    main()
