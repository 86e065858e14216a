"""Prints the W3C SHACL Core table (pass / fail / refused per folder, both engines) after the session."""

from __future__ import annotations

import pytest

from shacl.w3c_outcomes import OUTCOMES, table


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if OUTCOMES:
        terminalreporter.write_sep("=", "W3C SHACL Core suite")
        terminalreporter.write_line(table(OUTCOMES))
