"""Terminal output shared by the commands: errors on stderr without tracebacks, progress only on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import NoReturn

import click
from rich.console import Console

err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print an error a person can act on and exit with the documented code (never a traceback)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@contextmanager
def progress_steps(enabled: bool = True):
    """Yield a callback that shows the current step with a spinner when stderr is a terminal."""
    if not (enabled and err.is_terminal):
        yield lambda _message: None
        return
    with err.status("starting") as status:
        yield lambda message: status.update(message)


ProgressCallback = Callable[[str], None]
