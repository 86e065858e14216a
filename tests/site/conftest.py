"""The seed site, rendered once per session by the real command, and the browser the site tests drive."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from recsys_kg.cli.main import main
from support import unavailable

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def seed_site(seed_build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed-site") / "site"
    result = CliRunner().invoke(
        main, ["render", "site", "--out", str(out), "--data", str(seed_build_dir / "recsys-kg.nq")]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through playwright (executable_path: nothing is downloaded). Missing: skipped with an
    install hint on a developer machine, a failure under CI=true."""
    executable = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        message = "chromium and playwright are needed: sudo bash scripts/install-browser.sh; pip install -e '.[test]'"
        unavailable(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()
