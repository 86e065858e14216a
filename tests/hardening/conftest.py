"""Settings of the fuzzing harness (test_fuzz.py) and its tally.

Budget: ``RECSYS_KG_FUZZ_EXAMPLES`` examples per property (default 200; the cheap properties take five times that,
the slow ones a fraction: about 2,800 inputs in two minutes, derandomized, so a CI run is reproducible); a longer
run raises it, e.g.
``RECSYS_KG_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest -p no:cacheprovider tests/hardening/test_fuzz.py``
(see docs/security.md). The tally of inputs tried is printed at the end of the run: "fuzzing: N inputs, 0 tracebacks,
0 hangs, 0 wrong exit codes" (a traceback, a hang or a wrong exit code fails its test, so a passing run has none).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

FUZZ_EXAMPLES = int(os.environ.get("RECSYS_KG_FUZZ_EXAMPLES", "200"))
TALLY: Counter[str] = Counter()

settings.register_profile(
    "recsys-kg-fuzz",
    max_examples=FUZZ_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
settings.load_profile("recsys-kg-fuzz")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY:
        failed = sum("test_fuzz.py" in report.nodeid for report in terminalreporter.stats.get("failed", []))
        parts = ", ".join(f"{n} {what}" for what, n in sorted(TALLY.items()))
        terminalreporter.write_line(
            f"fuzzing: {sum(TALLY.values())} inputs ({parts}); "
            f"{'0 tracebacks, 0 hangs, 0 wrong exit codes' if not failed else f'{failed} failing properties'}"
        )
