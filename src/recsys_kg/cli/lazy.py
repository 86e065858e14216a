"""A click group whose subcommands are imported only when invoked, so `recsys-kg query …` does not pay for
importing the reasoner or the validator."""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    """``commands`` maps each subcommand name to ``"module:attribute"``, a click.Command in its own module."""

    def __init__(self, *args, commands: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.lazy_commands)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = self.lazy_commands.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)
