"""A click group whose subcommands are imported only when invoked, so `recsys-kg query …` does not pay for
importing the reasoner or the validator."""

from __future__ import annotations

import difflib
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

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown command names the closest ones (`recsys-kg querry` -> did you mean 'query'?)."""
        if args and args[0] not in self.lazy_commands and not args[0].startswith("-"):
            names = sorted(self.lazy_commands)
            close = difflib.get_close_matches(args[0], names, n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {args[0]!r}.{hint} Commands: {', '.join(names)}.")
        return super().resolve_command(ctx, args)
