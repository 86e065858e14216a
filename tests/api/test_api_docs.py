"""docs/python.md runs: every example in it is a doctest, run on the graph built from the seed lists."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from recsys_kg import paths

DOC = Path(__file__).resolve().parents[2] / "docs" / "python.md"


def test_the_python_api_documentation_runs(seed_build_dir: Path, monkeypatch: pytest.MonkeyPatch):
    # recsys_kg.open() reads the home's build folder: point it at the session's seed build
    monkeypatch.setattr(paths, "default_build_dir", lambda: seed_build_dir)
    failures, attempted = doctest.testfile(
        str(DOC),
        module_relative=False,
        raise_on_error=False,
        verbose=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert attempted >= 25, f"only {attempted} examples found in {DOC}"
    assert failures == 0, f"{failures} of {attempted} examples in {DOC} failed (the output above says which)"
