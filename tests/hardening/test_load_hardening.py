"""Issue 18, load: real misbehaving HTTP servers on 127.0.0.1 (a redirecting one, one that never answers, one that
trickles a byte at a time) and malformed options. `recsys-kg load` must not forward credentials, must stop at its
total --timeout, and must say what is wrong (exit 2) without a traceback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main


def cli_load(dataset: Path, *args: str):
    return CliRunner().invoke(main, ["load", "--dataset", str(dataset), "--quiet", *args])


@pytest.fixture(scope="module")
def dataset(seed_build_dir: Path) -> Path:
    return seed_build_dir / "recsys-kg.nq"


class Recorder(BaseHTTPRequestHandler):
    """Records the Authorization header of every request it gets."""

    seen: list[str | None] = []

    def do_GET(self) -> None:
        Recorder.seen.append(self.headers.get("Authorization"))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_POST = do_DELETE = do_GET

    def log_message(self, *args) -> None:
        pass


def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def other_origin() -> Iterator[str]:
    Recorder.seen = []
    yield from serving(Recorder)


def test_a_redirect_to_another_port_gets_no_credentials(dataset: Path, other_origin: str):
    """A 302 to another port forwarded `Authorization: Basic …` to the new target."""

    class Redirect(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", other_origin + "/store")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_POST = do_GET

        def log_message(self, *args) -> None:
            pass

    for base in serving(Redirect):
        result = cli_load(dataset, "--endpoint", base + "/store", "--user", "admin", "--password", "secret")
        assert result.exit_code == 2 and "redirects to" in result.output, result.output
    assert Recorder.seen == []  # nothing at all reached the other origin


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/store"


def test_a_server_that_never_answers_is_given_up_on_at_the_timeout(dataset: Path, silent_server: str):
    start = time.monotonic()
    result = cli_load(dataset, "--endpoint", silent_server, "--timeout", "2")
    assert result.exit_code == 2 and "within 2 s" in result.output, result.output
    assert time.monotonic() - start < 6


def test_a_trickling_server_is_given_up_on_at_the_total_timeout(dataset: Path):
    """One byte every second with --timeout 5 took 31 s: the timeout was per socket read."""

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.5)

        def log_message(self, *args) -> None:
            pass

    for base in serving(Trickle):
        start = time.monotonic()
        result = cli_load(dataset, "--endpoint", base + "/store", "--timeout", "2")
        assert result.exit_code == 2 and "within 2 s" in result.output, result.output
        assert time.monotonic() - start < 6


@pytest.mark.parametrize(
    "args,message",
    [
        (["--endpoint", "http://[::1"], "--endpoint: not a valid URL"),
        (["--endpoint", "http://127.0.0.1:99999/store"], "--endpoint: not a valid URL"),
        (["--endpoint", "ftp://127.0.0.1/store"], "--endpoint: not an http(s) URL"),
        (
            ["--endpoint", "http://127.0.0.1:1/store", "--query-endpoint", "http://[x"],
            "--query-endpoint: not a valid URL",
        ),
        (["--endpoint", "http://127.0.0.1:1/store", "--timeout", "-1"], "--timeout"),
        (["--endpoint", "http://127.0.0.1:1/store", "--timeout", "0"], "--timeout"),
    ],
)
def test_malformed_options_exit_2_with_the_option_named(dataset: Path, args: list[str], message: str):
    result = cli_load(dataset, *args)
    assert result.exit_code == 2 and message in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
