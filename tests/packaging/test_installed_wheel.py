"""The package as a user installs it: a wheel, in a fresh virtual environment, run from a directory outside the
checkout. It must carry its ontology, shapes, queries and data, and give the same answers as the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DUPLICATE = ROOT / "contributions" / "examples" / "duplicate-of-tallrec.ttl"


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(the installed `recsys-kg` command, a working directory outside the checkout, its environment)."""
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "wheels"
    made = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        base,
        dict(os.environ),
    )
    assert made.returncode == 0, made.stderr
    wheel = next(wheels.glob("recsys_kg-*.whl"))
    environment = base / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    env = {k: v for k, v in os.environ.items() if k not in ("RECSYS_KG_HOME", "PYTHONPATH", "VIRTUAL_ENV")}
    done = _run(
        [str(environment / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        base,
        env,
    )
    assert done.returncode == 0, done.stderr
    work = base / "elsewhere"
    work.mkdir()
    return environment / "bin" / "recsys-kg", work, env


def test_the_wheel_is_not_an_editable_install_of_the_checkout(installed):
    command, work, env = installed
    found = _run([str(command.parent / "python"), "-c", "import recsys_kg.paths as p; print(p.home())"], work, env)
    assert found.returncode == 0, found.stderr
    home = Path(found.stdout.strip())
    assert ROOT not in home.parents and home.name == "_data", home
    assert (home / "ontology").is_dir() and (home / "shapes").is_dir() and (home / "data" / "sources").is_dir()


def test_build_query_and_validate_work_from_any_directory(installed, seed_build_dir: Path):
    command, work, env = installed
    built = _run([str(command), "build", "--out", "out", "--quiet"], work, env)
    assert built.returncode == 0, built.stderr
    for name in ("recsys-kg.nq", "recsys-kg.trig", "ontology.ttl", "report.json", "report.txt"):
        assert (work / "out" / name).read_bytes() == (seed_build_dir / name).read_bytes(), name

    query = ["query", "frozen-llm-industrial-by-company", "--format", "csv"]
    answered = _run([str(command), *query, "--data", "out/recsys-kg.nq"], work, env)
    assert answered.returncode == 0, answered.stderr
    from_checkout = _run(
        [sys.executable, "-m", "recsys_kg.cli.main", *query, "--data", str(seed_build_dir / "recsys-kg.nq")],
        ROOT,
        dict(os.environ),
    )
    assert from_checkout.returncode == 0, from_checkout.stderr
    assert answered.stdout == from_checkout.stdout and answered.stdout.count("\n") > 3

    listed = _run([str(command), "query", "--list"], work, env)
    assert listed.returncode == 0, listed.stderr
    names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert [n for n in names if n not in listed.stdout] == [] and len(names) >= 14

    checked = _run([str(command), "validate", str(DUPLICATE), "--graph", "out/recsys-kg.nq"], work, env)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "VIOLATION DUP-003" in checked.stdout


def test_the_wheel_carries_the_site_templates_and_assets(installed, seed_build_dir: Path):
    command, work, env = installed
    made = _run(
        [str(command), "render", "site", "--out", "site", "--data", str(seed_build_dir / "recsys-kg.nq")], work, env
    )
    assert made.returncode == 0, made.stderr
    for name in (
        "index.html",
        "assets/style.css",
        "assets/search.js",
        "assets/sparql.js",
        "charts/source-overlap.svg",
        "id/paper/arxiv-2305.19860.html",
        "sources/llm4rec-paper-list.zh.md.html",
    ):
        assert (work / "site" / name).is_file(), name
