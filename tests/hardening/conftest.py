"""Shared helpers of the hardening tests: the reproducers of issue 18, and the fuzzing harness's settings.

The fuzzing budget: ``RECSYS_KG_FUZZ_EXAMPLES`` examples per property (default 300: the whole harness runs in about
a minute in CI, derandomized so CI is reproducible); raise it for a longer run, e.g.
``RECSYS_KG_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/hardening -p no:cacheprovider`` (docs/security.md).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

FUZZ_EXAMPLES = int(os.environ.get("RECSYS_KG_FUZZ_EXAMPLES", "300"))
settings.register_profile("recsys-kg-fuzz", max_examples=FUZZ_EXAMPLES, derandomize=True, deadline=None,
                          database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("recsys-kg-fuzz")
