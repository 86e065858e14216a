"""Shared fixtures: one real build of the seed lists per test session, reused by every test that reads it.

Options: ``--update-golden`` rewrites the golden files of tests/golden/ from the current output.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seed_build():
    """The BuildResult of the five seed lists (read, resolved, mapped; not written)."""
    from recsys_kg.build.pipeline import build_dataset

    return build_dataset()


@pytest.fixture(scope="session")
def seed_build_dir(seed_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with the written outputs of the seed build (recsys-kg.nq, .trig, ontology.ttl, report.*)."""
    from recsys_kg.build.pipeline import write_outputs

    out = tmp_path_factory.mktemp("seed-build")
    write_outputs(seed_build, out)
    return out


@pytest.fixture(scope="session")
def seed_store(seed_build_dir: Path):
    """The seed dataset loaded into an in-memory pyoxigraph Store (read-only use, please)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(seed_build_dir / "recsys-kg.nq"), format=ox.RdfFormat.N_QUADS)
    return store
