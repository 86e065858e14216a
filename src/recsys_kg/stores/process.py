"""Starting and stopping store processes: free loopback ports, waiting until an endpoint answers, stopping by PID.

A store that is not installed raises :class:`StoreUnavailable` with the command that installs it, so a test can
skip with that hint on a developer machine (or fail under CI) and `recsys-kg serve` can print it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

LOOPBACK = "127.0.0.1"
PR_SET_PDEATHSIG = 1


class StoreUnavailable(RuntimeError):
    """The store's program is not installed here; the message says how to install it."""


class StoreFailed(RuntimeError):
    """The store was installed but did not start or a command of it failed; the message quotes its output."""


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it; a small race remains, as always)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it when the process that started it dies, so a killed
    test run or `recsys-kg serve` leaves no orphaned server behind (prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the server is still stopped by stop(), just not when the parent is killed


def start(command: Sequence[str], log: Path, cwd: Path | None = None) -> subprocess.Popen:
    """Start a server in its own session (a Ctrl-C meant for the caller does not reach it; the caller stops it),
    with output to ``log``, no stdin, and SIGTERM when the caller dies."""
    handle = open(log, "wb")  # noqa: SIM115 - closed by the child's exit; Popen duplicates the descriptor
    try:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    finally:
        handle.close()


def _program(process: subprocess.Popen) -> str:
    """The program the process runs, for messages (``args`` is a list here: see :func:`start`)."""
    args = process.args
    return os.fsdecode(args if isinstance(args, (str, bytes, os.PathLike)) else args[0])


def wait_http(process: subprocess.Popen, url: str, log: Path, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers 2xx; fail early with the log when the process died."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise StoreFailed(
                f"{_program(process)} exited with code {process.returncode} before it was ready:\n" + log_tail(log)
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if 200 <= response.status < 300:
                    return
        except (urllib.error.URLError, OSError):
            pass  # not listening yet: poll again until the deadline
        if time.monotonic() > deadline:
            stop(process)
            raise StoreFailed(f"{_program(process)} did not answer {url} within {timeout:.0f} s:\n" + log_tail(log))
        time.sleep(0.1)


def stop(process: subprocess.Popen, timeout: float = 15.0) -> None:
    """SIGTERM the process (by its PID), then SIGKILL if it is still there after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(5)


def run(command: Sequence[str], timeout: float = 300.0, **kwargs) -> subprocess.CompletedProcess:
    """Run a store command to completion; a non-zero exit raises :class:`StoreFailed` with its output."""
    try:
        done = subprocess.run(list(command), stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired as exc:
        raise StoreFailed(f"{command[0]} did not finish within {timeout:.0f} s") from exc
    if done.returncode != 0:
        output = (done.stderr or b"").decode("utf-8", "replace")[-3000:] or (done.stdout or b"").decode()[-3000:]
        raise StoreFailed(f"{' '.join(map(str, command[:3]))} … exited with code {done.returncode}:\n{output}")
    return done
